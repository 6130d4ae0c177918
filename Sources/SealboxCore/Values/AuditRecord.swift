import SealboxCrypto

/// What a member (or the daemon itself) did: never content. `delete` is the one-step
/// deletion (before the four-eyes rule, and in an office with a single staff key).
public enum AuditAction: Hashable, Sendable, CustomStringConvertible {
    case reply
    case status(CaseStatus)
    case delete
    /// An item of case work was stored (PROTOCOL §3.4): `note`, `coding` or `case-data`.
    case caseWork(EnvelopeKind)
    case deleteRequest
    case deleteConfirm
    case deleteExpired
    case retain(until: Day)
    case retentionDelete
    case sync
    case read
    /// A roster entry was stored (PROTOCOL §12.3), by the lead who signed it.
    case roster(seq: UInt64)

    private static let plain: [String: AuditAction] = [
        "reply": .reply, "delete": .delete, "delete-request": .deleteRequest, "delete-confirm": .deleteConfirm,
        "delete-expired": .deleteExpired, "retention-delete": .retentionDelete, "sync": .sync, "read": .read,
        "note": .caseWork(.note), "coding": .caseWork(.coding), "case-data": .caseWork(.caseData),
    ]

    /// Parses `reply`, `status:<status>`, `delete`, `delete-request`, `delete-confirm`,
    /// `delete-expired`, `retain:<day>`, `retention-delete`, `sync`, `read`, `note`,
    /// `coding`, `case-data` or `roster:<seq>`.
    public init(parsing text: String) throws(InvalidValue) {
        if let action = Self.plain[text] {
            self = action
        } else if text.hasPrefix("status:"), let status = CaseStatus(rawValue: String(text.dropFirst(7))) {
            self = .status(status)
        } else if text.hasPrefix("retain:"), let day = Day(String(text.dropFirst(7))) {
            self = .retain(until: day)
        } else if text.hasPrefix("roster:"), let seq = Self.seq(text.dropFirst(7)) {
            self = .roster(seq: seq)
        } else {
            throw InvalidValue("audit action")
        }
    }

    public var text: String {
        switch self {
        case .reply: "reply"
        case .delete: "delete"
        case .deleteRequest: "delete-request"
        case .deleteConfirm: "delete-confirm"
        case .deleteExpired: "delete-expired"
        case .retentionDelete: "retention-delete"
        case .sync: "sync"
        case .read: "read"
        case .status(let status): "status:\(status.rawValue)"
        case .caseWork(let kind): kind.name
        case .retain(let day): "retain:\(day.text)"
        case .roster(let seq): "roster:\(seq)"
        }
    }

    /// A roster seq in decimal: 1 to 2^31, no sign, no leading zero.
    private static func seq(_ text: Substring) -> UInt64? {
        guard (1...10).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              text.first != "0", let value = UInt64(text), value <= RosterEntry.maximumSeq
        else { return nil }
        return value
    }

    /// Whether the case is gone after this action (a workstation purges it on sync).
    public var deletesCase: Bool { self == .delete || self == .deleteConfirm || self == .retentionDelete }

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

/// One entry of the hash-chained audit log (docs/PROTOCOL.md §11): never content.
public struct AuditEntry: Sendable, Equatable {
    /// 16 random bytes in hex: orders the entries of one day (nothing orders them by time).
    public let id: ItemID
    public let day: Day
    /// The key id of the staff key that signed the request; nil for the daemon's own entries.
    public let member: KeyID?
    public let action: AuditAction
    public let caseReference: CaseReference?
    /// `H(32)` of the signed request's message (PROTOCOL §7); empty for the daemon's own
    /// entries and for entries written before the chain existed.
    public let request: [UInt8]
    public let prev: [UInt8]
    public let hash: [UInt8]

    public init(id: ItemID, day: Day, member: KeyID?, action: AuditAction, caseReference: CaseReference?,
                request: [UInt8], prev: [UInt8], hash: [UInt8]) {
        self.id = id
        self.day = day
        self.member = member
        self.action = action
        self.caseReference = caseReference
        self.request = request
        self.prev = prev
        self.hash = hash
    }

    /// The hash this entry must have after `prev` (SealboxCrypto's one definition).
    public func computedHash(prev: [UInt8]) -> [UInt8] {
        AuditChain.hash(day: day.text, member: member?.hex ?? "", action: action.text,
                        case: caseReference?.text ?? "", request: request, prev: prev)
    }
}

/// Recomputes an audit chain from its first entry.
public enum AuditChainVerifier {
    /// Why an entry breaks the chain.
    public enum Break: Equatable, Sendable {
        /// Its `prev` is not the hash of the entry before it.
        case prev
        /// Its `hash` is not the hash of its fields.
        case hash
        /// It is not after the entry before it in the order (day, id).
        case order
    }

    /// The index of the first broken entry and why, or nil when the whole chain holds.
    public static func firstBreak(_ entries: [AuditEntry]) -> (index: Int, reason: Break)? {
        var prev = AuditChain.start
        var previous: AuditEntry?
        for (index, entry) in entries.enumerated() {
            if let previous, (previous.day, previous.id.text) >= (entry.day, entry.id.text) { return (index, .order) }
            guard entry.prev == prev else { return (index, .prev) }
            guard entry.hash == entry.computedHash(prev: prev) else { return (index, .hash) }
            prev = entry.hash
            previous = entry
        }
        return nil
    }
}
