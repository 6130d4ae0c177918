// Who signed a staff request, as the daemon's controllers see it (docs/PROTOCOL.md §7,
// §12.3): a member of the team roster, named by her member id (the key id of her X25519
// key, PROTOCOL §12.1), her label and her role; or a key of `staff.keys`, named by the key
// id of its signing key, with no label and no role. The authenticator makes one per
// request; audit entries, deletion requests and role checks take it from there.
import SealboxCrypto

/// The signer of a staff request.
public struct StaffMember: Sendable, Equatable {
    /// The member id of a roster member; the signing key's key id for a `staff.keys` key.
    public let id: KeyID
    /// The roster label; nil for a `staff.keys` key.
    public let label: String?
    /// The roster role; nil for a `staff.keys` key, which has none.
    public let role: RosterRole?

    public init(id: KeyID, label: String?, role: RosterRole?) {
        self.id = id
        self.label = label
        self.role = role
    }

    /// An active member of the roster.
    public init(_ member: RosterMember) {
        self.init(id: member.id, label: member.label, role: member.role)
    }

    /// A key of `staff.keys` (no roster member): named by its key id.
    public init(staffKey key: SigningPublicKey) {
        self.init(id: key.keyID, label: nil, role: nil)
    }

    /// Whether she is a lead of the roster.
    public var isLead: Bool { role == .lead }
}
