// The roster endpoints of the staff API, protocol version 2 (docs/PROTOCOL.md §12.3,
// docs/openapi.yaml): `GET /api/v2/staff/roster?after=N` and `POST /api/v2/staff/roster`.
// The entries themselves are SealboxCore's `RosterEntry`, whose one definition both ends
// share with the verifier.
import SealboxCore
import SealboxCrypto

extension StaffPath {
    public static let roster = "/api/v2/staff/roster"

    /// `GET` the entries after seq `after`.
    public static func roster(after seq: UInt64) -> String { roster + "?after=\(seq)" }
}

/// A first lead as the daemon's `staff.leads` names her (entry 0 of the roster).
public struct RosterLead: Codable, Sendable, Equatable {
    public let label: String
    public let key: MemberPublicKey

    public init(label: String, key: MemberPublicKey) {
        self.label = label
        self.key = key
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        label = try c.decode(String.self, forKey: .label)
        guard RosterLabel.isValid(label) else {
            throw DecodingError.dataCorruptedError(forKey: .label, in: c, debugDescription: "label")
        }
        key = try c.decode(MemberPublicKey.self, forKey: .key)
    }

    enum CodingKeys: String, CodingKey { case label, key }
}

/// The newest entry's seq and hash (seq 0 and 32 zero bytes when there is none).
public struct RosterHeadBody: Codable, Sendable, Equatable {
    public let seq: UInt64
    public let hash: Base64URLBytes

    public init(_ head: RosterHead) {
        seq = head.seq
        hash = Base64URLBytes(head.hash)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seq = try c.decode(UInt64.self, forKey: .seq)
        hash = try c.decode(Base64URLBytes.self, forKey: .hash)
        guard seq <= RosterEntry.maximumSeq, hash.bytes.count == 32 else {
            throw DecodingError.dataCorruptedError(forKey: .hash, in: c, debugDescription: "head")
        }
    }

    public var head: RosterHead { RosterHead(seq: seq, hash: hash.bytes) }

    enum CodingKeys: String, CodingKey { case seq, hash }
}

/// `GET /api/v2/staff/roster`: the first leads, the entries after `after` in seq order, and the head.
public struct RosterPage: Codable, Sendable, Equatable {
    public let leads: [RosterLead]
    public let entries: [RosterEntry]
    public let head: RosterHeadBody

    public init(leads: [RosterLead], entries: [RosterEntry], head: RosterHead) {
        self.leads = leads
        self.entries = entries
        self.head = RosterHeadBody(head)
    }

    /// The most entries a workstation reads in one answer.
    public static let maximumAnswer = 16 << 20
}

/// `POST /api/v2/staff/roster`: one new entry, which must extend the head, with the grants
/// it needs (PROTOCOL §12.5; absent or empty when it needs none).
public struct RosterAppendRequest: Codable, Sendable, Equatable {
    public let entry: RosterEntry
    public let grants: [GrantBody]?

    public init(entry: RosterEntry, grants: [GrantBody]? = nil) {
        self.entry = entry
        self.grants = grants
    }
}

extension StaffPath {
    /// `GET` the grants sealed to the signer (or, `?for=recovery`, to the recovery key: leads only).
    public static let grants = "/api/v2/staff/grants"
    public static let recoveryGrants = grants + "?for=recovery"
}

/// One grant on the wire: `{"member": "<16 hex>", "scope": "epoch:<n>", "sealed": "<b64u>"}`.
public struct GrantBody: Codable, Sendable, Equatable {
    public let member: KeyID
    public let scope: String
    public let sealed: Base64URLBytes

    public init(_ record: GrantRecord) {
        member = record.member
        scope = record.scope.text
        sealed = Base64URLBytes(record.sealed)
    }

    /// The record, when the scope parses and the length fits it; else nil.
    public var record: GrantRecord? {
        guard let scope = GrantScope(text: scope), sealed.bytes.count == scope.sealedLength else { return nil }
        return GrantRecord(member: member, scope: scope, sealed: sealed.bytes)
    }
}

/// `GET /api/v2/staff/grants`: the grants sealed to one recipient.
public struct GrantList: Codable, Sendable, Equatable {
    public let grants: [GrantBody]

    public init(grants: [GrantRecord]) { self.grants = grants.map(GrantBody.init) }
}

/// The answer to an accepted entry: the new head.
public struct RosterAppended: Codable, Sendable, Equatable {
    public let head: RosterHeadBody

    public init(head: RosterHead) { self.head = RosterHeadBody(head) }
}
