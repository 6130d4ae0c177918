// The daemon's team roster (docs/PROTOCOL.md §12): the verified state that the staff
// authenticator asks on every request, and the one way to change it. At start the stored
// chain is verified from `staff.leads` (a chain that does not verify stops the start);
// a new entry is verified by RosterVerifier against the head and appended only as the
// next row of the table, so that two changes racing for the same seq cannot both land.
//
// Epochs (§12.5): an entry that starts an epoch must name the configured recovery key and
// bring exactly the grants GrantRules requires; entry, grants and the deletion of the
// removed member's grants are stored in one transaction. From then on the team's copies
// of new items are sealed to the newest epoch key and the recovery key (`recipients`).
import NIOConcurrencyHelpers
import SealboxAPI
import SealboxCore
import SealboxCrypto

/// Why an entry's grants or epoch are refused (422 `roster_entry_invalid`).
struct GrantsDoNotFit: Error {}

final class RosterBook: Sendable {
    let leads: [RosterLead]
    let database: MailboxDatabase
    /// The office's recovery key (`crypto.recovery_public_key`).
    let recovery: BoxPublicKey?
    /// The keys the team's copies are sealed to, kept current with the roster.
    let recipients: TeamRecipients
    private let teamKey: BoxPublicKey
    private let state: NIOLockedValueBox<RosterVerifier>

    /// Verifies the stored chain from `leads`; throws a StartupError naming the broken entry.
    init(leads: [RosterLead], database: MailboxDatabase, teamKey: BoxPublicKey, recovery: BoxPublicKey?,
         recipients: TeamRecipients) throws {
        self.leads = leads
        self.database = database
        self.recovery = recovery
        self.recipients = recipients
        self.teamKey = teamKey
        var verifier: RosterVerifier
        do {
            verifier = try RosterVerifier(leads: leads.map { ($0.label, $0.key) })
        } catch {
            throw StartupError(description: "staff.leads: \(error)")
        }
        let entries: [RosterEntry]
        do {
            entries = try database.rosterEntries()
        } catch {
            throw StartupError(description: "the roster in the database cannot be read (\(error))")
        }
        for entry in entries {
            do {
                try verifier.apply(entry)
            } catch {
                throw StartupError(description: "the roster in the database does not verify from staff.leads at entry \(entry.seq): \(error)")
            }
        }
        if let problem = Self.recoveryProblem(verifier, configured: recovery) { throw StartupError(description: problem) }
        state = NIOLockedValueBox(verifier)
        Self.updateRecipients(recipients, from: verifier, teamKey: teamKey)
    }

    /// Points the sealing keys at the roster: newest epoch and recovery key, and each
    /// restricted case's key with the recovery key (PROTOCOL §12.7).
    static func updateRecipients(_ recipients: TeamRecipients, from roster: RosterVerifier, teamKey: BoxPublicKey) {
        var restricted: [CaseReference: [BoxPublicKey]] = [:]
        if let recovery = roster.newestEpoch?.recovery {
            for (ref, restriction) in roster.restrictions { restricted[ref] = [restriction.key, recovery] }
        }
        recipients.replace(with: sealingKeys(roster, teamKey: teamKey), restricted: restricted)
    }

    /// Whether the signer with `key` may see case `reference` (every signer for an
    /// unrestricted case; for a restricted one only the named active members).
    func maySee(_ reference: CaseReference, signingKey key: SigningPublicKey?) -> Bool {
        state.withLockedValue { roster in
            guard roster.restrictions[reference] != nil else { return true }
            return roster.mayRead(reference, member: key.flatMap { roster.activeMember(signingKey: $0)?.id })
        }
    }

    /// Why the roster's newest epoch and `crypto.recovery_public_key` disagree, or nil.
    static func recoveryProblem(_ roster: RosterVerifier, configured: BoxPublicKey?) -> String? {
        guard let epoch = roster.newestEpoch else { return nil }
        guard let configured else {
            return "the roster announces key epochs, so crypto.recovery_public_key must name the office's recovery key"
        }
        guard epoch.recovery == configured else {
            return "crypto.recovery_public_key is not the recovery key the roster's newest epoch (\(epoch.number)) names"
        }
        return nil
    }

    /// The newest epoch key and the recovery key, or the team key before any epoch.
    static func sealingKeys(_ roster: RosterVerifier, teamKey: BoxPublicKey) -> [BoxPublicKey] {
        guard let epoch = roster.newestEpoch, let recovery = epoch.recovery else { return [teamKey] }
        return [epoch.key, recovery]
    }

    /// The roster as it stands.
    var current: RosterVerifier { state.withLockedValue { $0 } }

    /// The active member who signs with `key`.
    func activeMember(signingKey key: SigningPublicKey) -> RosterMember? {
        state.withLockedValue { $0.activeMember(signingKey: key) }
    }

    /// The signing key of every member ever in the roster (first leads and removed members
    /// included): the replies the reporters' inbox shows as the team's.
    var everySigningKey: Set<SigningPublicKey> {
        state.withLockedValue { Set($0.members.map(\.key.signingKey)) }
    }

    /// Verifies `entry` and its `grants` against the head and stores them with the entry's
    /// audit entry (`roster:<seq>` on `day`, with the digest of the signed `request`);
    /// returns the new head.
    func append(_ entry: RosterEntry, grants: [GrantRecord] = [], day: Day, request: [UInt8]) async throws -> RosterHead {
        let before = current
        var next = before
        try next.apply(entry)
        if let epoch = entry.epoch, recovery == nil || epoch.recovery != recovery { throw GrantsDoNotFit() }
        guard GrantRules.fit(grants, GrantRules.required(entry, before: before, after: next)) else { throw GrantsDoNotFit() }
        do {
            try await database.appendRosterEntry(entry, hash: next.head.hash, grants: grants,
                                                 revoked: GrantRules.revoked(entry, before: before), day: day, request: request)
        } catch RosterStorageError.notNext {
            throw RosterError.doesNotExtendHead(expectedSeq: entry.seq)
        }
        let head = next.head
        let teamKey = self.teamKey
        state.withLockedValue { verifier in
            if verifier.head.seq + 1 == head.seq {
                verifier = next
                Self.updateRecipients(recipients, from: next, teamKey: teamKey)
            }
        }
        return head
    }
}
