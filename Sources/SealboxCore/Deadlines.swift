// The deadlines of a case (docs/PROTOCOL.md §9.2), as pure arithmetic on calendar days
// so that it can be tested without a clock. They are the office's own promise
// (configuration `office.acknowledge_days`, `office.feedback_days`, passed in as a
// `DeadlinePolicy`); the defaults follow the whistleblowing act (HinSchG §17), which
// offices and reporters know, but which does not bind an anti-discrimination office:
// - acknowledgement due 7 days after the day received, shown while the case is `received`;
// - feedback due 3 months after the day received, on the same day of the month or the
//   month's last day when that day does not exist (2026-11-30 → 2027-02-28), shown
//   until the case is `closed`; an office that sets `feedback_days` counts days instead.
// A deadline is overdue from the day after it; it is "due soon" from 7 days before it
// up to and including its day.

/// Calendar arithmetic on `Day` (proleptic Gregorian, UTC; no time of day anywhere).
extension Day {
    /// Year, month and day of the month.
    public var components: (year: Int, month: Int, day: Int) { (year, month, dayOfMonth) }

    /// Days since 1970-01-01 (negative before).
    public var ordinal: Int {
        // Howard Hinnant's days_from_civil.
        let (y0, m, d) = components
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day `ordinal` days after 1970-01-01.
    public init(ordinal: Int) {
        // Howard Hinnant's civil_from_days.
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self = Day(year: y, month: m, clampingDay: d)
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> Day {
        Day(ordinal: ordinal + count)
    }

    /// The same day of the month `count` months later, clamped to the end of that month.
    public func adding(months count: Int) -> Day {
        let (y, m, d) = components
        let index = y * 12 + (m - 1) + count
        let year = index >= 0 ? index / 12 : (index - 11) / 12
        return Day(year: year, month: index - year * 12 + 1, clampingDay: d)
    }

    /// The number of days from `self` to `other` (positive when `other` is later).
    public func days(until other: Day) -> Int {
        other.ordinal - ordinal
    }

    /// The day of the week, 1 = Monday … 7 = Sunday (ISO 8601; 1970-01-01 was a Thursday).
    public var weekday: Int {
        let remainder = (ordinal + 3) % 7
        return (remainder < 0 ? remainder + 7 : remainder) + 1
    }
}

/// How close a deadline is.
public enum DeadlineState: String, Sendable, Equatable {
    /// Today is after the due day.
    case overdue
    /// The due day is today or within the next 7 days.
    case dueSoon = "due-soon"
    /// Later than that.
    case pending
}

/// One pending deadline.
public struct Deadline: Sendable, Equatable {
    /// The office's two promises, a follow-up day the team set (PROTOCOL §3.4), the latest
    /// day the reporter's two months under the AGG may run (AGGClock.swift), the day a
    /// reply to the reporter's unanswered message is due (issue 11), and the day the server
    /// deletes the case by its retention rules (as of the last sync).
    public enum Kind: String, Sendable { case acknowledgement, feedback, followUp = "follow-up", agg, reply, retention }
    public let kind: Kind
    public let due: Day
    public let state: DeadlineState

    public init(kind: Kind, due: Day, state: DeadlineState) {
        self.kind = kind
        self.due = due
        self.state = state
    }

    /// Whether it needs action now (overdue or due within a week).
    public var needsAction: Bool { state != .pending }
}

/// A stretch of calendar time after the day a report was received.
public enum DeadlinePeriod: Sendable, Equatable, Hashable {
    case days(Int)
    case months(Int)

    /// The day this period after `start`.
    public func after(_ start: Day) -> Day {
        switch self {
        case .days(let count): start.adding(days: count)
        case .months(let count): start.adding(months: count)
        }
    }
}

/// The office's promise to reporters: when it confirms receipt and when it gives feedback.
public struct DeadlinePolicy: Sendable, Equatable {
    /// The longest period an office may configure (ten years), so that day arithmetic stays small.
    public static let maximumDays = 3660

    /// After how long the acknowledgement is due.
    public var acknowledgement: DeadlinePeriod
    /// After how long the feedback is due.
    public var feedback: DeadlinePeriod

    /// A policy; each period must lie between one day and ``maximumDays`` (checked by the callers
    /// that read configuration: a policy from code is trusted).
    public init(acknowledgement: DeadlinePeriod = .days(7), feedback: DeadlinePeriod = .months(3)) {
        self.acknowledgement = acknowledgement
        self.feedback = feedback
    }

    /// 7 days and 3 months, the whistleblowing act's deadlines (HinSchG §17).
    public static let standard = DeadlinePolicy()

    /// The policy for `acknowledgeDays` and `feedbackDays` as configured (nil: the default).
    /// Throws a message naming the key when a value is outside 1…``maximumDays``.
    public static func configured(acknowledgeDays: Int?, feedbackDays: Int?,
                                  acknowledgeKey: String, feedbackKey: String) throws(DeadlinePolicyError) -> DeadlinePolicy {
        var policy = DeadlinePolicy.standard
        if let days = acknowledgeDays {
            guard (1...maximumDays).contains(days) else { throw DeadlinePolicyError(key: acknowledgeKey) }
            policy.acknowledgement = .days(days)
        }
        if let days = feedbackDays {
            guard (1...maximumDays).contains(days) else { throw DeadlinePolicyError(key: feedbackKey) }
            policy.feedback = .days(days)
        }
        return policy
    }

    /// The day the acknowledgement is due for a case received on `received`.
    public func acknowledgementDue(received: Day) -> Day { acknowledgement.after(received) }

    /// The day the feedback is due for a case received on `received`.
    public func feedbackDue(received: Day) -> Day { feedback.after(received) }
}

/// A configured deadline outside 1…``DeadlinePolicy/maximumDays`` days.
public struct DeadlinePolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration key at fault.
    public let key: String

    public init(key: String) {
        self.key = key
    }
    public var description: String { "\(key) must be a whole number of days from 1 to \(DeadlinePolicy.maximumDays)" }
}

/// The deadlines of one case on one day.
public struct Deadlines: Sendable, Equatable {
    /// Days after receipt the acknowledgement is due by default.
    public static let acknowledgementDays = 7
    /// Months after receipt the feedback is due by default.
    public static let feedbackMonths = 3
    /// How many days ahead a deadline counts as "due soon".
    public static let soonDays = 7

    /// The acknowledgement deadline, while the case is `received`; else nil.
    public let acknowledgement: Deadline?
    /// The feedback deadline, until the case is `closed`; else nil.
    public let feedback: Deadline?

    /// The day the acknowledgement is due by default for a case received on `received`.
    public static func acknowledgementDue(received: Day) -> Day {
        DeadlinePolicy.standard.acknowledgementDue(received: received)
    }

    /// The day the feedback is due by default for a case received on `received`.
    public static func feedbackDue(received: Day) -> Day {
        DeadlinePolicy.standard.feedbackDue(received: received)
    }

    /// The state of a deadline due on `due`, seen on `today`.
    public static func state(due: Day, today: Day) -> DeadlineState {
        let left = today.days(until: due)
        if left < 0 { return .overdue }
        return left <= soonDays ? .dueSoon : .pending
    }

    /// The deadlines of a case received on `received` with `status`, seen on `today`,
    /// under the office's `policy`.
    public init(received: Day, status: CaseStatus, today: Day, policy: DeadlinePolicy = .standard) {
        if status == .received {
            let due = policy.acknowledgementDue(received: received)
            acknowledgement = Deadline(kind: .acknowledgement, due: due, state: Self.state(due: due, today: today))
        } else {
            acknowledgement = nil
        }
        if status != .closed {
            let due = policy.feedbackDue(received: received)
            feedback = Deadline(kind: .feedback, due: due, state: Self.state(due: due, today: today))
        } else {
            feedback = nil
        }
    }

    /// The pending deadlines, nearest first.
    public var pending: [Deadline] {
        [acknowledgement, feedback].compactMap { $0 }.sorted { $0.due < $1.due }
    }

    /// The nearest pending deadline, or nil for a closed case.
    public var next: Deadline? { pending.first }

    /// Whether any deadline is overdue or due within a week.
    public var needsAction: Bool { pending.contains(where: \.needsAction) }
}
