// The one verifier of the team roster (docs/PROTOCOL.md §12.2), used by the daemon before
// it stores an entry and by every workstation before it believes one. Starting from the
// first leads (entry 0: `staff.leads` on the daemon, `trusted_leads` on a workstation),
// it applies entries one by one and refuses any that breaks a rule:
//   - seq is the previous plus one and prev is the previous entry's hash;
//   - the signer is an active lead before the entry and the Ed25519 signature verifies;
//   - a label and a key are unique among active members (a removed key never returns);
//   - an epoch number is the previous plus one;
//   - the last active lead can be neither removed nor made a counsellor.
// A refused entry leaves the verifier as it was.
import SealboxCrypto

/// Why an entry (or the first leads) is refused. The description names the rule, never a secret.
public enum RosterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The entry does not extend the head: wrong seq or prev (a fork, a rollback or a race).
    case doesNotExtendHead(expectedSeq: UInt64)
    case unknownSigner
    case signerNotLead
    case badSignature
    case duplicateLabel
    case duplicateKey
    case unknownMember
    case lastLead
    case epochOutOfOrder(expected: UInt32)
    /// An epoch without a recovery key, or with an epoch key announced before.
    case epochKeyInvalid
    /// Removing a member or replacing her key after epochs began must start a new epoch.
    case rotationRequired
    case fieldsDoNotFitAction
    case unsupportedAction(RosterAction)
    case sameRole
    case invalidLeads(String)

    /// Whether the entry would be fine on another head (HTTP 409 rather than 422).
    public var isConflict: Bool {
        if case .doesNotExtendHead = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .doesNotExtendHead(let seq): "the entry does not extend the roster (expected seq \(seq) after the current head)"
        case .unknownSigner: "the entry is signed by a key that is not a member of the roster"
        case .signerNotLead: "the entry is signed by a member who is not an active lead"
        case .badSignature: "the entry's signature does not verify"
        case .duplicateLabel: "an active member has this label already"
        case .duplicateKey: "this key is, or was, a member's key already"
        case .unknownMember: "the entry names no active member"
        case .lastLead: "the last lead can be neither removed nor made a counsellor"
        case .epochOutOfOrder(let n): "the epoch number must be \(n)"
        case .epochKeyInvalid: "an epoch must name a recovery key and a key no earlier epoch had"
        case .rotationRequired: "removing a member or replacing her key must start a new epoch"
        case .fieldsDoNotFitAction: "the entry's fields do not fit its action"
        case .unsupportedAction(let action): "the action \(action.rawValue) is not supported by this version"
        case .sameRole: "the member has this role already"
        case .invalidLeads(let why): "the first leads are not valid: \(why)"
        }
    }
}

/// A member of the roster as it stands.
public struct RosterMember: Sendable, Equatable {
    public let label: String
    public let key: MemberPublicKey
    public var role: RosterRole
    public var active: Bool
    /// The seq of the entry that added her (0: a first lead).
    public let since: UInt64

    public var id: KeyID { key.memberID }
}

/// The newest verified entry: its seq and hash (seq 0 and 32 zero bytes before any entry).
public struct RosterHead: Sendable, Equatable {
    public let seq: UInt64
    public let hash: [UInt8]

    public init(seq: UInt64, hash: [UInt8]) {
        self.seq = seq
        self.hash = hash
    }

    public static let start = RosterHead(seq: 0, hash: [UInt8](repeating: 0, count: 32))
}

/// The roster as verified so far, and the rules for the next entry.
public struct RosterVerifier: Sendable {
    public static let entryLabel = "sealbox/v2/roster-entry"
    public static let hashLabel = "sealbox/v2/roster-hash"

    /// Every member ever added, in the order of the roster (removed ones with `active` false).
    public private(set) var members: [RosterMember]
    public private(set) var head: RosterHead = .start
    /// The newest epoch number announced (0: none yet).
    public private(set) var epoch: UInt32 = 0
    /// Every case key ever announced (a key never returns).
    private var usedCaseKeys: Set<BoxPublicKey> = []
    /// Every epoch announced, by number (PROTOCOL §12.5).
    public private(set) var epochs: [UInt32: RosterEpochField] = [:]
    /// The restricted cases, by reference: the newest restriction of each (PROTOCOL §12.7).
    public private(set) var restrictions: [CaseReference: RosterCaseField] = [:]

    /// The key each grant scope must open to: every epoch's, and each restricted case's newest.
    public var announcedKeys: [GrantScope: BoxPublicKey] {
        var keys: [GrantScope: BoxPublicKey] = [:]
        for (n, epoch) in epochs { keys[.epoch(n)] = epoch.key }
        for (ref, restriction) in restrictions { keys[.case(ref)] = restriction.key }
        return keys
    }

    /// Whether member `id` may see case `ref`: every member for an unrestricted case, the named ones otherwise.
    public func mayRead(_ ref: CaseReference, member id: KeyID?) -> Bool {
        guard let restriction = restrictions[ref] else { return true }
        return id.map(restriction.members.contains) ?? false
    }

    /// The newest epoch, when one was announced.
    public var newestEpoch: RosterEpochField? { epochs[epoch] }

    /// Entry 0: the first leads, each with a unique label and key.
    public init(leads: [(label: String, key: MemberPublicKey)]) throws(RosterError) {
        guard !leads.isEmpty else { throw .invalidLeads("there is none") }
        members = []
        for lead in leads {
            guard RosterLabel.isValid(lead.label) else { throw .invalidLeads("a label is not valid") }
            guard !members.contains(where: { $0.label == lead.label }) else { throw .invalidLeads("two have the same label") }
            guard !members.contains(where: { Self.sharesKey($0.key, lead.key) }) else {
                throw .invalidLeads("two have the same key")
            }
            members.append(RosterMember(label: lead.label, key: lead.key, role: .lead, active: true, since: 0))
        }
    }

    /// The active members.
    public var activeMembers: [RosterMember] { members.filter(\.active) }

    /// The active member whose signing key is `key`.
    public func activeMember(signingKey key: SigningPublicKey) -> RosterMember? {
        members.first { $0.active && $0.key.signingKey == key }
    }

    /// The active member with the id `id`.
    public func activeMember(id: KeyID) -> RosterMember? {
        members.first { $0.active && $0.id == id }
    }

    /// The active member labelled `label`.
    public func activeMember(label: String) -> RosterMember? {
        members.first { $0.active && $0.label == label }
    }

    /// Checks `entry` against every rule and applies it.
    public mutating func apply(_ entry: RosterEntry) throws(RosterError) {
        guard entry.seq == head.seq + 1, entry.prev == head.hash else {
            throw .doesNotExtendHead(expectedSeq: head.seq + 1)
        }
        guard let signer = members.first(where: { $0.id == entry.signer }) else { throw .unknownSigner }
        guard signer.active, signer.role == .lead else { throw .signerNotLead }
        guard signer.key.signingKey.isValidSignature(entry.signature, for: Self.message(of: entry)) else {
            throw .badSignature
        }
        var next = self
        try next.change(by: entry)
        next.head = RosterHead(seq: entry.seq, hash: Self.hash(of: entry))
        self = next
    }

    private mutating func change(by entry: RosterEntry) throws(RosterError) {
        if entry.restriction != nil, entry.action != .restrict { throw .fieldsDoNotFitAction }
        if let epoch = entry.epoch {
            guard epoch.number == self.epoch + 1 else { throw .epochOutOfOrder(expected: self.epoch + 1) }
            guard epoch.recovery != nil, epoch.recovery != epoch.key,
                  !epochs.values.contains(where: { $0.key == epoch.key }) else { throw .epochKeyInvalid }
            self.epoch = epoch.number
            epochs[epoch.number] = epoch
        } else if self.epoch > 0, entry.action == .remove || entry.action == .rekey {
            throw .rotationRequired
        }
        switch entry.action {
        case .add:
            guard let member = entry.member, let role = member.role, entry.epoch == nil else { throw .fieldsDoNotFitAction }
            guard !members.contains(where: { $0.active && $0.label == member.label }) else { throw .duplicateLabel }
            guard !members.contains(where: { Self.sharesKey($0.key, member.key) }) else { throw .duplicateKey }
            members.append(RosterMember(label: member.label, key: member.key, role: role, active: true, since: entry.seq))
        case .remove:
            guard let member = entry.member, member.role == nil else { throw .fieldsDoNotFitAction }
            let index = try activeIndex(member)
            if members[index].role == .lead { try requireAnotherLead(than: index) }
            members[index].active = false
        case .role:
            guard let member = entry.member, let role = member.role, entry.epoch == nil else { throw .fieldsDoNotFitAction }
            let index = try activeIndex(member)
            guard members[index].role != role else { throw .sameRole }
            if role == .counsellor { try requireAnotherLead(than: index) }
            members[index].role = role
        case .rotate:
            guard entry.member == nil, entry.epoch != nil else { throw .fieldsDoNotFitAction }
        case .rekey:
            // The member keeps label and role and gets a new key; the old key is removed
            // for good (it stays in `members`, inactive, so it can never return).
            guard let member = entry.member, member.role == nil, entry.epoch != nil else { throw .fieldsDoNotFitAction }
            guard let index = members.firstIndex(where: { $0.active && $0.label == member.label }) else { throw .unknownMember }
            guard !members.contains(where: { Self.sharesKey($0.key, member.key) }) else { throw .duplicateKey }
            members[index].active = false
            members.append(RosterMember(label: member.label, key: member.key, role: members[index].role, active: true,
                                        since: entry.seq))
            // The restricted cases she was named for follow her to the new key (§12.7).
            let oldID = members[index].id
            for (ref, restriction) in restrictions where restriction.members.contains(oldID) {
                restrictions[ref] = RosterCaseField(ref: ref, key: restriction.key,
                                                    members: restriction.members.map { $0 == oldID ? member.key.memberID : $0 })
            }
        case .restrict:
            // A case key pair granted to the named members and the recovery key; only
            // once epochs began (the recovery key comes from the newest epoch).
            guard let restriction = entry.restriction, entry.member == nil, entry.epoch == nil, self.epoch > 0 else {
                throw .fieldsDoNotFitAction
            }
            guard Set(restriction.members).count == restriction.members.count,
                  restriction.members.allSatisfy({ activeMember(id: $0) != nil }) else { throw .unknownMember }
            guard !epochs.values.contains(where: { $0.key == restriction.key || $0.recovery == restriction.key }),
                  !usedCaseKeys.contains(restriction.key) else { throw .epochKeyInvalid }
            restrictions[restriction.ref] = restriction
            usedCaseKeys.insert(restriction.key)
        case .unrestrict:
            throw .unsupportedAction(entry.action)
        }
    }

    private func activeIndex(_ member: RosterMemberField) throws(RosterError) -> Int {
        guard let index = members.firstIndex(where: { $0.active && $0.key == member.key && $0.label == member.label }) else {
            throw .unknownMember
        }
        return index
    }

    private func requireAnotherLead(than index: Int) throws(RosterError) {
        guard members.indices.contains(where: { $0 != index && members[$0].active && members[$0].role == .lead }) else {
            throw .lastLead
        }
    }

    /// Two member keys that share either half are the same member's.
    static func sharesKey(_ a: MemberPublicKey, _ b: MemberPublicKey) -> Bool {
        a.boxKey == b.boxKey || a.signingKey == b.signingKey
    }

    // MARK: - The signed message and the hash

    /// The pieces of the signed list (PROTOCOL §12.2); absent fields are empty.
    static func pieces(of entry: RosterEntry) -> [[UInt8]] {
        func utf8(_ text: String?) -> [UInt8] { Array((text ?? "").utf8) }
        let seq = (0..<8).map { UInt8(truncatingIfNeeded: entry.seq >> (8 * $0)) }
        let epochNumber = entry.epoch.map { e in (0..<4).map { UInt8(truncatingIfNeeded: e.number >> (8 * $0)) } } ?? []
        let pieces = [utf8(entry.entryLabel), seq, entry.prev, utf8(entry.day.text), utf8(entry.action.rawValue),
                      utf8(entry.member?.label), utf8(entry.member?.key.text), utf8(entry.member?.role?.rawValue),
                      epochNumber, utf8(entry.epoch?.key.teamText), utf8(entry.restriction?.ref.text),
                      utf8(entry.restriction?.key.caseText),
                      utf8(entry.restriction.map { $0.members.map(\.hex).joined(separator: ",") }), utf8(entry.signer.hex)]
        // An entry with an epoch signs its recovery key as a 15th piece (PROTOCOL §12.5).
        guard let epoch = entry.epoch else { return pieces }
        return pieces + [utf8(epoch.recovery?.recoveryText)]
    }

    /// The bytes the signer signs.
    public static func message(of entry: RosterEntry) -> [UInt8] {
        PAE.encode(pieces(of: entry))
    }

    /// `H(32, "sealbox/v2/roster-hash" || PAE(pieces, signature))`.
    public static func hash(of entry: RosterEntry) -> [UInt8] {
        Hash.generic(32, Array(hashLabel.utf8) + PAE.encode(pieces(of: entry) + [entry.signature]))
    }

    /// `entry` signed by `key`, which must be the signer's.
    public static func sign(_ entry: RosterEntry, with key: MemberSecretKey) -> RosterEntry {
        entry.signed(key.signingKey.signature(for: message(of: entry)))
    }
}

private extension RosterEntry {
    var entryLabel: String { RosterVerifier.entryLabel }
}
