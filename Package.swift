// swift-tools-version:6.2
import PackageDescription

/// Settings every Lifeboat target shares: strict Swift 6, our own warnings are errors.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Lifeboat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lifeboat", targets: ["lifeboat"]),
        .executable(name: "lifeboatd", targets: ["lifeboatd"]),
        // Libraries for the fuzzing and benchmark packages under fuzz/ and bench/.
        .library(name: "DNSQuery", targets: ["DNSQuery"]),
        .library(name: "DomainNames", targets: ["DomainNames"]),
        .library(name: "DNSServer", targets: ["DNSServer"]),
        .library(name: "Probes", targets: ["Probes"]),
        .library(name: "LifeboatConfig", targets: ["LifeboatConfig"]),
        .library(name: "NativeClients", targets: ["NativeClients"]),
        .library(name: "SystemIO", targets: ["SystemIO"]),
        .library(name: "DNSAuthority", targets: ["DNSAuthority"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        // C libraries, each wrapped once: CLdns by DNSZone, CCrypto (HMAC for TSIG) by DNSQuery,
        // CCurl and CMariaDB by NativeClients.
        .systemLibrary(
            name: "CLdns", pkgConfig: "ldns",
            providers: [.apt(["libldns-dev"])]),
        .systemLibrary(
            name: "CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CMariaDB", pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]),
        // Declarations of glibc functions the Glibc module leaves out (strptime, sched_getaffinity).
        .systemLibrary(name: "CGlibcShims"),

        // Layers, lowest first; a target depends only on targets above it in this list.
        // Files and processes of this host: no C client library, no network.
        .target(
            name: "SystemIO",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict),
        // The curl and MariaDB clients.
        .target(
            name: "NativeClients", dependencies: ["CCurl", "CMariaDB", "CGlibcShims"],
            swiftSettings: strict),
        // One name type for DNS and the configuration: `DNSName`, pure.
        .target(
            name: "DomainNames",
            swiftSettings: strict),
        .target(
            name: "DNSZone", dependencies: ["CLdns", "DomainNames"],
            swiftSettings: strict),
        .target(
            name: "DNSQuery", dependencies: ["CCrypto", "DNSZone", "DomainNames"],
            swiftSettings: strict),
        // What is served and why: zone files, failover overrides, serials, their persistence.
        .target(
            name: "DNSAuthority",
            dependencies: [
                "DNSQuery", "DNSZone", "DomainNames", "LifeboatConfig", "LifeboatCore", "SystemIO",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "LifeboatCore",
            swiftSettings: strict),
        .target(
            name: "Probes",
            dependencies: [
                "LifeboatCore", "LifeboatConfig", "NativeClients", "SystemIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // The cluster's coordination store: etcd's v3 API over the JSON gateway and curl.
        .target(
            name: "Coordination", dependencies: ["NativeClients", "LifeboatCore"],
            swiftSettings: strict),
        .target(
            name: "StandbyActions",
            dependencies: [
                "LifeboatCore", "LifeboatConfig", "NativeClients", "SystemIO", "Probes",
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "Controller",
            dependencies: [
                "LifeboatCore", "LifeboatConfig", "NativeClients", "SystemIO", "Probes", "StandbyActions", "DomainNames", "Coordination",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "StatusWeb",
            dependencies: [
                "Controller", "LifeboatCore", "DNSQuery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "DNSServer",
            dependencies: [
                "DNSQuery", "DNSZone", "DomainNames", "LifeboatConfig", "CGlibcShims",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .target(
            name: "LifeboatApp",
            dependencies: [
                "DNSAuthority", "DNSServer", "DomainNames", "LifeboatConfig", "LifeboatCore", "Controller", "Coordination", "StatusWeb", "NativeClients", "SystemIO", "CGlibcShims",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "lifeboatd", dependencies: ["LifeboatApp"],
            swiftSettings: strict),
        .target(
            name: "LifeboatConfig",
            dependencies: ["DomainNames", "LifeboatCore", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict),
        .target(
            name: "LifeboatCLI",
            dependencies: [
                "LifeboatConfig", "DNSZone", "Probes", "LifeboatCore", "NativeClients", "SystemIO", "StandbyActions",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "lifeboat", dependencies: ["LifeboatCLI"],
            swiftSettings: strict),

        // What the test targets share: free ports, loopback listeners, `eventually`, the lab.
        .target(
            name: "LifeboatTestSupport", dependencies: ["SystemIO", "LifeboatConfig"],
            swiftSettings: strict),

        .testTarget(
            name: "LifeboatConfigTests", dependencies: ["LifeboatConfig", "DomainNames", "LifeboatTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "DNSZoneTests", dependencies: ["DNSZone"],
            swiftSettings: strict),
        .testTarget(
            name: "LifeboatCoreTests", dependencies: ["LifeboatCore", "LifeboatTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "StandbyActionsTests", dependencies: ["StandbyActions", "LifeboatConfig", "LifeboatCore", "SystemIO", "LifeboatTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "ProbesTests",
            dependencies: [
                "Probes", "LifeboatCore", "LifeboatConfig", "NativeClients", "LifeboatTestSupport",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "DNSQueryTests", dependencies: ["DNSQuery", "DNSZone"],
            swiftSettings: strict),
        .testTarget(
            name: "DNSServerTests",
            dependencies: [
                "DNSServer", "DNSAuthority", "DNSQuery", "DNSZone", "DomainNames", "LifeboatConfig", "SystemIO", "LifeboatTestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "ControllerTests", dependencies: ["Controller", "LifeboatCore", "LifeboatConfig", "DomainNames", "LifeboatTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "CoordinationModelTests", dependencies: ["Coordination", "LifeboatCore", "LifeboatTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PackageTests", dependencies: ["LifeboatTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "StatusWebTests",
            dependencies: [
                "StatusWeb", "Controller", "LifeboatCore", "DNSQuery", "LifeboatTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "LabTests",
            dependencies: [
                "NativeClients", "SystemIO", "LifeboatConfig", "LifeboatCore", "Probes", "StandbyActions", "LifeboatTestSupport",
                "Coordination", "DNSAuthority", "DomainNames",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
