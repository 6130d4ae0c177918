// The four-eyes rule for deleting a case (docs/PROTOCOL.md §9.5, docs/design/TEAM.md §5):
// one member asks, a second, different member confirms within `deletion.confirm_days`;
// until then nothing is deleted. Every decision of the rule is made here, in one place:
// when the roster with roles exists (issue 10), the check that the confirming member is
// a lead goes into `FourEyes.check(confirming:by:)`, and nowhere else.

/// A deletion asked for and not yet confirmed.
public struct DeletionRequest: Sendable, Equatable {
    public let caseReference: CaseReference
    /// The key id of the member who asked.
    public let member: KeyID
    /// The day she asked.
    public let day: Day

    public init(caseReference: CaseReference, member: KeyID, day: Day) {
        self.caseReference = caseReference
        self.member = member
        self.day = day
    }

    /// The last day on which it can be confirmed: `day + confirmDays`.
    public func lastDay(confirmDays: Int) -> Day { day.adding(days: confirmDays) }

    /// Whether it has expired on `today` (after its last day).
    public func isExpired(today: Day, confirmDays: Int) -> Bool { today > lastDay(confirmDays: confirmDays) }
}

/// Why a step of a deletion was refused.
public enum DeletionError: Error, Equatable, Sendable {
    /// A deletion of the case is already asked for (by this member or another).
    case alreadyRequested(DeletionRequest)
    /// Nothing to confirm: no request, or it expired (and was dropped).
    case noRequest
    /// The member who asked cannot confirm her own request.
    case ownRequest
    /// One-step deletion while the office has more than one member.
    case secondMemberRequired
}

import SealboxCrypto

/// The rule itself.
public enum FourEyes {
    /// The default of `deletion.confirm_days`.
    public static let defaultConfirmDays = 14

    /// Throws unless `member` may confirm `request`. The one place for a role check
    /// (a lead required to confirm) once members have roles.
    public static func check(confirming request: DeletionRequest, by member: KeyID) throws(DeletionError) {
        guard request.member != member else { throw .ownRequest }
    }

    /// Whether a case may be deleted in one step: only in an office with a single staff
    /// key, where no second member exists to confirm.
    public static func allowsOneStep(memberCount: Int) -> Bool { memberCount == 1 }
}
