// Naming the members of the team on the workstation (docs/PROTOCOL.md §12.4): with
// trusted_leads set, the roster this store has verified and pinned gives every member id
// (and every member's signing key id) its label, offline; `sealbox assign` takes a label.
// Without a roster, members are key ids as before. Labels are the leads' words, so they
// are made safe for the terminal before they are printed.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct TeamDirectory {
    /// Every member ever in the pinned roster (removed ones too: the history names them).
    var members: [RosterMember] = []

    /// The pinned roster's members; empty without trusted_leads or before the first roster sync.
    static func load(settings: Settings, store: WorkstationStore?) throws(CLIError) -> TeamDirectory {
        guard let store, let trusted = try RosterClient.trustedLeads(settings: settings),
              let roster = store.verifiedRoster(trustedLeads: trusted)
        else { return TeamDirectory() }
        return TeamDirectory(members: roster.members)
    }

    /// The member whose member id, or whose signing key's key id, is `id` (an active one first).
    func member(_ id: KeyID) -> RosterMember? {
        let matching = members.filter { $0.id == id || $0.key.signingKey.keyID == id }
        return matching.first(where: \.active) ?? matching.last
    }

    /// The active member labelled `label`.
    func activeMember(label: String) -> RosterMember? {
        members.first { $0.active && $0.label == label }
    }

    /// The signing keys of every member (whose signed items this workstation accepts).
    var signingKeys: Set<SigningPublicKey> { Set(members.map(\.key.signingKey)) }

    /// How a member (member id or signing key id) is shown: her label, or the key id when the
    /// roster does not name her; "(you)" for the user's own.
    func shown(_ id: KeyID, own: KeyID?) -> String {
        let mine = own.map { own in id == own || member(id).map { $0.id == own || $0.key.signingKey.keyID == own } == true } ?? false
        let name = member(id).map { Terminal.displaySafe($0.label) } ?? id.hex
        return mine ? "\(name) (you)" : name
    }
}
