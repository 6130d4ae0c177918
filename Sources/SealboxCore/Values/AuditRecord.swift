import SealboxCrypto

/// What a staff member did to a case (never content).
public enum AuditAction: Hashable, Sendable, CustomStringConvertible {
    case reply
    case status(CaseStatus)
    case delete
    /// An item of case work was stored (PROTOCOL §3.4): `note`, `coding` or `case-data`.
    case caseWork(EnvelopeKind)

    /// Parses `reply`, `delete`, `status:<status>`, `note`, `coding` or `case-data`.
    public init(parsing text: String) throws(InvalidValue) {
        switch text {
        case "reply": self = .reply
        case "delete": self = .delete
        case "note": self = .caseWork(.note)
        case "coding": self = .caseWork(.coding)
        case "case-data": self = .caseWork(.caseData)
        default:
            guard text.hasPrefix("status:"), let status = CaseStatus(rawValue: String(text.dropFirst(7))) else {
                throw InvalidValue("audit action")
            }
            self = .status(status)
        }
    }

    /// `reply`, `delete` or `status:<status>`.
    public var text: String {
        switch self {
        case .reply: "reply"
        case .delete: "delete"
        case .status(let status): "status:\(status.rawValue)"
        case .caseWork(let kind): kind.name
        }
    }

    public var description: String { text }
}

extension AuditAction: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(parsing: try container.decode(String.self))
        } catch let error as InvalidValue {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// The server's view of a case: no content, only what the server must know.
public struct CaseRecord: Sendable, Equatable {
    public let reference: CaseReference
    public let reporterKey: BoxPublicKey
    public let status: CaseStatus
    public let received: Day
    public let acknowledged: Day?
    public let updated: Day

    public init(reference: CaseReference, reporterKey: BoxPublicKey, status: CaseStatus, received: Day,
                acknowledged: Day?, updated: Day) {
        self.reference = reference
        self.reporterKey = reporterKey
        self.status = status
        self.received = received
        self.acknowledged = acknowledged
        self.updated = updated
    }
}

/// One line of the audit log of staff actions: never content.
public struct AuditEntry: Sendable, Equatable {
    public let day: Day
    /// The key id of the staff key that signed the request.
    public let staffKeyID: KeyID
    public let action: AuditAction
    public let caseReference: CaseReference

    public init(day: Day, staffKeyID: KeyID, action: AuditAction, caseReference: CaseReference) {
        self.day = day
        self.staffKeyID = staffKeyID
        self.action = action
        self.caseReference = caseReference
    }
}
