import SealboxCrypto

/// What a stored item is: one of the sealed kinds, or a status change (no envelope).
public enum ItemKind: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case report
    case followUp = "follow-up"
    case reply
    case status
    case note
    case coding
    case caseData = "case-data"

    /// The kind of a sealed envelope that is an item of a case. A statistic record
    /// (PROTOCOL §3.5) is never one: every caller has refused kind 7 before (the daemon
    /// stores only the kinds it checked, ReportContent never decodes a statistic).
    public init(_ kind: EnvelopeKind) {
        switch kind {
        case .statistic: preconditionFailure("a statistic record is never an item of a case")
        case .report: self = .report
        case .followUp: self = .followUp
        case .reply: self = .reply
        case .note: self = .note
        case .coding: self = .coding
        case .caseData: self = .caseData
        }
    }

    /// The envelope kind, nil for a status change.
    public var envelopeKind: EnvelopeKind? {
        switch self {
        case .report: .report
        case .followUp: .followUp
        case .reply: .reply
        case .note: .note
        case .coding: .coding
        case .caseData: .caseData
        case .status: nil
        }
    }

    /// Whether the item belongs to the team alone (note, coding, case data: PROTOCOL §3.4).
    public var isCaseWork: Bool { envelopeKind?.isCaseWork ?? false }

    public var description: String { rawValue }
}
