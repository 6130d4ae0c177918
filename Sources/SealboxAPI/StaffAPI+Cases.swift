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
    /// The last day the case is kept (retention, PROTOCOL §9.6); null from a server before it.
    public let expires: Day?
    /// The day a member asked to keep it until (`sealbox retain`), if any.
    public let retainedUntil: Day?
    /// A deletion asked for and not yet confirmed (PROTOCOL §9.5), if any.
    public let deletion: PendingDeletion?

    public init(case reference: CaseReference, status: CaseStatus, received: Day, acknowledged: Day?, updated: Day,
                expires: Day? = nil, retainedUntil: Day? = nil, deletion: PendingDeletion? = nil) {
        self.case = reference
        self.status = status
        self.received = received
        self.acknowledged = acknowledged
        self.updated = updated
        self.expires = expires
        self.retainedUntil = retainedUntil
        self.deletion = deletion
    }

    enum CodingKeys: String, CodingKey {
        case `case`, status, received, acknowledged, updated, expires, deletion
        case retainedUntil = "retained_until"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(case: try c.decode(CaseReference.self, forKey: .case), status: try c.decode(CaseStatus.self, forKey: .status),
                  received: try c.decode(Day.self, forKey: .received),
                  acknowledged: try c.decodeIfPresent(Day.self, forKey: .acknowledged),
                  updated: try c.decode(Day.self, forKey: .updated),
                  expires: try c.decodeIfPresent(Day.self, forKey: .expires),
                  retainedUntil: try c.decodeIfPresent(Day.self, forKey: .retainedUntil),
                  deletion: try c.decodeIfPresent(PendingDeletion.self, forKey: .deletion))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.case, forKey: .case)
        try c.encode(status, forKey: .status)
        try c.encode(received, forKey: .received)
        try c.encode(acknowledged, forKey: .acknowledged)
        try c.encode(updated, forKey: .updated)
        try c.encode(expires, forKey: .expires)
        try c.encode(retainedUntil, forKey: .retainedUntil)
        try c.encode(deletion, forKey: .deletion)
    }
}

/// A deletion asked for by one member and waiting for a second (PROTOCOL §9.5); also the
/// answer (201) to `POST /api/v1/staff/cases/{case}/deletion-request`.
public struct PendingDeletion: Codable, Sendable, Equatable {
    public let `case`: CaseReference
    /// The key id of the member who asked.
    public let requestedBy: KeyID
    /// The day she asked.
    public let day: Day
    /// The last day a second member can confirm it.
    public let expires: Day

    public init(case reference: CaseReference, requestedBy: KeyID, day: Day, expires: Day) {
        self.case = reference
        self.requestedBy = requestedBy
        self.day = day
        self.expires = expires
    }

    enum CodingKeys: String, CodingKey {
        case `case`, day, expires
        case requestedBy = "requested_by"
    }
}

/// `POST /api/v1/staff/cases/{case}/retention`: keep the case at least until `until`.
public struct RetainRequest: Codable, Sendable, Equatable {
    public let until: Day

    public init(until: Day) { self.until = until }
}

/// The answer (200) to a retention extension: the case's new expiry.
public struct RetentionChanged: Codable, Sendable, Equatable {
    public let `case`: CaseReference
    public let retainedUntil: Day
    public let expires: Day

    public init(case reference: CaseReference, retainedUntil: Day, expires: Day) {
        self.case = reference
        self.retainedUntil = retainedUntil
        self.expires = expires
    }

    enum CodingKeys: String, CodingKey {
        case `case`, expires
        case retainedUntil = "retained_until"
    }
}

/// `GET /api/v1/staff/audit`: the hash-chained audit log in its order (day, id).
public struct AuditLog: Codable, Sendable, Equatable {
    public let entries: [AuditLogEntry]

    public init(entries: [AuditLogEntry]) { self.entries = entries }
}

/// One entry of the chain (PROTOCOL §11): never content. `member` and `case` are null
/// for the daemon's own entries and entries without a case; `request` is empty for the
/// daemon's own entries and those written before the chain.
public struct AuditLogEntry: Codable, Sendable, Equatable {
    public let id: ItemID
    public let day: Day
    public let member: KeyID?
    public let action: AuditAction
    public let `case`: CaseReference?
    public let request: Base64URLBytes
    public let prev: Base64URLBytes
    public let hash: Base64URLBytes

    public init(_ entry: AuditEntry) {
        id = entry.id
        day = entry.day
        member = entry.member
        action = entry.action
        self.case = entry.caseReference
        request = Base64URLBytes(entry.request)
        prev = Base64URLBytes(entry.prev)
        hash = Base64URLBytes(entry.hash)
    }

    /// The entry as the chain verifier sees it.
    public var entry: AuditEntry {
        AuditEntry(id: id, day: day, member: member, action: action, caseReference: self.case,
                   request: request.bytes, prev: prev.bytes, hash: hash.bytes)
    }

    enum CodingKeys: String, CodingKey { case id, day, member, action, `case`, request, prev, hash }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(day, forKey: .day)
        try c.encode(member, forKey: .member)
        try c.encode(action, forKey: .action)
        try c.encode(self.case, forKey: .case)
        try c.encode(request, forKey: .request)
        try c.encode(prev, forKey: .prev)
        try c.encode(hash, forKey: .hash)
    }
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
