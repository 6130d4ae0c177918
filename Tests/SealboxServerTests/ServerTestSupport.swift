import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SealboxCore
import SealboxCrypto
import SealboxL10n
@testable import SealboxServer
import SealboxHTML

/// A daemon on a fresh temporary storage directory, with a team key and a staff key.
struct TestDaemon: @unchecked Sendable {
    let directory: URL
    let team: BoxSecretKey
    let staff: SigningSecretKey
    let daemon: SealboxApplication

    init(limits: (inout SubmissionLimits) -> Void = { _ in }, kdfWorkers: Int = 2, kdfQueue: Int = 8, codeAttempts: Int = 100,
         configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealbox-server-\(Random.identifier())")
        team = BoxSecretKey.generate()
        staff = SigningSecretKey.generate()
        var config = ServerConfiguration(teamPublicKey: team.publicKey)
        config.storagePath = directory.path
        config.staffKeys = [staff.publicKey]
        config.kdfCost = try KDFCost(opslimit: 1, memlimit: 8192)
        config.kdfWorkers = kdfWorkers
        config.kdfQueue = kdfQueue
        config.codeAttempts = codeAttempts
        // Many submissions come from one (unknown) client here; the budgets have tests of their own.
        config.resilience.submissions = 10_000
        config.resilience.submissionsGlobal = 10_000
        limits(&config.limits)
        configure(&config)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        daemon = try buildApplication(configuration: config, logger: logger)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    var publicApp: some ApplicationProtocol { Application(router: daemon.publicRouter) }
    var staffApp: some ApplicationProtocol { Application(router: daemon.staffRouter) }

    /// Headers that sign a staff request (docs/PROTOCOL.md §7).
    func signedHeaders(method: String, path: String, body: [UInt8] = [], timestamp: Int64? = nil, nonce: String? = nil,
                       key: SigningSecretKey? = nil) -> HTTPFields {
        let key = key ?? staff
        let ts = timestamp ?? Int64(Date().timeIntervalSince1970)
        let nonce = nonce ?? Base64URL.encode(Random.bytes(16))
        let message = RequestSignature.message(
            method: method, pathAndQuery: path, timestamp: ts, nonce: nonce,
            bodySHA256Hex: Hex.encode(Hash.sha256(body)), keyText: key.publicKey.text)
        var headers = HTTPFields()
        headers[HTTPField.Name("Sealbox-Key")!] = key.publicKey.text
        headers[HTTPField.Name("Sealbox-Timestamp")!] = String(ts)
        headers[HTTPField.Name("Sealbox-Nonce")!] = nonce
        headers[HTTPField.Name("Sealbox-Signature")!] = Base64URL.encode(key.signature(for: message))
        return headers
    }
}

func jsonHeaders(_ extra: [(String, String)] = []) -> HTTPFields {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
    return headers
}

/// A multipart/form-data body from fields and files.
func multipart(fields: [(String, String)], files: [(name: String, filename: String, type: String, data: [UInt8])] = [],
               boundary: String = "sealbox-test-boundary") -> (HTTPFields, ByteBuffer) {
    var body: [UInt8] = []
    for (name, value) in fields {
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n".utf8)
        body += Array(value.utf8) + Array("\r\n".utf8)
    }
    for file in files {
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.type)\r\n\r\n".utf8)
        body += file.data + Array("\r\n".utf8)
    }
    body += Array("--\(boundary)--\r\n".utf8)
    var headers = HTTPFields()
    headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
    return (headers, ByteBuffer(bytes: body))
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
    }
}

/// `text` as the pages write it: escaped, as plain markup to compare rendered pages with.
func escaped(_ text: String) -> String {
    HTML(escaping: text).markup
}

/// A catalogue text as a page shows it: escaped, one line per sentence where the
/// language asks for it (Leichte Sprache).
func rendered(_ localiser: Localiser, _ key: String) -> String {
    localiser.lines(key).map(escaped).joined(separator: "<br>\n")
}
