// What needs the team's attention in a case, from stored metadata only (nothing is
// decrypted): the reporter's messages newer than the team's last reply (issue 11,
// docs/design/DESK.md §8). Each such message is unanswered and gets its own due day,
// `reply_due_days` (default 7) after the day it arrived, on open and closed cases alike.
// The CLI and the desk both read it from here.
import SealboxCore

/// One item of a case as attention sees it: who wrote what kind of item, and when.
public struct ThreadEntry: Sendable, Equatable {
    public let id: ItemID
    public let kind: ItemKind
    public let day: Day

    public init(id: ItemID, kind: ItemKind, day: Day) {
        self.id = id
        self.kind = kind
        self.day = day
    }

    /// Whether the reporter wrote it (the report or a follow-up).
    public var isFromReporter: Bool { kind == .report || kind == .followUp }
}

/// A reporter's message no reply of the team has followed yet.
public struct UnansweredMessage: Sendable, Equatable {
    public let id: ItemID
    public let kind: ItemKind
    /// The day it arrived.
    public let day: Day
    /// The day a reply to it is due.
    public let due: Day

    public init(id: ItemID, kind: ItemKind, day: Day, due: Day) {
        self.id = id
        self.kind = kind
        self.day = day
        self.due = due
    }
}

/// The unanswered messages of one case and the reply they wait for.
public struct ReplyDue: Sendable, Equatable {
    /// Oldest first.
    public let messages: [UnansweredMessage]

    public init(messages: [UnansweredMessage]) {
        self.messages = messages
    }

    /// The earliest due day, nil when every message is answered.
    public var due: Day? { messages.map(\.due).min() }

    /// The earliest due day as a deadline seen on `today`.
    public func deadline(today: Day) -> Deadline? {
        due.map { Deadline(kind: .reply, due: $0, state: Deadlines.state(due: $0, today: today)) }
    }
}

/// The computations of attention, as pure functions over thread metadata.
public enum Attention {
    /// Days after a reporter's message a reply is due when `reply_due_days` is not set.
    public static let defaultDueDays = 7
    /// The largest `reply_due_days` accepted.
    public static let maximumDueDays = DeadlinePolicy.maximumDays

    /// The reporter's messages after the team's last reply, in thread order, each due
    /// `dueDays` after the day it arrived. Status changes, notes, codings and case data
    /// are not replies: only a reply answers the reporter.
    public static func unanswered(_ thread: [ThreadEntry], dueDays: Int = defaultDueDays) -> [UnansweredMessage] {
        let afterReply = thread.lastIndex(where: { $0.kind == .reply }).map { thread.index(after: $0) } ?? thread.startIndex
        return thread[afterReply...].filter(\.isFromReporter).map {
            UnansweredMessage(id: $0.id, kind: $0.kind, day: $0.day, due: $0.day.adding(days: dueDays))
        }
    }

    /// `unanswered` of each case, as a `ReplyDue`.
    public static func replyDue(_ thread: [ThreadEntry], dueDays: Int = defaultDueDays) -> ReplyDue {
        ReplyDue(messages: unanswered(thread, dueDays: dueDays))
    }
}
