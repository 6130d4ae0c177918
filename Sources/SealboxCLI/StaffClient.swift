// The signed staff API client (docs/PROTOCOL.md §7, §8). Every request carries the
// four Sealbox-* headers over the exact path and query it is sent with. Answers are
// read within a cap (CappedDownload) over AsyncHTTPClient (StaffTransport), with the
// server's certificate checked as the settings say (ServerTrust). Failures become
// messages for people: the server cannot be reached and why (ConnectionFailure), it
// refused the staff key (not in staff.keys, or the clock is off), or it failed.
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SealboxAPI
import SealboxCore
import SealboxCrypto

/// A client of the staff API, signing with one staff key.
struct StaffClient: Sendable {
    /// The answer of one request.
    struct Answer: Sendable {
        let status: Int
        let body: Data
    }

    let server: URL
    /// The staff (or member) key's signer: the key itself, or the unlock agent holding it.
    let key: any MessageSigner
    /// How the staff key file is named in messages.
    let keyFileName: String
    let transport: StaffTransport
    var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    init(server: URL, key: any MessageSigner, keyFileName: String, trust: ServerTrust = .system,
         timeout: TimeInterval = 30) {
        self.server = server
        self.key = key
        self.keyFileName = keyFileName
        self.transport = StaffTransport(trust: trust, timeout: timeout)
    }

    /// The server address without a trailing slash, as shown in messages.
    var serverText: String {
        var text = server.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// The signed request for `method` on `pathAndQuery` (which starts with `/`).
    func request(method: String, pathAndQuery: String, body: [UInt8] = []) throws(CLIError) -> HTTPClientRequest {
        let basePath = URLComponents(url: server, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        var prefix = basePath
        while prefix.hasSuffix("/") { prefix.removeLast() }
        let signedPath = prefix + pathAndQuery
        var request = HTTPClientRequest(url: serverText + pathAndQuery)
        request.method = HTTPMethod(rawValue: method.uppercased())
        let headers: [(name: String, value: String)]
        do {
            headers = try RequestSignature.sign(by: key, method: method, pathAndQuery: signedPath, body: body,
                                                timestamp: clock())
        } catch {
            throw CLIError("the unlock agent did not sign the request to \(serverText)",
                           hint: "it may have ended meanwhile: run the command again, or `sealbox unlock`", status: .authentication)
        }
        for header in headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        if !body.isEmpty {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        }
        return request
    }

    /// The largest answer of a request without a cap of its own (case list, audit log, error bodies).
    static let defaultAnswerLimit = 64 << 20

    /// Sends a signed request; any HTTP status comes back, except 401, 5xx and
    /// network failures, which throw. An answer longer than `limit` bytes is cut off
    /// and refused as a server problem.
    func send(method: String, pathAndQuery: String, body: [UInt8] = [],
              limit: Int = StaffClient.defaultAnswerLimit) async throws(CLIError) -> Answer {
        let request = try request(method: method, pathAndQuery: pathAndQuery, body: body)
        let status: Int
        let data: Data
        switch await transport.exchange(request, limit: limit) {
        case .finished(let answerStatus, let body):
            (status, data) = (answerStatus, body)
        case .tooLarge:
            throw CLIError("the server at \(serverText) sent an answer longer than the \(Terminal.size(limit)) sealbox accepts for it",
                           hint: "check that --server names the staff address of sealboxd; nothing more was read",
                           status: .server)
        case .failed(let error):
            throw await unreachable(error)
        }
        switch status {
        case 401:
            throw CLIError(
                "the server at \(serverText) did not accept your staff key \(keyFileName)",
                hint: "ask the administrator to add your staff public key (\(key.publicKey.text)) to staff.keys, "
                    + "or, with a member key, ask a lead whether you are on the team (`sealbox team list`); "
                    + "if you are, check that this computer's clock is right (it may be off by at most 5 minutes)",
                status: .server)
        case 503:
            throw CLIError("the server at \(serverText) is busy (HTTP 503)", hint: "try again in a minute", status: .server)
        case 500...599:
            throw CLIError("the server at \(serverText) failed (HTTP \(status))",
                           hint: "try again later; if it keeps failing, tell the administrator", status: .server)
        default:
            return Answer(status: status, body: data)
        }
    }

    /// A signed GET that must answer 200.
    func get(_ pathAndQuery: String) async throws(CLIError) -> Data {
        let answer = try await send(method: "GET", pathAndQuery: pathAndQuery)
        guard answer.status == 200 else { throw unexpected(answer.status) }
        return answer.body
    }

    /// The error for a status the caller did not expect.
    func unexpected(_ status: Int) -> CLIError {
        CLIError("the server at \(serverText) answered HTTP \(status), which sealbox did not expect",
                 hint: "check that --server / SEALBOX_SERVER names the staff address of sealboxd", status: .server)
    }

    /// The message for a request that got no answer; a refused certificate is looked at once more to say why.
    private func unreachable(_ error: any Error) async -> CLIError {
        let failure = ConnectionFailure(error)
        let host = server.host ?? serverText
        var presented: PresentedCertificate?
        if failure.concernsTheCertificate {
            let port = server.port ?? (server.scheme?.lowercased() == "https" ? 443 : 80)
            presented = await CertificateProbe.leaf(host: host, port: port, timeout: min(transport.timeout, 10))
        }
        return failure.error(server: serverText, host: host, timeout: transport.timeout, presented: presented)
    }
}

extension StaffClient {
    /// Opens the staff key named by the settings and makes a client for the configured server.
    static func configured(settings: Settings, server: ServerOptions, passphrase: PassphraseOptions,
                           staffPassphrase: StaffPassphraseOptions, purpose: String) throws(CLIError) -> StaffClient {
        let serverURL = try settings.server(flag: server.server)
        let keyFile = try settings.requiredPath(.staffKey, flag: server.staffKey, for: purpose)
        let trust = try settings.serverTrust(for: serverURL, caFileFlag: server.serverCAFile, pinFlag: server.serverCertificateSHA256)
        let key = try KeyAccessResolver.signer(keyFile: keyFile, settings: settings, passphraseFlag: passphrase.passphraseFile,
                                               staffPassphraseFlag: staffPassphrase.staffPassphraseFile)
        return StaffClient(server: serverURL, key: key, keyFileName: keyFile.path, trust: trust)
    }

    /// A signed request with a JSON body of the staff API's contract.
    func send(method: String, pathAndQuery: String, json: some Encodable) async throws(CLIError) -> Answer {
        let body = (try? APICoding.encoder().encode(json)).map(Array.init) ?? []
        return try await send(method: method, pathAndQuery: pathAndQuery, body: body)
    }

    /// Decodes an answer body as the contract's `type`; an answer that does not fit is the server's fault.
    func decode<T: Decodable>(_ type: T.Type, from body: Data, what: String) throws(CLIError) -> T {
        do {
            return try APICoding.decode(T.self, from: body)
        } catch {
            throw CLIError("the server at \(serverText) sent \(what) that sealbox cannot read",
                           hint: "check that --server names the staff address of sealboxd, and that sealbox is up to date",
                           status: .server)
        }
    }

    /// The human message of an error answer (`APIErrorBody`), made safe to show; nil when there is none.
    static func errorMessage(in body: Data) -> String? {
        guard let wire = try? APICoding.decode(APIErrorBody.self, from: body) else { return nil }
        let text = Terminal.displaySafe(wire.error.message.isEmpty ? wire.error.code : wire.error.message)
        return text.isEmpty ? nil : String(text.prefix(300))
    }

    /// The error for a case the server does not know (404).
    func unknownCase(_ reference: CaseReference) -> CLIError {
        CLIError("the server at \(serverText) has no case \(reference.text)",
                 hint: "check the reference with `sealbox list`; the case may have been deleted")
    }
}
