// One entry of the team roster (docs/PROTOCOL.md §12.2): the signed, hash-chained record
// of one change of the team. The JSON form is parsed once here, strictly: an unknown
// format or version, a bad key, day, id or base64url field refuses the whole entry.
// The signed message and the hash are computed by RosterVerifier, the one verifier.
import Foundation
import SealboxCrypto

/// A member's role.
public enum RosterRole: String, Codable, Sendable, CaseIterable {
    case lead
    case counsellor
}

/// What an entry does. `add`, `remove`, `role`, `rotate`, `rekey` (a member's new key,
/// PROTOCOL §12.6) and `restrict` (§12.7) are verified; `unrestrict` is named by the
/// format and refused as not yet supported.
public enum RosterAction: String, Codable, Sendable, CaseIterable {
    case add, remove, role, rotate, rekey, restrict, unrestrict
}

/// A member as an entry names her.
public struct RosterMemberField: Codable, Sendable, Equatable {
    public let label: String
    public let key: MemberPublicKey
    /// The role she gets (`add`, `role`); absent for `remove`.
    public let role: RosterRole?

    public init(label: String, key: MemberPublicKey, role: RosterRole?) {
        self.label = label
        self.key = key
        self.role = role
    }

    enum CodingKeys: String, CodingKey { case label, key, role }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        label = try c.decode(String.self, forKey: .label)
        guard RosterLabel.isValid(label) else {
            throw DecodingError.dataCorruptedError(forKey: .label, in: c, debugDescription: "label")
        }
        guard let key = try? MemberPublicKey(text: try c.decode(String.self, forKey: .key)) else {
            throw DecodingError.dataCorruptedError(forKey: .key, in: c, debugDescription: "member key")
        }
        self.key = key
        role = try c.decodeIfPresent(RosterRole.self, forKey: .role)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(label, forKey: .label)
        try c.encode(key.text, forKey: .key)
        try c.encodeIfPresent(role, forKey: .role)
    }
}

/// A new epoch key announced by an entry, with the recovery key it is granted to
/// (PROTOCOL §12.5): new items are sealed to the newest epoch key and its recovery key.
public struct RosterEpochField: Codable, Sendable, Equatable {
    public let number: UInt32
    public let key: BoxPublicKey
    /// The office's recovery key; every epoch names one (an epoch without it is refused by the verifier).
    public let recovery: BoxPublicKey?

    public init(number: UInt32, key: BoxPublicKey, recovery: BoxPublicKey?) {
        self.number = number
        self.key = key
        self.recovery = recovery
    }

    enum CodingKeys: String, CodingKey { case number, key, recovery }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        number = try c.decode(UInt32.self, forKey: .number)
        guard let key = try? BoxPublicKey(teamText: try c.decode(String.self, forKey: .key)) else {
            throw DecodingError.dataCorruptedError(forKey: .key, in: c, debugDescription: "epoch key")
        }
        self.key = key
        if let text = try c.decodeIfPresent(String.self, forKey: .recovery) {
            guard let recovery = try? BoxPublicKey(recoveryText: text) else {
                throw DecodingError.dataCorruptedError(forKey: .recovery, in: c, debugDescription: "recovery key")
            }
            self.recovery = recovery
        } else {
            recovery = nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encode(key.teamText, forKey: .key)
        try c.encodeIfPresent(recovery?.recoveryText, forKey: .recovery)
    }
}

/// A restriction announced by a `restrict` entry (PROTOCOL §12.7): the case, its key pair's
/// public half, and the member ids who may read it (with the recovery key).
public struct RosterCaseField: Codable, Sendable, Equatable {
    public let ref: CaseReference
    public let key: BoxPublicKey
    public let members: [KeyID]

    public init(ref: CaseReference, key: BoxPublicKey, members: [KeyID]) {
        self.ref = ref
        self.key = key
        self.members = members
    }

    enum CodingKeys: String, CodingKey { case ref, key, members }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = try c.decode(String.self, forKey: .ref)
        guard let ref = try? CaseReference(parsing: text), ref.text == text else {
            throw DecodingError.dataCorruptedError(forKey: .ref, in: c, debugDescription: "case reference")
        }
        self.ref = ref
        guard let key = try? BoxPublicKey(caseText: try c.decode(String.self, forKey: .key)) else {
            throw DecodingError.dataCorruptedError(forKey: .key, in: c, debugDescription: "case key")
        }
        self.key = key
        members = try c.decode([KeyID].self, forKey: .members)
        guard (1...64).contains(members.count) else {
            throw DecodingError.dataCorruptedError(forKey: .members, in: c, debugDescription: "members")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ref.text, forKey: .ref)
        try c.encode(key.caseText, forKey: .key)
        try c.encode(members, forKey: .members)
    }
}

/// Labels: 1 to 64 characters, no control characters, no `,` or `=` (they separate the
/// entries of `staff.leads`), no space at either end.
public enum RosterLabel {
    public static func isValid(_ label: String) -> Bool {
        guard (1...64).contains(label.count), label.trimmingCharacters(in: .whitespaces) == label else { return false }
        return label.unicodeScalars.allSatisfy { scalar in
            !(scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
              || scalar == "," || scalar == "=" || scalar.properties.generalCategory == .lineSeparator
              || scalar.properties.generalCategory == .paragraphSeparator)
        }
    }
}

/// One roster entry (PROTOCOL §12.2).
public struct RosterEntry: Codable, Sendable, Equatable {
    public static let format = "sealbox-roster-entry"
    /// The largest sequence number accepted.
    public static let maximumSeq: UInt64 = 1 << 31

    public let seq: UInt64
    /// The previous entry's hash (32 zero bytes for seq 1).
    public let prev: [UInt8]
    public let day: Day
    public let action: RosterAction
    public let member: RosterMemberField?
    public let epoch: RosterEpochField?
    /// The case a `restrict` entry restricts (`case` on the wire).
    public let restriction: RosterCaseField?
    /// The member id of the signing lead.
    public let signer: KeyID
    /// The Ed25519 signature (64 bytes) over `RosterVerifier.message(of:)`.
    public let signature: [UInt8]

    public init(seq: UInt64, prev: [UInt8], day: Day, action: RosterAction, member: RosterMemberField?,
                epoch: RosterEpochField?, signer: KeyID, signature: [UInt8], restriction: RosterCaseField? = nil) {
        self.seq = seq
        self.prev = prev
        self.day = day
        self.action = action
        self.member = member
        self.epoch = epoch
        self.restriction = restriction
        self.signer = signer
        self.signature = signature
    }

    /// This entry with `signature` in place of its own.
    public func signed(_ signature: [UInt8]) -> RosterEntry {
        RosterEntry(seq: seq, prev: prev, day: day, action: action, member: member, epoch: epoch, signer: signer,
                    signature: signature, restriction: restriction)
    }

    enum CodingKeys: String, CodingKey {
        case format, version, seq, prev, day, action, member, epoch, `case`, signer, signature
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard try c.decode(String.self, forKey: .format) == Self.format else {
            throw DecodingError.dataCorruptedError(forKey: .format, in: c, debugDescription: "format")
        }
        guard try c.decode(Int.self, forKey: .version) == 1 else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c, debugDescription: "version")
        }
        seq = try c.decode(UInt64.self, forKey: .seq)
        guard (1...Self.maximumSeq).contains(seq) else {
            throw DecodingError.dataCorruptedError(forKey: .seq, in: c, debugDescription: "seq out of range")
        }
        guard let prev = Base64URL.decode(try c.decode(String.self, forKey: .prev)), prev.count == 32 else {
            throw DecodingError.dataCorruptedError(forKey: .prev, in: c, debugDescription: "prev")
        }
        self.prev = prev
        day = try c.decode(Day.self, forKey: .day)
        action = try c.decode(RosterAction.self, forKey: .action)
        member = try c.decodeIfPresent(RosterMemberField.self, forKey: .member)
        epoch = try c.decodeIfPresent(RosterEpochField.self, forKey: .epoch)
        restriction = try c.decodeIfPresent(RosterCaseField.self, forKey: .case)
        signer = try c.decode(KeyID.self, forKey: .signer)
        guard let signature = Base64URL.decode(try c.decode(String.self, forKey: .signature)), signature.count == 64 else {
            throw DecodingError.dataCorruptedError(forKey: .signature, in: c, debugDescription: "signature")
        }
        self.signature = signature
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.format, forKey: .format)
        try c.encode(1, forKey: .version)
        try c.encode(seq, forKey: .seq)
        try c.encode(Base64URL.encode(prev), forKey: .prev)
        try c.encode(day, forKey: .day)
        try c.encode(action, forKey: .action)
        try c.encodeIfPresent(member, forKey: .member)
        try c.encodeIfPresent(epoch, forKey: .epoch)
        try c.encodeIfPresent(restriction, forKey: .case)
        try c.encode(signer, forKey: .signer)
        try c.encode(Base64URL.encode(signature), forKey: .signature)
    }
}

extension MemberPublicKey: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let key = try? MemberPublicKey(text: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "member key")
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
