// Making the grants a roster entry needs (docs/PROTOCOL.md §12.5), on a lead's workstation:
// the epoch secrets the lead holds come from her own grants (fetched, opened with her member
// key, each checked against the epoch key the verified roster announced); a new epoch is a
// fresh key pair (or, for the first epoch, the old team key); every grant GrantRules
// requires is sealed to its recipient. Secrets stay in memory for the command only.
import Foundation
import SealboxCore
import SealboxCrypto

enum EpochGrants {
    /// The epoch (and case) secrets the signer holds, by scope, from her grants on the server.
    static func held(by member: MemberSecretKey, roster: RosterVerifier, client: RosterClient) async throws(CLIError)
        -> [GrantScope: BoxSecretKey] {
        guard roster.epoch > 0 else { return [:] }
        let records = try await client.fetchGrants()
        return try open(records, with: member.boxKey, roster: roster, whose: "your member key")
    }

    /// Opens `records` with `key`; each must be a grant of a key `roster` announced, and every epoch must be there.
    static func open(_ records: [GrantRecord], with key: BoxSecretKey, roster: RosterVerifier,
                     whose: String) throws(CLIError) -> [GrantScope: BoxSecretKey] {
        var secrets: [GrantScope: BoxSecretKey] = [:]
        let announced = roster.announcedKeys
        for record in records {
            do {
                secrets[record.scope] = try record.scope.open(record.sealed, with: key, announced: announced)
            } catch {
                throw CLIError("refusing a grant the server holds for \(whose): \(error)",
                               hint: "nothing was changed; tell your team's leads and the administrator", status: .authentication)
            }
        }
        let missing = (1...max(roster.epoch, 1)).filter { roster.epoch > 0 && secrets[.epoch($0)] == nil }
        guard missing.isEmpty else {
            throw CLIError("the server holds no grant of epoch \(missing.map(String.init).joined(separator: ", ")) for \(whose)",
                           hint: "a lead who holds every epoch (or `sealbox recover`) can make this change", status: .failure)
        }
        return secrets
    }

    /// The grants `entry` needs, sealed from `secrets` (which must hold every epoch required).
    static func make(_ entry: RosterEntry, before: RosterVerifier, after: RosterVerifier,
                     secrets: [GrantScope: BoxSecretKey]) throws(CLIError) -> [GrantRecord] {
        var grants: [GrantRecord] = []
        for slot in GrantRules.required(entry, before: before, after: after) {
            guard let secret = secrets[slot.scope] else {
                throw CLIError("the secret of \(slot.scope) is not at hand, so its grants cannot be made; nothing was changed")
            }
            grants.append(GrantRecord(member: slot.member, scope: slot.scope, sealed: slot.scope.seal(secret, to: slot.recipient)))
        }
        return grants.sorted { ($0.scope, $0.member.hex) < ($1.scope, $1.member.hex) }
    }

    /// A recovery public key given as its text or as a file holding it (the block of `sealbox recovery-keygen`).
    static func recoveryKey(_ argument: String) throws(CLIError) -> BoxPublicKey {
        if let key = try? BoxPublicKey(recoveryText: argument.trimmingCharacters(in: .whitespaces)) { return key }
        let text = String(decoding: try KeyFiles.readFile(URL(fileURLWithPath: argument), what: "recovery key file"), as: UTF8.self)
        for word in text.split(whereSeparator: { $0.isWhitespace }) where word.hasPrefix(BoxPublicKey.recoveryTextPrefix) {
            if let key = try? BoxPublicKey(recoveryText: String(word)) { return key }
        }
        throw CLIError("\"\(Terminal.displaySafe(String(argument.prefix(40))))\" is not a recovery public key",
                       hint: "give the sealbox-recovery-v1:… line printed by `sealbox recovery-keygen`", status: .usage)
    }
}

