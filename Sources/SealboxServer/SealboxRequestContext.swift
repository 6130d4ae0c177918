// The per-request context. It holds the client's address only for the rate limiter's
// keyed hash, in memory, for the length of the request; it is never logged or stored.
import Hummingbird
import NIOCore
import SealboxCore
import SealboxCrypto

public struct SealboxRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, for `AttemptLimiter` only.
    public let clientAddress: String?
    /// Who signed this request (staff listener only): a roster member by her member id,
    /// label and role, or a `staff.keys` key by its key id (PROTOCOL §12.3).
    public var staffMember: StaffMember?
    /// The staff key that signed this request (staff listener only).
    public var staffKey: SigningPublicKey?
    /// `H(32)` of this request's signed message (PROTOCOL §7), for the audit chain.
    public var staffRequestDigest: [UInt8] = []

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }
}

extension Router where Context == SealboxRequestContext {
    /// Answers 405 with an Allow header on each path for the methods it does not take
    /// (a path that takes GET takes HEAD too).
    func refuseOtherMethods(_ routes: [(path: String, allowed: [HTTPRequest.Method])]) {
        for (path, allowed) in routes {
            refuseOtherMethods(RouterPath(path), allowed: allowed + (allowed.contains(.get) ? [.head] : []))
        }
    }

    /// Answers 405 with an Allow header for the methods a path does not take.
    func refuseOtherMethods(_ path: RouterPath, allowed: [HTTPRequest.Method]) {
        let others: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch].filter { !allowed.contains($0) }
        for method in others {
            on(path, method: method) { _, _ -> Response in
                throw PublicError(.methodNotAllowed, "error.method_not_allowed",
                                  allow: allowed.map(\.rawValue).joined(separator: ", "))
            }
        }
    }
}
