// Verifies the signature on every staff request (docs/PROTOCOL.md §7). Missing or bad
// headers, unknown keys, stale timestamps, replayed nonces and bad signatures all get
// the same 401; the log says only that a request was refused.
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SealboxCrypto

/// Remembers nonces for the freshness window, so that no request can be replayed.
final class NonceCache: Sendable {
    private let seen = NIOLockedValueBox<[String: Int64]>([:])
    let window: Int64

    init(window: Int64) { self.window = window }

    /// False when the nonce was seen already; otherwise records it.
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

struct StaffAuthenticator: RouterMiddleware {
    typealias Context = SealboxRequestContext
    let keys: Set<SigningPublicKey>
    let nonces: NonceCache
    let bodyLimit: Int
    let logger: Logger
    var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(limit: bodyLimit)
        guard let key = verify(request, body: body) else {
            logger.notice("staff request refused")
            throw PublicError.unauthorized
        }
        request.body = RequestBody(buffer: ByteBuffer(bytes: body))
        var context = context
        context.staffKeyID = key.keyID.hex
        return try await next(request, context)
    }

    /// The signing key when the request's signature is valid, fresh and not replayed.
    func verify(_ request: Request, body: [UInt8]) -> SigningPublicKey? {
        let h = request.headers
        guard let keyText = h[HTTPField.Name("Sealbox-Key")!],
              let timestampText = h[HTTPField.Name("Sealbox-Timestamp")!], let timestamp = Int64(timestampText),
              let nonce = h[HTTPField.Name("Sealbox-Nonce")!], let nonceBytes = Base64URL.decode(nonce), nonceBytes.count == 16,
              let signatureText = h[HTTPField.Name("Sealbox-Signature")!],
              let signature = Base64URL.decode(signatureText), signature.count == 64,
              let key = try? SigningPublicKey(text: keyText), keys.contains(key)
        else { return nil }
        let now = clock()
        guard abs(now - timestamp) <= nonces.window else { return nil }
        let message = RequestSignature.message(
            method: request.method.rawValue, pathAndQuery: request.head.path ?? "/", timestamp: timestamp,
            nonce: nonce, bodySHA256Hex: Hex.encode(Hash.sha256(body)), keyText: keyText)
        guard key.isValidSignature(signature, for: message), nonces.insert(nonce, now: now) else { return nil }
        return key
    }
}
