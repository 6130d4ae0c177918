// The workstation's side of the team roster (docs/PROTOCOL.md §12.4): fetch the entries
// after the pin, have the store verify them from `trusted_leads` and move the pin, and
// send one new signed entry. Every team command and `sealbox sync` (when trusted_leads is
// set) go through `refresh`, so a forked, rolled-back or foreign roster stops them all.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct RosterClient {
    let client: StaffClient
    let store: WorkstationStore
    let trustedLeads: Set<MemberPublicKey>

    /// The trusted leads from the settings; nil when none are set.
    static func trustedLeads(settings: Settings) throws(CLIError) -> Set<MemberPublicKey>? {
        guard let listed = settings.value(.trustedLeads, flag: nil) else { return nil }
        var keys = Set<MemberPublicKey>()
        for text in listed.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            guard let key = try? MemberPublicKey(text: String(text)) else {
                throw CLIError("\"\(Terminal.displaySafe(String(text.prefix(40))))\" in trusted_leads is not a member public key",
                               hint: "list keys like sealbox-member-v1:…, separated by commas (SEALBOX_TRUSTED_LEADS or \"trusted_leads\")",
                               status: .usage)
            }
            keys.insert(key)
        }
        return keys.isEmpty ? nil : keys
    }

    /// Fetches the entries after the pin, verifies them and moves the pin; returns the roster.
    func refresh() async throws(CLIError) -> RosterVerifier {
        let pin: RosterHead
        do {
            pin = try store.rosterPin()
        } catch {
            throw CLIError("cannot read the roster in the local store (\(error))")
        }
        let answer = try await client.send(method: "GET", pathAndQuery: StaffPath.roster(after: pin.seq),
                                           limit: RosterPage.maximumAnswer)
        if answer.status == 404 {
            throw CLIError("the server at \(client.serverText) has no team roster",
                           hint: "its administrator names the first leads in staff.leads; or remove trusted_leads from your settings",
                           status: .server)
        }
        guard answer.status == 200 else { throw client.unexpected(answer.status) }
        let page = try client.decode(RosterPage.self, from: answer.body, what: "a team roster")
        do {
            return try store.acceptRoster(page, trustedLeads: trustedLeads)
        } catch let error as RosterPinError {
            throw CLIError("refusing the team roster of \(client.serverText): \(error)",
                           hint: "nothing was changed here; tell your team's leads and the administrator", status: .authentication)
        } catch {
            throw CLIError("cannot write the roster to the local store (\(error))")
        }
    }

    /// Fetches the grants sealed to the signer (or to the recovery key) and, for the
    /// signer's own, replaces those in the local store; returns them, still sealed.
    @discardableResult
    func fetchGrants(recovery: Bool = false) async throws(CLIError) -> [GrantRecord] {
        let answer = try await client.send(method: "GET", pathAndQuery: recovery ? StaffPath.recoveryGrants : StaffPath.grants)
        if answer.status == 403 {
            throw CLIError("the server refused to hand out the recovery key's grants: only an active lead may (HTTP 403)",
                           hint: "a lead of your team runs `sealbox recover`", status: .server)
        }
        guard answer.status == 200 else { throw client.unexpected(answer.status) }
        let list = try client.decode(GrantList.self, from: answer.body, what: "a list of grants")
        var records: [GrantRecord] = []
        for body in list.grants {
            guard let record = body.record else {
                throw CLIError("the server sent a grant that sealbox cannot read", status: .server)
            }
            records.append(record)
        }
        if !recovery {
            do {
                try store.replaceGrants(records.map { ($0.scope, $0.sealed) })
            } catch {
                throw CLIError("cannot write the grants to the local store (\(error))")
            }
        }
        return records
    }

    /// Signs and sends the entry made by `change` on the current roster, with the grants it
    /// needs (made by `grants` from the verified roster before and after it); refreshes the pin after.
    func append(_ roster: RosterVerifier, signer: MemberSecretKey, action: RosterAction,
                member: RosterMemberField?, epoch: RosterEpochField? = nil, restriction: RosterCaseField? = nil,
                grants: (RosterEntry, RosterVerifier) throws(CLIError) -> [GrantRecord] = { _, _ in [] })
        async throws(CLIError) -> RosterVerifier {
        let unsigned = RosterEntry(seq: roster.head.seq + 1, prev: roster.head.hash, day: .today(), action: action,
                                   member: member, epoch: epoch, signer: signer.publicKey.memberID,
                                   signature: [UInt8](repeating: 0, count: 64), restriction: restriction)
        let entry = RosterVerifier.sign(unsigned, with: signer)
        // The rules about the team are checked here first, to say precisely what is wrong;
        // who may sign is the server's to refuse (403), so that it is seen to refuse.
        var check = roster
        do {
            try check.apply(entry)
        } catch .unknownSigner {
        } catch .signerNotLead {
        } catch {
            throw CLIError("this change is not possible: \(error)", status: .failure)
        }
        let made = try grants(entry, check)
        let answer = try await client.send(method: "POST", pathAndQuery: StaffPath.roster,
                                           json: RosterAppendRequest(entry: entry, grants: made.isEmpty ? nil : made.map(GrantBody.init)))
        switch answer.status {
        case 201:
            break
        case 403:
            throw CLIError("the server refused the change: only an active lead may change the team (HTTP 403 role_required)",
                           hint: "ask a lead of your team", status: .server)
        case 409:
            throw CLIError("the roster changed on the server meanwhile (HTTP 409 roster_conflict)",
                           hint: "run the command again", status: .server)
        case 422:
            throw CLIError("the server refused the entry as not valid (HTTP 422 roster_entry_invalid)",
                           hint: "run `sealbox team list` to see the roster as it stands", status: .server)
        default:
            throw client.unexpected(answer.status)
        }
        return try await refresh()
    }
}
