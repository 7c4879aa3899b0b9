// swift-tools-version:6.2
// Benchmark helpers that need Lifeboat's libraries (bench/dns.sh builds and runs them).
import PackageDescription

let package = Package(
    name: "LifeboatBench",
    dependencies: [
        .package(name: "Lifeboat", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .executableTarget(
            name: "probe-bench",
            dependencies: [
                .product(name: "Probes", package: "Lifeboat"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "command-bench",
            dependencies: [
                .product(name: "Probes", package: "Lifeboat"),
                .product(name: "SystemIO", package: "Lifeboat"),
                .product(name: "NativeClients", package: "Lifeboat"),
                .product(name: "LifeboatConfig", package: "Lifeboat"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .executableTarget(
            name: "swap-bench",
            dependencies: [
                .product(name: "DNSAuthority", package: "Lifeboat"),
                .product(name: "Logging", package: "swift-log"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
