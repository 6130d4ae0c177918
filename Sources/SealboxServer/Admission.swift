// Rule: every request that costs a key derivation or storage is admitted here first, before
// its body is read: a full disk answers 507, a busy key-derivation pool 503, an exhausted
// budget 429 with Retry-After. Clients are counted only under a keyed hash of their address
// (AttemptLimiter); the address is never logged or stored.
import Foundation
import HTTPTypes
import Hummingbird
import SealboxCore

/// The budgets and checks of one listener (public or onion).
struct Admission: Sendable {
    /// Well-formed code attempts (inbox page and API).
    let codeAttempts: AttemptLimiter
    /// New reports (form and API).
    let submissions: AttemptLimiter
    /// The proxy's header naming the client address; nil: the connection's peer address.
    let clientAddressHeader: HTTPField.Name?
    let space: StorageSpace
    let pool: BlockingPool
    /// Codes derived ahead: while one is ready, a full pool does not refuse a submission.
    let codes: CodePool?

    /// The address a client is counted under: the last value of the proxy's header, else the peer.
    func clientAddress(_ request: Request, _ context: SealboxRequestContext) -> String? {
        clientAddressHeader.flatMap { request.headers[$0] }?
            .split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? context.clientAddress
    }

    /// Counts one code attempt; 429 over the client's or the global budget.
    func admitCode(_ request: Request, _ context: SealboxRequestContext) throws {
        try Self.check(codeAttempts.attempt(from: clientAddress(request, context)), "error.rate_limited")
    }

    /// Admits one new report before its body is read: room on disk (507), a free place in
    /// the key-derivation pool (503), then the client's and the global budget (429). A
    /// refused submission does not count against the budget. A multipart upload (up to
    /// 25 MiB) gets its place held until it is read, so that a busy pool refuses it at once
    /// rather than after the upload; a held place is bounded by `public.body_timeout`.
    /// Small bodies (JSON, urlencoded) are read at once and take their place afterwards.
    func admitSubmission(_ request: Request, _ context: SealboxRequestContext) throws -> PoolReservation? {
        try space.check(incoming: request.declaredLength ?? 0)
        var reservation: PoolReservation?
        do {
            if let codes, codes.readyCount > 0 {
                // A ready code needs no place in the pool.
            } else if MediaType(request.headers[.contentType])?.type == "multipart/form-data" {
                reservation = try pool.reserve()
            } else if pool.load >= pool.workers + pool.queueLimit {
                throw PoolSaturated()
            }
        } catch {
            throw busy
        }
        try Self.check(submissions.attempt(from: clientAddress(request, context)), "error.submissions_limited")
        return reservation
    }

    /// The 503 of a full pool, with the pool's estimate of when a place frees up.
    var busy: PublicError { PublicError.busy(retryAfter: pool.retryAfter()) }

    static func check(_ decision: AttemptDecision, _ messageKey: String) throws {
        if case .limited(let retryAfter) = decision {
            throw PublicError(.tooManyRequests, messageKey, retryAfter: max(1, retryAfter))
        }
    }
}

extension Request {
    /// The body length the client declared, when it is a plain number that fits.
    var declaredLength: Int64? {
        guard let text = headers[.contentLength], text.utf8.count <= 18 else { return nil }
        return Int64(text)
    }
}
