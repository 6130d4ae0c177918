// swift-tools-version: 6.1
import PackageDescription

/// One set of compiler settings for every target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "sealbox",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sealboxd", targets: ["sealboxd"]),
        .executable(name: "sealbox", targets: ["sealbox"]),
        // Libraries only so that the fuzz package in Fuzz/ can link the modules it tests.
        .library(name: "SealboxCrypto", targets: ["SealboxCrypto"]),
        .library(name: "SealboxAPI", targets: ["SealboxAPI"]),
        .library(name: "SealboxL10n", targets: ["SealboxL10n"]),
        .library(name: "SealboxServer", targets: ["SealboxServer"]),
        .library(name: "SealboxWorkstation", targets: ["SealboxWorkstation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .target(
            name: "SealboxCrypto",
            dependencies: ["CSodium"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SealboxCore",
            dependencies: [
                "SealboxCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            resources: [.embedInCode("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SealboxWorkstation",
            dependencies: [
                "SealboxAPI",
                "SealboxCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.embedInCode("Texts")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SealboxAPI",
            dependencies: ["SealboxCore", "SealboxCrypto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SealboxL10n",
            resources: [.embedInCode("Catalogues")],
            swiftSettings: swiftSettings
        ),
        // The HTML type of server-rendered pages (escaping by construction), shared by the
        // reporters' pages and the desk.
        .target(name: "SealboxHTML", swiftSettings: swiftSettings),
        .target(
            name: "SealboxServer",
            dependencies: [
                "SealboxAPI",
                "SealboxHTML",
                "SealboxCore",
                "SealboxCrypto",
                "SealboxL10n",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sealboxd",
            dependencies: [
                "SealboxServer",
                "SealboxCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "SealboxL10n",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The counsellor's desk: Hummingbird on loopback, pages over a DeskBackend (docs/design/DESK.md).
        .target(
            name: "SealboxDesk",
            dependencies: [
                "SealboxCore",
                "SealboxCrypto",
                "SealboxHTML",
                "SealboxL10n",
                "SealboxWorkstation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.embedInCode("Catalogues")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SealboxCLI",
            dependencies: [
                "SealboxAPI",
                "SealboxCore",
                "SealboxCrypto",
                "SealboxDesk",
                "SealboxL10n",
                "SealboxWorkstation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sealbox",
            dependencies: ["SealboxCLI"],
            swiftSettings: swiftSettings
        ),
        // The workstation benchmark's store generator (scripts/bench_workstation.py): a daemon
        // storage folder with many cases, sealed by the real code. Never packaged.
        .executableTarget(
            name: "sealbox-bench-store",
            dependencies: ["SealboxCore", "SealboxCrypto"],
            path: "Benchmarks/StoreGenerator",
            swiftSettings: swiftSettings
        ),
        // A generator, not a test: writes Swift-sealed data for the PyNaCl interop tests.
        .executableTarget(
            name: "sealbox-interop-export",
            dependencies: ["SealboxCrypto"],
            path: "Tests/InteropExport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SealboxCryptoTests", dependencies: ["SealboxCrypto"], resources: [.copy("Vectors")], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealboxCoreTests",
            dependencies: ["SealboxCore", "SealboxCrypto", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SealboxAPITests", dependencies: ["SealboxAPI", "SealboxCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealboxWorkstationTests",
            dependencies: [
                "SealboxWorkstation",
                "SealboxAPI",
                "SealboxCore",
                "SealboxCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SealboxL10nTests", dependencies: ["SealboxL10n"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealboxServerTests",
            dependencies: [
                "SealboxServer",
                "SealboxHTML",
                "SealboxL10n",
                "SealboxCore",
                "SealboxCrypto",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SealboxDeskTests",
            dependencies: [
                "SealboxDesk", "SealboxCore", "SealboxCrypto", "SealboxL10n", "SealboxWorkstation",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SealboxCLITests",
            // The `sealbox` executable too, so that `swift test` builds it before the tests run it.
            dependencies: [
                "SealboxCLI", "SealboxCore", "SealboxCrypto", "SealboxWorkstation", "sealbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
