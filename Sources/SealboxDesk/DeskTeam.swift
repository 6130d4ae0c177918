// The team page's data (docs/design/DESK.md §5 "team (leads)"): the roster as the
// workstation verified it from the trusted leads, and the changes a lead may make
// through the desk. Every change is made by the code `sealbox team add|remove|rotate`
// and `sealbox restrict` run, signed with the lead's member key file, which the
// passphrase typed into the form opens for that one change (it is not kept).
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n

/// The verified roster as the team page shows it.
public struct DeskTeam: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var label: String
        public var role: RosterRole
        /// The member id (hex), as `sealbox team list` shows it.
        public var keyID: String
        public var active: Bool
        /// The roster entry that added her (0 for a first lead).
        public var since: UInt64
        /// This workstation's own member.
        public var isYou: Bool

        public init(label: String, role: RosterRole, keyID: String, active: Bool, since: UInt64, isYou: Bool) {
            self.label = label
            self.role = role
            self.keyID = keyID
            self.active = active
            self.since = since
            self.isYou = isYou
        }
    }

    public var members: [Member]
    /// The newest key epoch (0: the team has no key epochs yet).
    public var epoch: UInt64
    /// The roster's verified head.
    public var seq: UInt64
    /// Whether this workstation's member is an active lead.
    public var youAreLead: Bool

    public init(members: [Member], epoch: UInt64, seq: UInt64, youAreLead: Bool) {
        self.members = members
        self.epoch = epoch
        self.seq = seq
        self.youAreLead = youAreLead
    }
}

/// One change of the team, as the forms ask for it.
public enum DeskTeamChange: Sendable, Equatable {
    /// Adds a member from her public key file's text (or the key text alone).
    case add(label: String, publicKey: String, role: RosterRole)
    case remove(label: String)
    case rotate
    /// Restricts a case to the members named (labels separated by commas).
    case restrict(CaseReference, labels: String)

    /// The word of the confirmation after it is done (`team.done.KEY`).
    public var name: String {
        switch self {
        case .add: "add"
        case .remove: "remove"
        case .rotate: "rotate"
        case .restrict: "restrict"
        }
    }
}
