// Grants (docs/PROTOCOL.md §12.5): how an epoch's secret key reaches the members and the
// recovery key, and which grants a roster entry must bring with it. The daemon checks
// an entry's grants against `GrantRules.required` before it stores both in one
// transaction; a workstation makes exactly that set. Opening a grant is checked twice:
// the label names the scope (SealboxCrypto's Grant), and the opened key must be the
// key the verified roster announced for that scope (`GrantScope.open`).
import SealboxCrypto

/// What a grant gives: the secret key of one epoch (or, later, of one restricted case).
public enum GrantScope: Hashable, Sendable, Comparable, CustomStringConvertible {
    case epoch(UInt32)
    /// A restricted case's key (PROTOCOL §12.7).
    case `case`(CaseReference)

    /// `epoch:<n>` or `case:<ref>`, the form in the API and the tables.
    public var text: String {
        switch self {
        case .epoch(let n): "epoch:\(n)"
        case .case(let ref): "case:\(ref.text)"
        }
    }

    public var description: String { text }

    /// Parses `epoch:<n>` (n from 1, decimal without leading zero) or `case:<ref>` (canonical form).
    public init?(text: String) {
        if text.hasPrefix("case:") {
            let ref = String(text.dropFirst("case:".count))
            guard let reference = try? CaseReference(parsing: ref), reference.text == ref else { return nil }
            self = .case(reference)
            return
        }
        guard text.hasPrefix("epoch:") else { return nil }
        let digits = text.dropFirst("epoch:".count)
        guard (1...10).contains(digits.utf8.count), digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              digits.first != "0", let n = UInt32(digits) else { return nil }
        self = .epoch(n)
    }

    /// `"sealbox/v2/grant/epoch/" || u32be(n)`.
    public var label: [UInt8] {
        switch self {
        case .epoch(let n):
            Array("sealbox/v2/grant/epoch/".utf8) + (0..<4).reversed().map { UInt8(truncatingIfNeeded: n >> (8 * $0)) }
        case .case(let ref):
            Array("sealbox/v2/grant/case/".utf8) + Array(ref.text.utf8)
        }
    }

    /// The sealed length of a grant of this scope.
    public var sealedLength: Int { Grant.sealedLength(labelCount: label.count) }

    public static func < (a: GrantScope, b: GrantScope) -> Bool {
        switch (a, b) {
        case (.epoch(let x), .epoch(let y)): x < y
        case (.epoch, .case): true
        case (.case, .epoch): false
        case (.case(let x), .case(let y)): x < y
        }
    }

    /// Seals `secret` to `recipient` as this scope's grant.
    public func seal(_ secret: BoxSecretKey, to recipient: BoxPublicKey) -> [UInt8] {
        Grant.seal(secret, label: label, to: recipient)
    }

    /// Opens `sealed` with `key` and checks that it is this scope's key as `roster` announced it.
    public func open(_ sealed: [UInt8], with key: BoxSecretKey, roster: [UInt32: RosterEpochField]) throws(GrantError) -> BoxSecretKey {
        var announced: [GrantScope: BoxPublicKey] = [:]
        for (n, epoch) in roster { announced[.epoch(n)] = epoch.key }
        return try open(sealed, with: key, announced: announced)
    }

    /// Opens `sealed` with `key` and checks that it is the key `announced` names for this scope.
    public func open(_ sealed: [UInt8], with key: BoxSecretKey, announced: [GrantScope: BoxPublicKey]) throws(GrantError) -> BoxSecretKey {
        let opened: BoxSecretKey
        do {
            opened = try Grant.open(sealed, label: label, with: key)
        } catch {
            throw .doesNotOpen(self)
        }
        guard let expected = announced[self] else { throw .notAnnounced(self) }
        guard expected == opened.publicKey else { throw .notTheAnnouncedKey(self) }
        return opened
    }
}

/// Why a grant is not believed.
public enum GrantError: Error, Equatable, Sendable, CustomStringConvertible {
    /// It does not open with this key, or it carries another scope's label.
    case doesNotOpen(GrantScope)
    /// The roster announced no key for its scope.
    case notAnnounced(GrantScope)
    /// It opens to a key other than the one the roster announced.
    case notTheAnnouncedKey(GrantScope)

    public var description: String {
        switch self {
        case .doesNotOpen(let s): "the grant of \(s) does not open with this key or is for another scope"
        case .notAnnounced(let s): "the roster announces no key for \(s)"
        case .notTheAnnouncedKey(let s): "the grant of \(s) holds a key other than the one the roster announced"
        }
    }
}

/// One grant as stored and sent: to whom (member id, or the recovery key's key id), of what.
public struct GrantRecord: Hashable, Sendable {
    public let member: KeyID
    public let scope: GrantScope
    public let sealed: [UInt8]

    public init(member: KeyID, scope: GrantScope, sealed: [UInt8]) {
        self.member = member
        self.scope = scope
        self.sealed = sealed
    }
}

/// Which grants an entry must bring, and whose grants it ends (PROTOCOL §12.5).
public enum GrantRules {
    /// A grant's place: recipient and scope.
    public struct Slot: Hashable, Sendable {
        public let member: KeyID
        public let scope: GrantScope
        /// The key it is sealed to.
        public let recipient: BoxPublicKey

        public static func == (a: Slot, b: Slot) -> Bool { a.member == b.member && a.scope == b.scope }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(member)
            hasher.combine(scope)
        }
    }

    /// The grants `entry` needs, given the roster `before` it and `after` it.
    ///  - add (after epochs began): every epoch, to the new member;
    ///  - rotate, remove: the new epoch, to every active member and the recovery key;
    ///  - rekey: the new epoch likewise, and every earlier epoch and the key of every
    ///    restricted case she is named for to the member's new key;
    ///  - role: none.
    public static func required(_ entry: RosterEntry, before: RosterVerifier, after: RosterVerifier) -> Set<Slot> {
        var slots = Set<Slot>()
        switch entry.action {
        case .add:
            guard let member = entry.member else { return [] }
            for n in (0..<before.epoch).map({ $0 + 1 }) {
                slots.insert(Slot(member: member.key.memberID, scope: .epoch(n), recipient: member.key.boxKey))
            }
        case .rotate, .remove, .rekey:
            guard let epoch = entry.epoch else { return [] }
            for member in after.activeMembers {
                slots.insert(Slot(member: member.id, scope: .epoch(epoch.number), recipient: member.key.boxKey))
            }
            if let recovery = epoch.recovery {
                slots.insert(Slot(member: recovery.keyID, scope: .epoch(epoch.number), recipient: recovery))
            }
            if entry.action == .rekey, let member = entry.member {
                for n in (0..<before.epoch).map({ $0 + 1 }) {
                    slots.insert(Slot(member: member.key.memberID, scope: .epoch(n), recipient: member.key.boxKey))
                }
                // And the keys of the restricted cases she is named for.
                for (ref, restriction) in after.restrictions where restriction.members.contains(member.key.memberID) {
                    slots.insert(Slot(member: member.key.memberID, scope: .case(ref), recipient: member.key.boxKey))
                }
            }
        case .restrict:
            guard let restriction = entry.restriction, let recovery = before.newestEpoch?.recovery else { return [] }
            for id in restriction.members {
                guard let member = before.activeMember(id: id) else { continue }
                slots.insert(Slot(member: id, scope: .case(restriction.ref), recipient: member.key.boxKey))
            }
            slots.insert(Slot(member: recovery.keyID, scope: .case(restriction.ref), recipient: recovery))
        case .role, .unrestrict:
            break
        }
        return slots
    }

    /// The members whose grants the entry ends: the removed member, the old key of a rekeyed one.
    public static func revoked(_ entry: RosterEntry, before: RosterVerifier) -> [KeyID] {
        switch entry.action {
        case .remove:
            return entry.member.map { [$0.key.memberID] } ?? []
        case .rekey:
            return entry.member.flatMap { before.activeMember(label: $0.label) }.map { [$0.id] } ?? []
        default:
            return []
        }
    }

    /// Whether `grants` are exactly the required ones, each of the right length.
    public static func fit(_ grants: [GrantRecord], _ required: Set<Slot>) -> Bool {
        guard grants.count == required.count else { return false }
        var seen = Set<Slot>()
        for grant in grants {
            guard let slot = required.first(where: { $0.member == grant.member && $0.scope == grant.scope }),
                  grant.sealed.count == grant.scope.sealedLength, seen.insert(slot).inserted else { return false }
        }
        return true
    }
}
