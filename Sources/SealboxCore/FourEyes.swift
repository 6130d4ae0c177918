// The four-eyes rule for deleting a case (docs/PROTOCOL.md §9.5, docs/design/TEAM.md §5):
// one member asks, a second, different member confirms within `deletion.confirm_days`;
// until then nothing is deleted. Every decision of the rule is made here, in one place,
// the role check included: with a team roster only an active lead confirms (TEAM.md §5).

/// A deletion asked for and not yet confirmed.
public struct DeletionRequest: Sendable, Equatable {
    public let caseReference: CaseReference
    /// The member id of the member who asked (PROTOCOL §9.5; the key id of a `staff.keys` key).
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
    /// With a team roster, only a lead confirms a deletion (403 `role_required`).
    case leadRequired
}

import SealboxCrypto

/// The rule itself.
public enum FourEyes {
    /// The default of `deletion.confirm_days`.
    public static let defaultConfirmDays = 14

    /// Throws unless `member` may confirm deletions at all: with a team roster
    /// (`rosterInForce`), only an active lead; a `staff.keys` key beside a roster has no
    /// role and may not. Without a roster (a single office of staff keys) everyone may.
    public static func checkRole(of member: StaffMember, rosterInForce: Bool) throws(DeletionError) {
        guard !rosterInForce || member.isLead else { throw .leadRequired }
    }

    /// Throws unless `member` may confirm `request`: the role (checkRole), then a second,
    /// different member.
    public static func check(confirming request: DeletionRequest, by member: StaffMember,
                             rosterInForce: Bool) throws(DeletionError) {
        try checkRole(of: member, rosterInForce: rosterInForce)
        guard request.member != member.id else { throw .ownRequest }
    }

    /// Whether a case may be deleted in one step: only in an office with a single staff
    /// key, where no second member exists to confirm.
    public static func allowsOneStep(memberCount: Int) -> Bool { memberCount == 1 }
}
