// Retention (docs/PROTOCOL.md §9.6, docs/design/TEAM.md §8): each case has an expiry day,
// the last day it is kept; the daemon deletes it the day after. A closed case is kept
// `closed_days` after the day it was closed, any other case `inactive_days` after its
// last activity; a member may keep one longer (`retain_until`), never shorter.

/// The office's retention periods.
public struct RetentionPolicy: Sendable, Equatable {
    public var closedDays: Int
    public var inactiveDays: Int

    /// Three years (HinSchG §11 (5)) for both.
    public static let standard = RetentionPolicy(closedDays: 1095, inactiveDays: 1095)

    public init(closedDays: Int, inactiveDays: Int) {
        self.closedDays = closedDays
        self.inactiveDays = inactiveDays
    }

    /// The last day a case is kept. `closed` is the day it was closed when its status is
    /// closed, `updated` the day of its last activity.
    public func expiry(closed: Day?, updated: Day, retainUntil: Day?) -> Day {
        let computed = closed.map { $0.adding(days: closedDays) } ?? updated.adding(days: inactiveDays)
        guard let retainUntil, retainUntil > computed else { return computed }
        return retainUntil
    }
}

/// What the daemon knows of a case for retention: its expiry and any extension.
public struct RetentionState: Sendable, Equatable {
    public let caseReference: CaseReference
    public let expires: Day
    public let retainedUntil: Day?

    public init(caseReference: CaseReference, expires: Day, retainedUntil: Day?) {
        self.caseReference = caseReference
        self.expires = expires
        self.retainedUntil = retainedUntil
    }

    /// Whether the case is due for deletion on `today`.
    public func isDue(today: Day) -> Bool { today > expires }
}
