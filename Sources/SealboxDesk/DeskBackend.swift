// What the desk asks of the workstation (docs/design/DESK.md §2). The desk holds no
// second implementation of opening, checking, replying or syncing: SealboxCLI implements
// this protocol with the same code its commands run (TeamKeySource, CaseOpener,
// CaseWorkSender, the reply sealer, the synchroniser). The desk only renders.
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

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

    // MARK: Speed

    /// The cases whose decrypted texts contain every word of `query` (by prefix), with
    /// the words that matched, from the session's in-memory index (DeskSearch.swift).
    func search(_ query: String, keys: any DeskKeys) async -> DeskSearchResult
    /// Work done in the background while the desk is unlocked (building and refreshing the
    /// search index); called again about every second, returns when there is nothing to do.
    func backgroundWork(keys: any DeskKeys) async
    // MARK: composer
    /// The reply templates: the shipped ones with the office's folder over them; throws
    /// (`.other`, the loader's message) when an office file is broken.
    func replyTemplates() throws(DeskFailure) -> ReplyTemplates
    /// One attachment of a case opened in memory (the sealed blob from the store, else
    /// fetched from the server and kept nowhere): `.attachmentUnknown` for an id the case
    /// does not name, `.attachmentDamaged` when it fails authentication, `.server` when
    /// the server cannot be reached.
    func attachment(_ reference: CaseReference, id: AttachmentID, keys: any DeskKeys) async throws(DeskFailure)
        -> DeskAttachmentContent
    // MARK: case forms
    /// What the case page's forms of assignment, follow-up, coding, retention and deletion offer and show.
    func caseForms(_ reference: CaseReference, keys: any DeskKeys) async throws(DeskFailure) -> DeskCaseForms
    /// Assigns the case to the member `member` names (a value of `DeskCaseForms.members`), nil for nobody.
    func assign(_ reference: CaseReference, to member: String?, keys: any DeskKeys) async throws(DeskFailure)
    /// Sets (or, with nil, clears) the follow-up day.
    func setFollowUp(_ reference: CaseReference, _ day: Day?, keys: any DeskKeys) async throws(DeskFailure)
    /// Codes the case with `choice`, checked against the office's scheme, with its statistic record.
    func code(_ reference: CaseReference, _ choice: CodingChoice, keys: any DeskKeys) async throws(DeskFailure)
    /// Keeps the case at least until `until`; the reason goes as a team note.
    func retain(_ reference: CaseReference, until: Day, reason: String, keys: any DeskKeys) async throws(DeskFailure)
    /// Asks the server to delete the case (a second member confirms); the reason goes as a team note.
    func requestDeletion(_ reference: CaseReference, reason: String, keys: any DeskKeys) async throws(DeskFailure)
        -> DeskDeletionAsked
    /// Confirms another member's request: the server deletes the case, then the local store.
    func confirmDeletion(_ reference: CaseReference, keys: any DeskKeys) async throws(DeskFailure)
    /// What the confirmation page shows so that the right case goes.
    func deletionPreview(_ reference: CaseReference, keys: any DeskKeys) async throws(DeskFailure) -> DeskDeletionPreview
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
        case attachmentUnknown = "attachment_unknown"
        case attachmentDamaged = "attachment_damaged"
        case placeholderLeft = "placeholder_left"
        // case forms: their texts are caseforms.error.<suffix>
        case unknownMember = "caseforms.unknown_member"
        case badDay = "caseforms.bad_day"
        case badCoding = "caseforms.bad_coding"
        case emptyReason = "caseforms.empty_reason"
        case ownDeletion = "caseforms.own_deletion"
        case deletionConflict = "caseforms.deletion_conflict"
        case leadRequired = "caseforms.lead_required"
        case referenceMismatch = "caseforms.reference_mismatch"
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
    /// Assigned to the member signed in (the inbox filter "mine").
    public var assignedToMe = false
    /// Changed since the counsellor last looked at it (`list --new`).
    public var unread = false
    /// The day the oldest unanswered message of the reporter is due for a reply.
    public var replyDue: Day?
    /// The coding's grounds and area (codes of the scheme), from the latest authentic coding.
    public var grounds: [String] = []
    public var area: String?

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
    /// Every running clock of the case, nearest first: acknowledgement, feedback, follow-up,
    /// a reply due, the AGG period from the reporter's incident date, the retention expiry.
    public var clocks: [DeskDeadline] = []

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
    /// A report's or follow-up's attachments (composer part).
    public var attachments: [DeskAttachment] = []
    /// The language the reporter used (`lang` sealed in a report or follow-up), if any.
    public var language: String?

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
