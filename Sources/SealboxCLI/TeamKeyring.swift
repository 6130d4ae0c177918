// Which keys this workstation opens the team's items with, and seals new ones to
// (docs/PROTOCOL.md §12.5). Two sources, decided by the verified roster in the local store:
//  - the team key file (`team_key`), as before epochs, for offices without a roster
//    that announces epochs: open with it, seal to it;
//  - the member's grants, once the roster (verified from trusted_leads) announces an
//    epoch: the member key file (`staff_key`) opens each grant stored by `sealbox sync`,
//    every opened key must be the one the roster announced for its epoch, and new items
//    are sealed to the newest epoch key and the recovery key the roster names.
// The opened keys live only in memory for one command (SecureBytes, wiped on release).
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

/// The keys of one command: opened in this process, or held by the unlock agent
/// (docs/WORKSTATION.md "Unlock once"); either way reached only through KeyAccess.
struct TeamKeyring {
    let access: any KeyAccess
    /// The signer of the member key that opened the grants (it signs this command's requests).
    let signer: (any MessageSigner)?

    init(access: any KeyAccess, signer: (any MessageSigner)?) {
        self.access = access
        self.signer = signer
    }

    /// Keys opened in this process.
    init(keys: [BoxSecretKey], member: MemberSecretKey?) {
        self.init(access: UnlockedKeys(boxKeys: keys, signingKey: member?.signingKey), signer: member?.signingKey)
    }

    /// The key ids the keyring opens.
    var keyIDs: Set<KeyID> { access.keyIDs }

    /// The secret keys in this process (attachments are decrypted with them); none over the agent.
    var inProcessKeys: [BoxSecretKey] { (access as? UnlockedKeys)?.boxKeys ?? [] }

    /// Opens `envelope` with the key it is sealed to.
    func open(_ envelope: [UInt8]) throws(CryptoError) -> (kind: EnvelopeKind, plaintext: [UInt8]) {
        try access.open(envelope)
    }
}

enum TeamKeySource {
    case teamKeyFile(URL, BoxPublicKey)
    case grants(memberKeyFile: URL, epochs: [UInt32: RosterEpochField], announced: [GrantScope: BoxPublicKey],
                restrictions: [CaseReference: RosterCaseField])

    /// The source for this workstation: grants when trusted_leads is set and the local
    /// store's verified roster announces an epoch, else the team key file.
    static func resolve(settings: Settings, store: WorkstationStore?, teamKeyFlag: String?, staffKeyFlag: String? = nil,
                        purpose: String) throws(CLIError) -> TeamKeySource {
        if let store, (try? RosterClient.trustedLeads(settings: settings)) != nil,
           let epochs = try? store.announcedEpochs(), !epochs.isEmpty, let announced = try? store.announcedKeys() {
            let keyFile = try settings.requiredPath(.staffKey, flag: staffKeyFlag, for: purpose)
            return .grants(memberKeyFile: keyFile, epochs: epochs, announced: announced.keys, restrictions: announced.restrictions)
        }
        let keyFile = try settings.requiredPath(.teamKey, flag: teamKeyFlag, for: purpose)
        return .teamKeyFile(keyFile, try KeyFiles.teamPublicKey(at: keyFile))
    }

    /// Where new team items are sealed: the team key, or the newest epoch key and the recovery key.
    var recipients: [BoxPublicKey] {
        switch self {
        case .teamKeyFile(_, let key): return [key]
        case .grants(_, let epochs, _, _):
            let newest = epochs[epochs.keys.max()!]!
            return [newest.key] + (newest.recovery.map { [$0] } ?? [])
        }
    }

    /// Where new items of case `reference` are sealed: a restricted case's key and the recovery key (§12.7).
    func recipients(for reference: CaseReference) -> [BoxPublicKey] {
        guard case .grants(_, let epochs, _, let restrictions) = self, let restriction = restrictions[reference],
              let recovery = epochs[epochs.keys.max()!]?.recovery else { return recipients }
        return [restriction.key, recovery]
    }

    /// The key ids this source can open (for naming a case sealed to other keys before any passphrase).
    var openableKeyIDs: Set<KeyID> {
        switch self {
        case .teamKeyFile(_, let key): [key.keyID]
        case .grants(_, _, let announced, _): Set(announced.values.map(\.keyID))
        }
    }

    /// What to tell the user when a case is sealed to none of these keys.
    func foreignError(_ foreign: [KeyID]) -> CLIError {
        let ids = foreign.map(\.hex).joined(separator: ", ")
        switch self {
        case .teamKeyFile(let file, let key):
            return CLIError("this case was sealed to a different team key (key id \(ids)); use that key file",
                            hint: "\(file.path) holds the team key with id \(key.keyID.hex); "
                                + "name the right file with --team-key or SEALBOX_TEAM_KEY",
                            status: .authentication)
        case .grants:
            return CLIError("this case was sealed to keys no epoch of your team's roster announces (key id \(ids))",
                            hint: "run `sealbox sync` to fetch the roster and your grants", status: .authentication)
        }
    }

    /// Opens the secret keys: the team key file, or the member key and every stored grant.
    /// The unlock agent's keys when it runs for these key files (and `useAgent`), else the opened files.
    func open(settings: Settings, store: WorkstationStore?, passphraseFlag: String?,
              staffPassphraseFlag: String? = nil, useAgent: Bool = true) throws(CLIError) -> TeamKeyring {
        if useAgent, let agent = KeyAccessResolver.agent(), serves(agent) {
            if case .grants = self { return TeamKeyring(access: agent, signer: agent.signer) }
            return TeamKeyring(access: agent, signer: nil)
        }
        switch self {
        case .teamKeyFile(let file, _):
            return TeamKeyring(keys: [try KeyFiles.openTeamKey(at: file, settings: settings, passphraseFlag: passphraseFlag)],
                               member: nil)
        case .grants(let file, _, let announced, _):
            let member = try KeyFiles.openMemberKey(at: file, settings: settings, passphraseFlag: passphraseFlag,
                                                    staffPassphraseFlag: staffPassphraseFlag)
            return try Self.openGrants(member: member, store: store, announced: announced)
        }
    }

    /// Opens every grant stored on this workstation with the member key.
    private static func openGrants(member: MemberSecretKey, store: WorkstationStore?,
                                   announced: [GrantScope: BoxPublicKey]) throws(CLIError) -> TeamKeyring {
        let stored: [(scope: GrantScope, sealed: [UInt8])]
        do {
            stored = try store?.grants() ?? []
        } catch {
            throw CLIError("cannot read the grants in the local store")
        }
        guard !stored.isEmpty else {
            throw CLIError("this workstation holds no grant for your member key \(member.publicKey.memberID.hex)",
                           hint: "run `sealbox sync`; if it still holds none, ask a lead whether you are a member of the team",
                           status: .authentication)
        }
        var keys: [BoxSecretKey] = []
        for grant in stored {
            do {
                keys.append(try grant.scope.open(grant.sealed, with: member.boxKey, announced: announced))
            } catch {
                throw CLIError("refusing a grant stored on this workstation: \(error)",
                               hint: "run `sealbox sync` again; if it persists, tell your team's leads", status: .authentication)
            }
        }
        return TeamKeyring(keys: keys, member: member)
    }

    /// Opens the secret keys with a passphrase given (the desk's sign-in), the same way as
    /// `open(settings:store:passphraseFlag:)`.
    func open(store: WorkstationStore?, passphrase: SecureBytes) throws(CLIError) -> TeamKeyring {
        switch self {
        case .teamKeyFile(let file, _):
            return TeamKeyring(keys: [try KeyFiles.openTeamKey(at: file, passphrase: passphrase)], member: nil)
        case .grants(let file, _, let announced, _):
            let member = try KeyFiles.openMemberKey(at: file, passphrase: passphrase)
            return try Self.openGrants(member: member, store: store, announced: announced)
        }
    }

    /// Whether `agent` holds the keys of this source: the same team key, or the same member key.
    func serves(_ agent: AgentKeyAccess) -> Bool {
        switch self {
        case .teamKeyFile(_, let key):
            return agent.status.source == "team-key" && agent.keyIDs.contains(key.keyID)
        case .grants(let file, _, _, _):
            guard agent.status.source == "grants", let signer = agent.signer,
                  let own = try? KeyFiles.staffPublicKey(at: file) else { return false }
            return signer.publicKey == own
        }
    }

    /// The key ids `items` are sealed to that this source cannot open; nil when every
    /// item (or some item) is sealed to an openable key.
    func foreignKeyIDs(of items: [StoredItem]) -> [KeyID]? {
        CaseOpener.foreignKeyIDs(of: items, keyIDs: openableKeyIDs)
    }
}
