// Verifies the signature on every staff request (docs/PROTOCOL.md §7). Missing or bad
// headers, unknown keys, stale timestamps, replayed nonces and bad signatures all get
// the same 401; the log says only that a request was refused.
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SealboxCore
import SealboxCrypto

/// Remembers nonces for the freshness window, so that no request can be replayed.
final class NonceCache: Sendable {
    private let seen = NIOLockedValueBox<[String: Int64]>([:])
    let window: Int64

    init(window: Int64) { self.window = window }

    /// False when the nonce was seen already; otherwise records it. `now` is the
    /// daemon's own clock, so the arithmetic here never meets a header value.
    func insert(_ nonce: String, now: Int64) -> Bool {
        seen.withLockedValue { seen in
            if seen.count > 10_000 || Int.random(in: 0..<64) == 0 {
                seen = seen.filter { $0.value > now - window }
            }
            if let expiry = seen[nonce], expiry > now - window { return false }
            seen[nonce] = now + window
            return true
        }
    }
}

/// Checks every staff request in the order that costs an attacker the most and the
/// daemon the least: headers parsed with limits, key known, timestamp fresh; only then
/// the body is read (capped at `bodyLimit`), the signature verified with SealboxCrypto's
/// one verifier, and the nonce recorded against replay.
struct StaffAuthenticator: RouterMiddleware {
    typealias Context = SealboxRequestContext
    let keys: Set<SigningPublicKey>
    /// The team roster: the signing key of every active member is accepted too, and a
    /// removed member's from the moment of her removal no more (PROTOCOL §12.3).
    let roster: RosterBook?
    let nonces: NonceCache
    /// The largest staff request body: a sealed reply of 4 MiB in base64url is about 5.6 MB.
    static let bodyLimit = 6 << 20
    let logger: Logger
    var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    /// Paths answered without a signature: the monitoring probes while the staff listener
    /// is bound to loopback (Monitoring.swift); empty otherwise.
    var openPaths: Set<String> = []

    init(keys: Set<SigningPublicKey>, roster: RosterBook? = nil, nonces: NonceCache, logger: Logger,
         openPaths: Set<String> = []) {
        self.keys = keys
        self.roster = roster
        self.nonces = nonces
        self.logger = logger
        self.openPaths = openPaths
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" || openPaths.contains(request.uri.path) { return try await next(request, context) }
        let now = clock()
        guard let headers = signedHeaders(request), isKnown(headers.key),
              RequestSignature.isFresh(headers.timestamp, now: now)
        else { throw refused() }
        var request = request
        let body = try await request.collectBody(limit: Self.bodyLimit)
        guard let message = headers.verifiedMessage(method: request.method.rawValue, pathAndQuery: request.head.path ?? "/",
                                                    bodySHA256Hex: Hex.encode(Hash.sha256(body))),
              nonces.insert(headers.nonce, now: now)
        else { throw refused() }
        request.body = RequestBody(buffer: ByteBuffer(bytes: body))
        var context = context
        context.staffMember = member(signingKey: headers.key)
        context.staffKey = headers.key
        context.staffRequestDigest = AuditChain.requestDigest(message)
        return try await next(request, context)
    }

    /// A key of `staff.keys` or an active member's signing key.
    func isKnown(_ key: SigningPublicKey) -> Bool {
        keys.contains(key) || roster?.activeMember(signingKey: key) != nil
    }

    /// Who signs with `key`: the active roster member (member id, label, role) when there is
    /// one, else the `staff.keys` key by its key id (PROTOCOL §12.3).
    func member(signingKey key: SigningPublicKey) -> StaffMember {
        roster?.activeMember(signingKey: key).map(StaffMember.init) ?? StaffMember(staffKey: key)
    }

    func signedHeaders(_ request: Request) -> RequestSignature.SignedHeaders? {
        let h = request.headers
        return RequestSignature.SignedHeaders(
            key: h[Self.key], timestamp: h[Self.timestamp], nonce: h[Self.nonce], signature: h[Self.signature])
    }

    private func refused() -> PublicError {
        logger.notice("staff request refused")
        return PublicError.unauthorized
    }

    static let key = HTTPField.Name(RequestSignature.Header.key)!
    static let timestamp = HTTPField.Name(RequestSignature.Header.timestamp)!
    static let nonce = HTTPField.Name(RequestSignature.Header.nonce)!
    static let signature = HTTPField.Name(RequestSignature.Header.signature)!
}
