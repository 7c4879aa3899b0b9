// swift-tools-version:6.2
// The libFuzzer target for the DNS query path. Built only by fuzz/run (it needs -sanitize=fuzzer,
// which supplies main), never by the main package's `swift build`.
import PackageDescription

let package = Package(
    name: "LifeboatFuzz",
    dependencies: [.package(name: "Lifeboat", path: "..")],
    targets: [
        .executableTarget(
            name: "QueryFuzzer",
            dependencies: [
                .product(name: "DNSQuery", package: "Lifeboat"), .product(name: "DomainNames", package: "Lifeboat"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
