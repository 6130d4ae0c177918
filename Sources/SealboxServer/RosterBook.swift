// The daemon's team roster (docs/PROTOCOL.md §12): the verified state that the staff
// authenticator asks on every request, and the one way to change it. At start the stored
// chain is verified from `staff.leads` (a chain that does not verify stops the start);
// a new entry is verified by RosterVerifier against the head and appended only as the
// next row of the table, so that two changes racing for the same seq cannot both land.
import NIOConcurrencyHelpers
import SealboxAPI
import SealboxCore
import SealboxCrypto

final class RosterBook: Sendable {
    let leads: [RosterLead]
    let database: MailboxDatabase
    private let state: NIOLockedValueBox<RosterVerifier>

    /// Verifies the stored chain from `leads`; throws a StartupError naming the broken entry.
    init(leads: [RosterLead], database: MailboxDatabase) throws {
        self.leads = leads
        self.database = database
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
        state = NIOLockedValueBox(verifier)
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

    /// Verifies `entry` against the head and stores it with its audit entry (`roster:<seq>`
    /// on `day`, with the digest of the signed `request`); returns the new head.
    func append(_ entry: RosterEntry, day: Day, request: [UInt8]) async throws -> RosterHead {
        var next = current
        try next.apply(entry)
        do {
            try await database.appendRosterEntry(entry, hash: next.head.hash, day: day, request: request)
        } catch RosterStorageError.notNext {
            throw RosterError.doesNotExtendHead(expectedSeq: entry.seq)
        }
        let head = next.head
        state.withLockedValue { verifier in
            if verifier.head.seq + 1 == head.seq { verifier = next }
        }
        return head
    }
}
