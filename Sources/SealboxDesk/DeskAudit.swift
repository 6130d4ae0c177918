// The audit page's data (docs/design/DESK.md §5 "Audit"): the team's audit log as the
// workstation fetched it, with the verdict of the code `sealbox audit --verify` runs (the
// hash chain recomputed, then checked against the pin in the local store). The desk
// renders the verdict in words (never only a colour) and the entries by day.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n

/// The audit log and whether its chain holds.
public struct DeskAudit: Sendable {
    /// One entry: the day, who acted (a member's label, a key id, nil for the daemon), what, which case.
    public struct Entry: Sendable, Equatable {
        public var day: Day
        public var member: String?
        public var action: AuditAction
        public var reference: CaseReference?

        public init(day: Day, member: String?, action: AuditAction, reference: CaseReference?) {
            self.day = day
            self.member = member
            self.action = action
            self.reference = reference
        }
    }

    /// The verdict on the chain.
    public enum Verdict: Sendable, Equatable {
        /// The chain recomputes and extends the pin; its head hash (hex), nil for an empty log.
        case verified(head: String?)
        /// Entry `index` (0-based) does not fit: its `prev` is wrong, its hash is wrong, or it is out of order.
        case broken(index: Int, reason: Reason)
        /// The chain does not extend what this workstation verified before (rolled back or rewritten);
        /// the workstation's words why.
        case pinRefused(String)
    }

    public enum Reason: String, Sendable {
        case prev, hash, order
    }

    public var entries: [Entry]
    public var verdict: Verdict

    public init(entries: [Entry], verdict: Verdict) {
        self.entries = entries
        self.verdict = verdict
    }
}
