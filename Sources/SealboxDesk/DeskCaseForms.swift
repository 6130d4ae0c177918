// The case page's forms of assignment, follow-up day, coding, retention and four-eyes
// deletion (docs/design/DESK.md §5): what the backend tells the page, and the parsing of
// each posted form at the edge into the workstation's types (a Day, a CodingChoice, a
// reason). A field that does not parse is a DeskFailure of its kind (400) with the
// field's id, so that the page marks it and keeps what was typed.
import Foundation
import SealboxCore

/// What the forms of one case offer and show.
public struct DeskCaseForms: Sendable {
    /// One member the case can be assigned to: the value posted back, the label shown.
    public struct Member: Sendable, Equatable {
        public var value: String
        public var label: String

        public init(value: String, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// The team's members by label (or key id without a roster), the user's own first.
    public var members: [Member]
    /// The value of the member the case is assigned to, nil for nobody.
    public var assigned: String?
    public var followUp: Day?
    /// The office's coding scheme and the case's current coding (nil: not coded yet).
    public var scheme: CodingScheme
    public var coding: CodingChoice?
    /// The server's retention: the day it deletes the case, and the day it was extended to.
    public var expires: Day?
    public var retainedUntil: Day?
    /// A deletion asked for and not yet confirmed (as of the last sync or this desk's request).
    public var deletion: DeskPendingDeletion?

    public init(members: [Member], assigned: String?, followUp: Day?, scheme: CodingScheme, coding: CodingChoice?,
                expires: Day?, retainedUntil: Day?, deletion: DeskPendingDeletion?) {
        self.members = members
        self.assigned = assigned
        self.followUp = followUp
        self.scheme = scheme
        self.coding = coding
        self.expires = expires
        self.retainedUntil = retainedUntil
        self.deletion = deletion
    }
}

/// A deletion request waiting for a second member.
public struct DeskPendingDeletion: Sendable, Equatable {
    /// Who asked, by label (or key id).
    public var requestedBy: String
    /// True when the user of this desk asked: she cannot confirm it.
    public var mine: Bool
    public var day: Day
    /// The last day a second member can confirm it.
    public var expires: Day

    public init(requestedBy: String, mine: Bool, day: Day, expires: Day) {
        self.requestedBy = requestedBy
        self.mine = mine
        self.day = day
        self.expires = expires
    }
}

/// What asking to delete came to.
public enum DeskDeletionAsked: Sendable, Equatable {
    /// Recorded; a second member confirms.
    case requested(DeskPendingDeletion)
    /// Deleted at once (an office with a single staff key).
    case deleted
}

/// What the confirmation page shows of a case: the day its report arrived, its first words.
public struct DeskDeletionPreview: Sendable, Equatable {
    public var reportDay: Day?
    public var firstWords: String?
    public var deletion: DeskPendingDeletion?

    public init(reportDay: Day?, firstWords: String?, deletion: DeskPendingDeletion?) {
        self.reportDay = reportDay
        self.firstWords = firstWords
        self.deletion = deletion
    }
}

/// A case form that failed: which form, the field to mark, the message, what was entered.
struct DeskCaseFormState {
    /// The `caseforms=` values of the redirect after success, each with a catalogue text `caseforms.done.X`.
    static let done: Set<String> = ["assigned", "follow_up", "coded", "retained", "deletion_requested"]

    var form: String
    /// The id of the field (or fieldset) to mark; nil when the failure is not a field's.
    var field: String?
    var message: String
    var values: [String: [String]]

    func value(_ name: String) -> String? { values[name]?.first }
}

/// Parsing the posted fields of the case forms.
enum DeskCaseFormFields {
    /// The longest reason accepted, in characters.
    static let maximumReason = 2_000

    /// The member field: "" is nobody.
    static func member(_ text: String?) -> String? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A day as typed: YYYY-MM-DD (the date input) or D.M.YYYY (typed by hand, German);
    /// empty is nil. Throws `.badDay` for anything else.
    static func day(_ text: String?) throws(DeskFailure) -> Day? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        if let day = try? Day(parsing: trimmed) { return day }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4,
           parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
           let day = try? Day(parsing: "\(parts[2])-\(pad(parts[1]))-\(pad(parts[0]))") {
            return day
        }
        throw DeskFailure(.badDay)
    }

    private static func pad(_ part: Substring) -> String { part.count == 1 ? "0" + part : String(part) }

    /// A required day later than `today`.
    static func futureDay(_ text: String?, today: Day) throws(DeskFailure) -> Day {
        guard let day = try day(text), today < day else { throw DeskFailure(.badDay) }
        return day
    }

    /// A required reason, trimmed; line ends as "\n".
    static func reason(_ text: String?) throws(DeskFailure) -> String {
        let reason = (text ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw DeskFailure(.emptyReason) }
        guard reason.count <= maximumReason else { throw DeskFailure(.textTooLong) }
        return reason
    }

    /// The case reference typed again before a deletion is asked for (as `sealbox delete`
    /// asks for it): any case, spaces and the hyphen optional.
    static func typedReference(_ text: String?, matches reference: CaseReference) throws(DeskFailure) {
        let typed = (text ?? "").uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard typed == reference.text.filter({ $0 != "-" }) else { throw DeskFailure(.referenceMismatch) }
    }

    /// The coding form: one field per dimension (repeated for the multi-valued ones); an
    /// empty single value is none. The scheme's check is the backend's (CodeCommand.check).
    static func coding(_ values: (String) -> [String]) throws(DeskFailure) -> CodingChoice {
        func one(_ dimension: CodingScheme.Dimension) -> String? {
            values(dimension.rawValue).first.flatMap { $0.isEmpty ? nil : $0 }
        }
        let choice = CodingChoice(grounds: values("grounds").filter { !$0.isEmpty }, area: one(.area), form: one(.form),
                                  level: one(.level), interventions: values("interventions").filter { !$0.isEmpty },
                                  outcome: one(.outcome))
        guard choice != CodingChoice() else { throw DeskFailure(.badCoding) }
        return choice
    }

    /// The dimension a coding failure names ("… of grounds …"), for the fieldset to mark.
    static func dimension(of failure: DeskFailure) -> CodingScheme.Dimension? {
        guard let detail = failure.detail else { return nil }
        return CodingScheme.Dimension.allCases.first { detail.contains(" of \($0.rawValue)") }
    }

    /// The id of the field a failure of form `form` marks.
    static func field(_ failure: DeskFailure, form: String) -> String? {
        switch (form, failure.kind) {
        case ("assign", .unknownMember): "caseforms-member"
        case ("follow_up", .badDay): "caseforms-follow-up"
        case ("code", .badCoding): "caseforms-code-" + (dimension(of: failure)?.rawValue ?? "grounds")
        case ("retain", .badDay): "caseforms-until"
        case ("retain", .emptyReason), ("retain", .textTooLong): "caseforms-retain-reason"
        case ("delete", .emptyReason), ("delete", .textTooLong): "caseforms-delete-reason"
        case ("delete", .referenceMismatch): "caseforms-delete-reference"
        default: nil
        }
    }
}
