// Keeps a reporter's visit to the inbox between pages: in memory only (the case, the
// reporter's PUBLIC key, so that a follow-up can be sealed, and the reporter signing
// key, so that it can be signed: PROTOCOL §9.4; never the code or the key that opens the
// thread), expiring after 15 idle minutes and on "leave". The cookie carries a random token, nothing else.
import Foundation
import NIOConcurrencyHelpers
import SealboxCore
import SealboxCrypto

struct Visit: Sendable {
    let caseReference: CaseReference
    let record: CaseRecord
    /// The reporter signing key derived from the code (PROTOCOL §9.4), wiped when the visit ends.
    let signingKey: SigningSecretKey?
    /// Proves that a form was sent from a page of this visit (compared in constant time).
    let formToken: String
    var lastSeen: Date
}

final class VisitStore: Sendable {
    static let cookieName = "sealbox_visit"
    let idle: TimeInterval
    private let visits = NIOLockedValueBox<[String: Visit]>([:])

    init(idle: TimeInterval = 15 * 60) { self.idle = idle }

    /// Starts a visit; returns the cookie token.
    func start(record: CaseRecord, signingKey: SigningSecretKey?, now: Date = Date()) -> (token: String, visit: Visit) {
        let token = Base64URL.encode(Random.bytes(32))
        let visit = Visit(caseReference: record.reference, record: record, signingKey: signingKey,
                          formToken: Base64URL.encode(Random.bytes(32)), lastSeen: now)
        visits.withLockedValue { visits in
            visits = visits.filter { now.timeIntervalSince($0.value.lastSeen) < idle }
            visits[token] = visit
        }
        return (token, visit)
    }

    /// The live visit of this token whose form token matches; refreshes its idle time.
    func visit(token: String?, formToken: String?, now: Date = Date()) -> Visit? {
        guard let token, let formToken else { return nil }
        return visits.withLockedValue { visits in
            guard var visit = visits[token] else { return nil }
            guard now.timeIntervalSince(visit.lastSeen) < idle else {
                visits[token] = nil
                return nil
            }
            guard constantTimeEquals(Array(visit.formToken.utf8), Array(formToken.utf8)) else { return nil }
            visit.lastSeen = now
            visits[token] = visit
            return visit
        }
    }

    func end(token: String?) {
        guard let token else { return }
        _ = visits.withLockedValue { $0.removeValue(forKey: token) }
    }

    var count: Int { visits.withLockedValue { $0.count } }
}
