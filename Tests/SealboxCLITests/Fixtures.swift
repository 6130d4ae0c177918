// Shared test fixtures: temporary folders, key files made at the minimum Argon2id
// cost (fast), sealed items, and running the real `sealbox` binary.
import Foundation
import SealboxCore
import Synchronization
import SealboxCrypto
import SealboxWorkstation
import Testing

/// A temporary folder removed when the fixture is released.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sealbox-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let file = path(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }
}

enum Fixtures {
    static let passphrase = "correct horse battery"

    /// A team key and its key file (minimum KDF cost) with passphrase file in `folder`.
    static func teamKey(in folder: TemporaryFolder, name: String = "team.key") throws -> (key: BoxSecretKey, file: URL) {
        let key = BoxSecretKey.generate()
        let bytes = try KeyFile.write(secret: key.secret, type: .team, publicKeyText: key.publicKey.teamText,
                                      passphrase: SecureBytes(copying: Array(passphrase.utf8)), cost: .minimum)
        let file = folder.path(name)
        try Data(bytes).write(to: file)
        return (key, file)
    }

    /// A staff key and its key file (minimum KDF cost).
    static func staffKey(in folder: TemporaryFolder) throws -> (key: SigningSecretKey, file: URL) {
        let key = SigningSecretKey.generate()
        let bytes = try KeyFile.write(secret: key.seed, type: .staff, publicKeyText: key.publicKey.text,
                                      passphrase: SecureBytes(copying: Array(passphrase.utf8)), cost: .minimum)
        let file = folder.path("staff.key")
        try Data(bytes).write(to: file)
        return (key, file)
    }

    /// The passphrase file, with a trailing newline as an editor writes it.
    static func passphraseFile(in folder: TemporaryFolder, _ text: String = passphrase) throws -> URL {
        try folder.write("passphrase-\(text.utf8.count)", text + "\n")
    }

    /// A sealed item of `kind` for `reference`, whose plaintext claims `claimedCase` and `claimedType`.
    static func item(
        reference: String, to recipient: BoxPublicKey, kind: EnvelopeKind = .report, text: String = "It happened at work.",
        day: String = "2026-11-24", attachments: [(manifest: AttachmentManifest, blobSize: Int)] = [],
        claimedCase: String? = nil, claimedType: EnvelopeKind? = nil, grounds: [String] = ["language"]
    ) throws -> StoredItem {
        let content = ReportContent(
            type: claimedType ?? kind, caseReference: ref(claimedCase ?? reference),
            day: Fixtures.day(day), reporterKey: BoxSecretKey.generate().publicKey, text: text, grounds: grounds,
            area: "work", when: "last Tuesday", where: "the office", contact: nil,
            attachments: attachments.map(\.manifest))
        let envelope = try Envelope.seal(try content.encoded(), kind: kind, to: [recipient])
        return StoredItem(id: .generate(), caseReference: ref(reference), kind: kind, day: Fixtures.day(day),
                          position: nextPosition(), envelope: envelope, attachments: attachments.map { StoredAttachment(id: $0.manifest.id, size: $0.blobSize) })
    }

    private static let positions = Atomic<Int>(0)

    /// A position larger than every one handed out before: items made one after another
    /// in a test keep that order inside their case (the server numbers them 1, 2, 3, …).
    static func nextPosition() -> Int { positions.add(1, ordering: .relaxed).newValue }

    /// A case reference written in a test.
    static func ref(_ text: String) -> CaseReference { try! CaseReference(parsing: text) }

    /// A day written in a test.
    static func day(_ text: String) -> Day { try! Day(parsing: text) }
}

/// The result of running the `sealbox` binary.
struct RunResult {
    let status: Int32
    let stdout: String
    let stderr: String

    var lastLine: String {
        stdout.split(separator: "\n").last.map(String.init) ?? ""
    }
}

/// Runs the real `sealbox` executable as a subprocess, with stdin from /dev/null.
enum SealboxBinary {
    /// The executable, in the build products directory beside the test bundle: this test
    /// target depends on the `sealbox` target, so `swift test` builds it first.
    static func location() throws -> URL {
        let bundle = Bundle(for: ProductsToken.self).bundleURL
        // On Linux the tests are an executable in the products directory, which is then
        // their bundle's URL; on macOS they are a `.xctest` bundle inside it.
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        let binary = products.appendingPathComponent("sealbox")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw BinaryNotFound(path: binary.path) }
        return binary
    }

    private final class ProductsToken {}

    struct BinaryNotFound: Error, CustomStringConvertible {
        let path: String
        var description: String { "the sealbox binary is not at \(path), beside the test bundle" }
    }

    /// Runs `sealbox arguments` with a clean environment rooted in `home`, plus `environment`.
    static func run(_ arguments: [String], home: TemporaryFolder, environment: [String: String] = [:]) throws -> RunResult {
        let process = Process()
        process.executableURL = try location()
        process.arguments = arguments
        var env = [
            "HOME": home.url.path,
            "XDG_CONFIG_HOME": home.path("config").path,
            "XDG_DATA_HOME": home.path("data").path,
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
        ]
        env.merge(environment) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = home.url
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so that neither can fill up.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// The permission bits of a file.
func permissions(of url: URL) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}
