// The staff API's case bodies: the case list, the audit log, replies, status changes and
// the team's case work (notes, codings, case data).
import SealboxCore
import SealboxCrypto

/// `GET /api/v1/staff/cases`: every case, newest first.
public struct CaseList: Codable, Sendable, Equatable {
    public let cases: [CaseSummary]

    public init(cases: [CaseSummary]) { self.cases = cases }
}

/// What the server knows of a case: no content.
public struct CaseSummary: Codable, Sendable, Equatable {
    public let `case`: CaseReference
    public let status: CaseStatus
    public let received: Day
    /// Null until the case is acknowledged; always present.
    public let acknowledged: Day?
    public let updated: Day

    public init(case reference: CaseReference, status: CaseStatus, received: Day, acknowledged: Day?, updated: Day) {
        self.case = reference
        self.status = status
        self.received = received
        self.acknowledged = acknowledged
        self.updated = updated
    }

    enum CodingKeys: String, CodingKey { case `case`, status, received, acknowledged, updated }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.case, forKey: .case)
        try c.encode(status, forKey: .status)
        try c.encode(received, forKey: .received)
        try c.encode(acknowledged, forKey: .acknowledged)
        try c.encode(updated, forKey: .updated)
    }
}

/// `GET /api/v1/staff/audit`: the audit log, oldest first.
public struct AuditLog: Codable, Sendable, Equatable {
    public let entries: [AuditLogEntry]

    public init(entries: [AuditLogEntry]) { self.entries = entries }
}

/// One staff action: day, the signing key's id, the action, the case. Never content.
public struct AuditLogEntry: Codable, Sendable, Equatable {
    public let day: Day
    public let action: AuditAction
    public let `case`: CaseReference
    public let staffKeyID: KeyID

    public init(day: Day, action: AuditAction, case reference: CaseReference, staffKeyID: KeyID) {
        self.day = day
        self.action = action
        self.case = reference
        self.staffKeyID = staffKeyID
    }

    enum CodingKeys: String, CodingKey { case day, action, `case`, staffKeyID = "staff_key" }
}

/// `POST /api/v1/staff/cases/{case}/replies`: a reply sealed on the workstation.
public struct ReplyRequest: Codable, Sendable, Equatable {
    public let envelope: Base64URLBytes

    public init(envelope: Base64URLBytes) { self.envelope = envelope }
}

/// The answer to a stored reply (201), with the case's status after it and the reply's
/// position in the case.
public struct ReplyCreated: Codable, Sendable, Equatable {
    public let id: ItemID
    public let `case`: CaseReference
    public let day: Day
    public let status: CaseStatus
    public let position: Int

    public init(id: ItemID, case reference: CaseReference, day: Day, status: CaseStatus, position: Int) {
        self.id = id
        self.case = reference
        self.day = day
        self.status = status
        self.position = position
    }
}

/// `POST /api/v1/staff/cases/{case}/status`.
public struct StatusRequest: Codable, Sendable, Equatable {
    public let status: CaseStatus

    public init(status: CaseStatus) { self.status = status }
}

/// The answer to a status change (200): the status item's id and position in the case.
public struct StatusChanged: Codable, Sendable, Equatable {
    public let id: ItemID
    public let `case`: CaseReference
    public let status: CaseStatus
    public let day: Day
    public let position: Int

    public init(id: ItemID, case reference: CaseReference, status: CaseStatus, day: Day, position: Int) {
        self.id = id
        self.case = reference
        self.status = status
        self.day = day
        self.position = position
    }
}

/// `POST /api/v1/staff/cases/{case}/items`: a note, coding or case data sealed on the
/// workstation to the team only (PROTOCOL §3.4). The envelope's kind says which.
public struct CaseWorkRequest: Codable, Sendable, Equatable {
    public let envelope: Base64URLBytes

    public init(envelope: Base64URLBytes) { self.envelope = envelope }
}

/// The answer to a stored item of case work (201): its id, kind, day and position in the
/// case. The case's status does not change, so it is not part of the answer.
public struct CaseWorkCreated: Codable, Sendable, Equatable {
    public let id: ItemID
    public let `case`: CaseReference
    public let kind: ItemKind
    public let day: Day
    public let position: Int

    public init(id: ItemID, case reference: CaseReference, kind: ItemKind, day: Day, position: Int) {
        self.id = id
        self.case = reference
        self.kind = kind
        self.day = day
        self.position = position
    }
}
