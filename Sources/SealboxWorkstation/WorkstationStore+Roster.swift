// The workstation's pin on the team roster (docs/PROTOCOL.md §12.4, table `roster`,
// migration v5-roster-pin).
//
// Rules this file enforces:
// - the roster is believed only as verified by RosterVerifier from the leads this
//   workstation was told to trust (`trusted_leads`); the server must name exactly those;
// - the pin is the newest verified entry (seq, hash); a roster whose head is older than
//   the pin (a rollback) or that does not extend it (a fork) is refused, and nothing of
//   it is stored;
// - verified entries are appended in one transaction, never changed.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
internal import GRDB

/// Why a roster the server sent is not believed. Each names the problem for people.
public enum RosterPinError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server's first leads are not the trusted leads (key ids of the ones it added and left out).
    case untrustedLeads(unknown: [KeyID], missing: [KeyID])
    /// The server's roster is older than the pin.
    case rollback(serverSeq: UInt64, pinnedSeq: UInt64)
    /// The server's roster differs from the pinned one at or before the pin.
    case fork(seq: UInt64)
    /// An entry breaks a rule of the roster.
    case invalidEntry(seq: UInt64, RosterError)
    /// The entries do not lead to the head the server announced.
    case headMismatch
    /// The roster stored here no longer verifies from the trusted leads.
    case storedRosterInvalid(RosterError)

    public var description: String {
        switch self {
        case .untrustedLeads(let unknown, let missing):
            "the server names first leads this workstation was not told to trust"
                + (unknown.isEmpty ? "" : " (unknown: \(unknown.map(\.hex).joined(separator: ", ")))")
                + (missing.isEmpty ? "" : " (missing: \(missing.map(\.hex).joined(separator: ", ")))")
        case .rollback(let server, let pinned):
            "the server's roster ends at entry \(server), but this workstation has verified entries up to \(pinned): "
                + "the server's roster was rolled back (restored from an older backup, or replaced)"
        case .fork(let seq):
            "the server's roster does not extend the one this workstation has verified (it differs at entry \(seq)): "
                + "the roster was forked or replaced on the server"
        case .invalidEntry(let seq, let error):
            switch error {
            case .unknownSigner: "roster entry \(seq) is signed by a key this workstation was not told about"
            default: "roster entry \(seq) is not valid: \(error)"
            }
        case .headMismatch:
            "the server's roster entries do not lead to the head it announced"
        case .storedRosterInvalid(let error):
            "the roster stored on this workstation does not verify from trusted_leads (\(error)); were trusted_leads changed?"
        }
    }
}

extension WorkstationStore {
    /// The verified entries stored here, in seq order.
    public func rosterEntries() throws -> [RosterEntry] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT entry FROM roster ORDER BY seq").map {
                try JSONDecoder().decode(RosterEntry.self, from: $0)
            }
        }
    }

    /// The roster as verified here, offline: the first leads the server named at the last
    /// accepted roster (their keys exactly `trustedLeads`) and the stored entries, verified
    /// again. Nil when no roster was accepted yet or the stored one does not verify.
    public func verifiedRoster(trustedLeads: Set<MemberPublicKey>) -> RosterVerifier? {
        guard let text = try? queue.read({ db in try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'roster_leads'") }),
              let leads = try? JSONDecoder().decode([RosterLead].self, from: Data(text.utf8)),
              Set(leads.map(\.key)) == trustedLeads,
              var verifier = try? RosterVerifier(leads: leads.map { ($0.label, $0.key) }),
              let entries = try? rosterEntries()
        else { return nil }
        for entry in entries {
            guard (try? verifier.apply(entry)) != nil else { return nil }
        }
        return verifier
    }

    /// The pin: the newest verified entry's seq and hash (seq 0 before any).
    public func rosterPin() throws -> RosterHead {
        try queue.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM roster ORDER BY seq DESC LIMIT 1") else {
                return RosterHead.start
            }
            let seq: Int64 = row["seq"]
            let hash: Data = row["hash"]
            return RosterHead(seq: UInt64(seq), hash: Array(hash))
        }
    }

    /// Verifies `page` (the server's answer to `GET …/roster?after=<pin seq>`) against the
    /// trusted leads and the pin, stores the new entries and moves the pin; returns the roster.
    public func acceptRoster(_ page: RosterPage, trustedLeads: Set<MemberPublicKey>) throws -> RosterVerifier {
        let named = Set(page.leads.map(\.key))
        guard named == trustedLeads else {
            throw RosterPinError.untrustedLeads(unknown: named.subtracting(trustedLeads).map(\.memberID).sorted { $0.hex < $1.hex },
                                                missing: trustedLeads.subtracting(named).map(\.memberID).sorted { $0.hex < $1.hex })
        }
        var verifier: RosterVerifier
        do {
            verifier = try RosterVerifier(leads: page.leads.map { ($0.label, $0.key) })
            for entry in try rosterEntries() { try verifier.apply(entry) }
        } catch let error as RosterError {
            throw RosterPinError.storedRosterInvalid(error)
        }
        let pin = verifier.head
        let head = page.head.head
        if head.seq < pin.seq { throw RosterPinError.rollback(serverSeq: head.seq, pinnedSeq: pin.seq) }
        if head.seq == pin.seq, head.hash != pin.hash { throw RosterPinError.fork(seq: pin.seq) }
        var accepted: [(RosterEntry, [UInt8])] = []
        for entry in page.entries {
            do {
                try verifier.apply(entry)
            } catch .doesNotExtendHead {
                // The first entry after the pin names another previous entry than the pinned one.
                throw entry.seq == pin.seq + 1 && verifier.head == pin ? RosterPinError.fork(seq: pin.seq) : RosterPinError.headMismatch
            } catch {
                throw RosterPinError.invalidEntry(seq: entry.seq, error)
            }
            accepted.append((entry, verifier.head.hash))
        }
        guard verifier.head == head else { throw RosterPinError.headMismatch }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let leads = String(decoding: try encoder.encode(page.leads), as: UTF8.self)
        try queue.write { db in
            // The first leads' labels, so that members are named without the server (list, show).
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('roster_leads', ?)", arguments: [leads])
            for (entry, hash) in accepted {
                try db.execute(sql: "INSERT INTO roster (seq, hash, entry) VALUES (?, ?, ?)",
                               arguments: [Int64(entry.seq), Data(hash), try encoder.encode(entry)])
            }
        }
        return verifier
    }
}

// MARK: - Grants (table `grants`, migration v7-grants, docs/PROTOCOL.md §12.5)

extension WorkstationStore {
    /// The epochs announced by the verified roster stored here, by number.
    public func announcedEpochs() throws -> [UInt32: RosterEpochField] {
        var epochs: [UInt32: RosterEpochField] = [:]
        for entry in try rosterEntries() {
            if let epoch = entry.epoch { epochs[epoch.number] = epoch }
        }
        return epochs
    }

    /// The keys the verified roster stored here announces for each grant scope (every
    /// epoch, and each restricted case's newest key), and the restrictions by case.
    public func announcedKeys() throws -> (keys: [GrantScope: BoxPublicKey], restrictions: [CaseReference: RosterCaseField]) {
        var keys: [GrantScope: BoxPublicKey] = [:]
        var restrictions: [CaseReference: RosterCaseField] = [:]
        for entry in try rosterEntries() {
            if let epoch = entry.epoch { keys[.epoch(epoch.number)] = epoch.key }
            if let restriction = entry.restriction {
                keys[.case(restriction.ref)] = restriction.key
                restrictions[restriction.ref] = restriction
            }
        }
        return (keys, restrictions)
    }

    /// Purges every case of the store that `roster` (verified) restricts to others than
    /// `member` (PROTOCOL §12.7), like a deleted case; returns the cases purged.
    @discardableResult
    public func purgeRestricted(_ roster: RosterVerifier, notNaming member: KeyID) throws -> [CaseReference] {
        let hidden = Set(roster.restrictions.values.filter { !$0.members.contains(member) }.map(\.ref))
        return try purgeDeleted(hidden)
    }

    /// Replaces the stored grants with `grants` (the server's list for this member), still sealed.
    public func replaceGrants(_ grants: [(scope: GrantScope, sealed: [UInt8])]) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM grants")
            for grant in grants {
                try db.execute(sql: "INSERT OR REPLACE INTO grants (scope, sealed) VALUES (?, ?)",
                               arguments: [grant.scope.text, Data(grant.sealed)])
            }
        }
    }

    /// The stored grants, sealed, by scope.
    public func grants() throws -> [(scope: GrantScope, sealed: [UInt8])] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT scope, sealed FROM grants").compactMap { row in
                let text: String = row["scope"]
                let sealed: Data = row["sealed"]
                return GrantScope(text: text).map { ($0, Array(sealed)) }
            }.sorted { $0.0 < $1.0 }
        }
    }
}
