// What the desk asks of the workstation (docs/design/DESK.md §2). The desk holds no
// second implementation of opening, checking, replying or syncing: SealboxCLI implements
// this protocol with the same code its commands run (TeamKeySource, CaseOpener,
// CaseWorkSender, the reply sealer, the synchroniser). The desk only renders.
import SealboxCore
import SealboxCrypto

/// The keys of one unlocked session, opaque to the desk; wiped on lock.
public protocol DeskKeys: AnyObject, Sendable {
    /// Drops every secret this session holds.
    func wipe()
}

/// The workstation as the desk sees it.
public protocol DeskBackend: Sendable {
    /// Opens the key files with `passphrase`; throws `.wrongPassphrase` when it does not open them.
    func unlock(passphrase: SecureBytes) async throws(DeskFailure) -> any DeskKeys
    /// The cases of the local store, newest activity first.
    func inbox(keys: any DeskKeys, today: Day) async throws(DeskFailure) -> [DeskCaseSummary]
    /// The whole thread of a case, opened and checked.
    func thread(_ reference: CaseReference, keys: any DeskKeys) async throws(DeskFailure) -> DeskThread
    /// Seals and sends a reply to the reporter.
    func reply(_ reference: CaseReference, text: String, keys: any DeskKeys) async throws(DeskFailure)
    /// Sets the status of a case on the server.
    func setStatus(_ reference: CaseReference, _ status: CaseStatus, keys: any DeskKeys) async throws(DeskFailure)
    /// Adds a note for the team.
    func note(_ reference: CaseReference, text: String, keys: any DeskKeys) async throws(DeskFailure)
    /// Fetches new items from the server into the local store; the number of new items.
    func sync(keys: any DeskKeys) async throws(DeskFailure) -> Int

    // MARK: Statistics, audit and team (DeskStatistics.swift, DeskAudit.swift)
    /// The office's figures for the months `from` … `to` from the statistic records
    /// (deleted cases included), suppressed with the `stats_min_cell` setting.
    func statistics(from: Month, to: Month, keys: any DeskKeys) async throws(DeskFailure) -> DeskStatistics
    /// The team's audit log, its chain recomputed and checked against the local pin.
    func audit(keys: any DeskKeys) async throws(DeskFailure) -> DeskAudit
    /// The team roster, verified from the trusted leads.
    func team(keys: any DeskKeys) async throws(DeskFailure) -> DeskTeam
    /// Makes `change`, signed with the member key file that `passphrase` opens (leads only).
    func changeTeam(_ change: DeskTeamChange, passphrase: SecureBytes, keys: any DeskKeys) async throws(DeskFailure)
}

/// Why a desk action failed: a kind the pages name in the counsellor's language, and the
/// workstation's own message (English, as the CLI words it) for the details.
public struct DeskFailure: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case wrongPassphrase = "wrong_passphrase"
        case unknownCase = "unknown_case"
        case emptyText = "empty_text"
        case textTooLong = "text_too_long"
        case badStatus = "bad_status"
        case server
        case storeUnreadable = "store"
        case other
        /// A team change asked of a member who is not a lead.
        case notLead = "not_lead"
        /// A field of a team form that cannot be used (a label, a key, a case, a list of members).
        case badField = "bad_field"
    }

    public let kind: Kind
    public let detail: String?

    public init(_ kind: Kind, detail: String? = nil) {
        self.kind = kind
        self.detail = detail
    }
}

/// One row of the inbox, from the store's plain metadata (nothing decrypted but the
/// assignment, which comes from the team's case data).
public struct DeskCaseSummary: Sendable, Equatable {
    public var reference: CaseReference
    public var status: CaseStatus
    /// The assigned member's label, nil for nobody.
    public var assigned: String?
    public var lastActivity: Day
    /// The reporter wrote last: the report or a follow-up no reply has answered yet.
    public var awaitingAnswer: Bool
    /// The nearest deadline (legal clock or follow-up day), if any.
    public var nextDeadline: DeskDeadline?

    public init(reference: CaseReference, status: CaseStatus, assigned: String?, lastActivity: Day,
                awaitingAnswer: Bool, nextDeadline: DeskDeadline?) {
        self.reference = reference
        self.status = status
        self.assigned = assigned
        self.lastActivity = lastActivity
        self.awaitingAnswer = awaitingAnswer
        self.nextDeadline = nextDeadline
    }
}

/// A deadline as the inbox tells it: what is due and on which day.
public struct DeskDeadline: Sendable, Equatable {
    public var kind: Deadline.Kind
    public var due: Day

    public init(kind: Deadline.Kind, due: Day) {
        self.kind = kind
        self.due = due
    }
}

/// A case opened for its page.
public struct DeskThread: Sendable {
    public var reference: CaseReference
    public var status: CaseStatus?
    public var assigned: String?
    public var followUp: Day?
    public var items: [DeskThreadItem]

    public init(reference: CaseReference, status: CaseStatus?, assigned: String?, followUp: Day?, items: [DeskThreadItem]) {
        self.reference = reference
        self.status = status
        self.assigned = assigned
        self.followUp = followUp
        self.items = items
    }
}

/// One item of a thread, in the order stored.
public struct DeskThreadItem: Sendable {
    public enum Check: Sendable, Equatable {
        /// Its signature (or the reporter's key binding) checked out.
        case checked
        /// Written before Sealbox signed messages: nothing proves who wrote it.
        case unsigned
        /// A status change: the server's record of a signed staff request, itself unsigned.
        case serverRecord
        /// Not authentic, or it did not open; the workstation's words why.
        case failed(String)
    }

    public var kind: ItemKind
    public var day: Day
    /// Who wrote it: "reporter", a member's label, or a staff key id.
    public var author: String
    public var check: Check
    /// The decrypted text (empty for a status change or an item that did not open).
    public var text: String
    /// Details by catalogue key (`field.KEY`): report fields, a coding's dimensions, case data.
    public var fields: [(key: String, value: String)]
    /// For a status change, the new status.
    public var caseStatus: CaseStatus?

    public init(kind: ItemKind, day: Day, author: String, check: Check, text: String,
                fields: [(key: String, value: String)] = [], caseStatus: CaseStatus? = nil) {
        self.kind = kind
        self.day = day
        self.author = author
        self.check = check
        self.text = text
        self.fields = fields
        self.caseStatus = caseStatus
    }
}
