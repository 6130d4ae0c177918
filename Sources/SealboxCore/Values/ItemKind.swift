import SealboxCrypto

/// What a stored item is: one of the three sealed kinds, or a status change (no envelope).
public enum ItemKind: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case report
    case followUp = "follow-up"
    case reply
    case status

    /// The kind of a sealed envelope.
    public init(_ kind: EnvelopeKind) {
        switch kind {
        case .report: self = .report
        case .followUp: self = .followUp
        case .reply: self = .reply
        }
    }

    /// The envelope kind, nil for a status change.
    public var envelopeKind: EnvelopeKind? {
        switch self {
        case .report: .report
        case .followUp: .followUp
        case .reply: .reply
        case .status: nil
        }
    }

    public var description: String { rawValue }
}
