// The daemon's copy of the team roster (table `roster`, migration v7-roster). Entries are
// stored as the JSON of their wire form, keyed by seq; a row is only ever appended, and
// only as the successor of the newest row (checked in the same transaction), so the table
// is always one unbroken chain from seq 1. Verifying an entry is RosterVerifier's work,
// done by the caller before it appends. Every stored entry is an audit entry
// `roster:<seq>` (docs/PROTOCOL.md §11), written in the same transaction.
import Foundation
internal import GRDB
import SealboxCrypto

/// Why the roster could not be stored or read.
public enum RosterStorageError: Error, Equatable, Sendable {
    /// The entry's seq is not the newest row's plus one (another append came first).
    case notNext
    /// A stored row cannot be read as an entry.
    case unreadable(seq: Int64)
}

extension MailboxDatabase {
    /// Every stored entry in the order of the chain.
    public func rosterEntries() throws -> [RosterEntry] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, entry FROM roster ORDER BY seq").map { row throws(RosterStorageError) in
                let seq: Int64 = row["seq"]
                let bytes: Data = row["entry"]
                guard let entry = try? JSONDecoder().decode(RosterEntry.self, from: bytes), entry.seq == UInt64(seq) else {
                    throw RosterStorageError.unreadable(seq: seq)
                }
                return entry
            }
        }
    }

    /// The stored entries of the database file at `path`, read without changing anything
    /// (`sealboxd check-config`); empty when there is no file or no roster table yet.
    public static func inspectRoster(path: String) throws -> [RosterEntry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let queue = try openForInspection(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            guard try db.tableExists("roster") else { return [] }
            return try Data.fetchAll(db, sql: "SELECT entry FROM roster ORDER BY seq").map {
                try JSONDecoder().decode(RosterEntry.self, from: $0)
            }
        }
    }
}

// MARK: - Grants (table `grants`, migration v11-grants, docs/PROTOCOL.md §12.5)

extension MailboxDatabase {
    /// Appends `entry` with its `hash`, stores its `grants`, deletes the grants of `revoked`
    /// and writes its audit entry (`roster:<seq>` on `day`, with the digest of the signed
    /// `request`), in one transaction, only as the successor of the newest row.
    public func appendRosterEntry(_ entry: RosterEntry, hash: [UInt8], grants: [GrantRecord] = [], revoked: [KeyID] = [],
                                  day: Day, request: [UInt8]) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = try encoder.encode(entry)
        try await writer.write { db in
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM roster") ?? 0
            guard newest + 1 == Int64(entry.seq) else { throw RosterStorageError.notNext }
            try db.execute(sql: "INSERT INTO roster (seq, hash, entry) VALUES (?, ?, ?)",
                           arguments: [Int64(entry.seq), Data(hash), bytes])
            for member in revoked {
                try db.execute(sql: "DELETE FROM grants WHERE member_id = ?", arguments: [member.hex])
            }
            // A case restricted again: the grants of its earlier key go (PROTOCOL §12.7).
            for scope in Set(grants.map(\.scope)) {
                if case .case = scope { try db.execute(sql: "DELETE FROM grants WHERE scope = ?", arguments: [scope.text]) }
            }
            for grant in grants {
                try db.execute(sql: "INSERT OR REPLACE INTO grants (member_id, scope, sealed) VALUES (?, ?, ?)",
                               arguments: [grant.member.hex, grant.scope.text, Data(grant.sealed)])
            }
            try Self.audit(db, day: day, member: entry.signer, action: .roster(seq: entry.seq), case: nil, request: request)
        }
    }

    /// The grants sealed to `member` (a member id or the recovery key's key id), by scope.
    public func grants(for member: KeyID) async throws -> [GrantRecord] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT scope, sealed FROM grants WHERE member_id = ? ORDER BY scope",
                             arguments: [member.hex]).compactMap { row in
                let text: String = row["scope"]
                let sealed: Data = row["sealed"]
                return GrantScope(text: text).map { GrantRecord(member: member, scope: $0, sealed: Array(sealed)) }
            }
        }
    }
}
