// The desk's team page over the code the team commands run (docs/design/DESK.md §5):
// the roster is refreshed and verified from trusted_leads by TeamOptions.connect, and
// each change is TeamAddCommand.add, TeamRemoveCommand.remove, TeamRotateCommand.rotate
// or RestrictCommand.restrict, signed with the lead's member key file (staff_key), which
// the passphrase typed into the form opens on the blocking pool for that change only.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxDesk
import SealboxWorkstation

extension DeskWorkstation {
    func team(keys: any DeskKeys) async throws(DeskFailure) -> DeskTeam {
        let opened = try Self.opened(keys)
        var result: DeskTeam?
        try await deskAsync {
            let (_, roster) = try await connect(signingKey: opened.signing)
            let own = settings.path(.staffKey, flag: nil).flatMap { try? KeyFiles.ownMemberID(at: $0) }
            let members = roster.members.map { member in
                DeskTeam.Member(label: member.label, role: member.role, keyID: member.id.hex, active: member.active,
                                since: member.since, isYou: member.id == own)
            }
            let lead = own.flatMap { roster.activeMember(id: $0) }?.role == .lead
            result = DeskTeam(members: members, epoch: UInt64(roster.epoch), seq: roster.head.seq, youAreLead: lead)
        }
        guard let result else { throw DeskFailure(.other) }
        return result
    }

    func changeTeam(_ change: DeskTeamChange, passphrase: SecureBytes, keys: any DeskKeys) async throws(DeskFailure) {
        _ = try Self.opened(keys)
        do {
            let file = try settings.requiredPath(.staffKey, flag: nil, for: "the desk's team page")
            let signer = try await pool.run { try KeyFiles.openMemberKey(at: file, passphrase: passphrase) }
            let (client, roster) = try await connect(signingKey: signer.signingKey)
            guard roster.activeMember(id: signer.publicKey.memberID)?.role == .lead else { throw DeskFailure(.notLead) }
            switch change {
            case .add(let label, let text, let role):
                guard let found = KeyFiles.memberPublicKey(contents: text) else {
                    throw DeskFailure(.badField, detail: "the text is not a member public key (sealbox-member-v1:…)")
                }
                _ = try await TeamAddCommand.add(label: label, key: found.key, role: role, client: client, roster: roster,
                                                 signer: signer)
            case .remove(let label):
                _ = try await TeamRemoveCommand.remove(label: label, client: client, roster: roster, signer: signer)
            case .rotate:
                guard let recovery = roster.newestEpoch?.recovery else {
                    throw DeskFailure(.badField, detail: "the team has no key epoch yet: a lead starts them with "
                                      + "`sealbox team rotate --recovery-key …`")
                }
                _ = try await TeamRotateCommand.rotate(roster, client: client, signer: signer, recovery: recovery, newKey: nil)
            case .restrict(let reference, let labels):
                _ = try await RestrictCommand.restrict(reference, labels: labels, client: client, roster: roster, signer: signer)
            }
        } catch let failure as DeskFailure {
            throw failure
        } catch let error as CLIError where error.status == .usage {
            throw DeskFailure(.badField, detail: error.message)
        } catch let error as CLIError where error.message.hasPrefix("there is no case") || error.message.contains(" has no case ") {
            throw DeskFailure(.badField, detail: error.message)
        } catch {
            throw Self.failure(error)
        }
    }

    /// The roster client and the roster, verified from trusted_leads against the local pin.
    private func connect(signingKey: SigningSecretKey) async throws(CLIError) -> (RosterClient, RosterVerifier) {
        guard let trusted = try RosterClient.trustedLeads(settings: settings) else {
            throw CLIError("no trusted leads are set, so no roster can be verified",
                           hint: "set trusted_leads (or SEALBOX_TRUSTED_LEADS) to the member public keys of the first leads",
                           status: .usage)
        }
        let server = try settings.server(flag: nil)
        let file = try settings.requiredPath(.staffKey, flag: nil, for: "the desk's team page")
        let trust = try settings.serverTrust(for: server, caFileFlag: nil, pinFlag: nil)
        return try await TeamOptions.connect(settings: settings, storeFlag: nil, server: server, keyFile: file,
                                             signingKey: signingKey, trust: trust, trusted: trusted)
    }
}
