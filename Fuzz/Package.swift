// swift-tools-version: 6.1
// libFuzzer targets for Sealbox, a package of their own so that the main build never sees
// `-sanitize=fuzzer`. Build and run them with `make fuzz` or `make fuzz-smoke` (docs/FUZZING.md).
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// One executable per fuzz target, each `Sources/<name>/main.swift` with `LLVMFuzzerTestOneInput`.
func fuzzTarget(_ name: String, _ modules: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + modules.map { .product(name: $0, package: "sealbox") },
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "sealbox-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "sealbox", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"], swiftSettings: swiftSettings),
        fuzzTarget("FuzzMultipart", ["SealboxServer"]),
        fuzzTarget("FuzzCode", ["SealboxCrypto"]),
        fuzzTarget("FuzzEnvelope", ["SealboxCrypto"]),
        fuzzTarget("FuzzAttachment", ["SealboxCrypto"]),
        fuzzTarget("FuzzKeyFile", ["SealboxCrypto"]),
        fuzzTarget("FuzzSignatureHeaders", ["SealboxCrypto"]),
        fuzzTarget("FuzzAPIJSON", ["SealboxAPI"]),
        fuzzTarget("FuzzCatalogue", ["SealboxL10n"]),
        fuzzTarget("FuzzAgent", ["SealboxWorkstation", "SealboxCrypto"]),
    ],
    swiftLanguageModes: [.v6]
)
