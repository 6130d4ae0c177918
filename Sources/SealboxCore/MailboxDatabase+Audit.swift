// The hash-chained audit log (docs/PROTOCOL.md §11; docs/design/TEAM.md §10).
//
// Rules this file enforces:
// - an entry records day, member (signing key id, or none for the daemon), action, case
//   (or none), the digest of the signed request, `prev` and `hash`; never content, and
//   nothing a reporter does;
// - nothing orders the entries of one day by time (issue 8, gap 11): the chain runs in
//   the order (day, id), `id` being 16 random bytes, so an entry added later in a day may
//   take its place before others of that day, and the links of that day are recomputed;
//   once a later day has begun, no entry of an earlier day changes;
// - `sync` and `read` are recorded once per member and day;
// - a change made to the stored chain outside this file is never re-hashed away by a
//   later entry (relinkAudit);
// - migration v7 chains the entries written before the chain existed, each with a
//   random id and an empty request digest.
import Foundation
internal import GRDB
import SealboxCrypto

extension MailboxDatabase {
    /// Migration `v8-audit-chain`: the audit table rebuilt as a chain.
    static func migrateToAuditChain(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_v7 (
                day TEXT NOT NULL,
                id TEXT NOT NULL,
                member TEXT NOT NULL,
                action TEXT NOT NULL,
                case_ref TEXT NOT NULL,
                request BLOB NOT NULL,
                prev BLOB NOT NULL,
                hash BLOB NOT NULL,
                PRIMARY KEY (day, id)
            ) STRICT, WITHOUT ROWID;
            """)
        let old = try Row.fetchAll(db, sql: "SELECT day, staff_key, action, case_ref FROM audit ORDER BY day, case_ref, position")
        for row in old {
            try db.execute(
                sql: "INSERT INTO audit_v7 (day, id, member, action, case_ref, request, prev, hash) VALUES (?, ?, ?, ?, ?, X'', X'', X'')",
                arguments: [row["day"] as String?, ItemID.generate(), row["staff_key"] as String?, row["action"] as String?,
                            row["case_ref"] as String?])
        }
        try db.execute(sql: """
            DROP TABLE audit;
            ALTER TABLE audit_v7 RENAME TO audit;
            CREATE INDEX audit_member_day ON audit(member, day, action);
            """)
        try relinkAudit(db, from: nil)
    }

    /// Appends an entry and relinks the entries of its day and later.
    static func audit(_ db: Database, day: Day, member: KeyID?, action: AuditAction, case reference: CaseReference?,
                      request: [UInt8]) throws {
        precondition(request.isEmpty || request.count == AuditChain.hashSize)
        try db.execute(
            sql: "INSERT INTO audit (day, id, member, action, case_ref, request, prev, hash) VALUES (?, ?, ?, ?, ?, ?, X'', X'')",
            arguments: [day, ItemID.generate(), member?.hex ?? "", action, reference?.text ?? "", Data(request)])
        try relinkAudit(db, from: day)
    }

    /// Recomputes `prev` and `hash` of every entry from `day` on (from the first when nil),
    /// after new entries (with empty links) were inserted. A change made to the stored
    /// chain is never laundered: unless the entries already linked are intact (each
    /// `prev` the hash before it, each `hash` that of its fields), they keep their stored
    /// links, and only the new entries are linked in, so that verification still fails.
    static func relinkAudit(_ db: Database, from day: Day?) throws {
        var start = AuditChain.start
        if let day, let last = try Row.fetchOne(db, sql: "SELECT hash FROM audit WHERE day < ? ORDER BY day DESC, id DESC LIMIT 1",
                                                arguments: [day]) {
            start = [UInt8](last["hash"] as Data)
        }
        struct Link {
            let day: String, id: String, member: String, action: String, reference: String
            let request: [UInt8], prev: [UInt8], hash: [UInt8]
            func computed(after prev: [UInt8]) -> [UInt8] {
                AuditChain.hash(day: day, member: member, action: action, case: reference, request: request, prev: prev)
            }
        }
        let links = try Row.fetchAll(db, sql: "SELECT day, id, member, action, case_ref, request, prev, hash FROM audit WHERE day >= ? ORDER BY day, id",
                                     arguments: [day?.text ?? ""]).map { row in
            Link(day: row["day"], id: row["id"], member: row["member"], action: row["action"], reference: row["case_ref"],
                 request: [UInt8](row["request"] as Data), prev: [UInt8](row["prev"] as Data), hash: [UInt8](row["hash"] as Data))
        }
        var expected = start
        var intact = true
        for link in links where !link.hash.isEmpty {
            guard link.prev == expected, link.hash == link.computed(after: link.prev) else { intact = false; break }
            expected = link.hash
        }
        var prev = start
        for link in links {
            guard intact || link.hash.isEmpty else {
                prev = link.hash
                continue
            }
            let hash = link.computed(after: prev)
            if link.prev != prev || link.hash != hash {
                try db.execute(sql: "UPDATE audit SET prev = ?, hash = ? WHERE day = ? AND id = ?",
                               arguments: [Data(prev), Data(hash), link.day, link.id])
            }
            prev = hash
        }
    }

    /// Records `sync` or `read` by `member` unless that member has one already on `day`.
    public func auditOncePerDay(_ action: AuditAction, day: Day, member: KeyID, request: [UInt8]) async throws {
        try await writer.write { db in
            let seen = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM audit WHERE member = ? AND day = ? AND action = ?)",
                                         arguments: [member.hex, day, action]) ?? false
            if !seen { try Self.audit(db, day: day, member: member, action: action, case: nil, request: request) }
        }
    }

    /// The audit chain, in its order (day, id).
    public func auditEntries() async throws -> [AuditEntry] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT day, id, member, action, case_ref, request, prev, hash FROM audit ORDER BY day, id")
                .map { row throws(StorageError) in
                    let key = row.key("day") + "/" + row.key("id")
                    let member: String = try row.value("member", of: "audit", key: key)
                    let reference: String = try row.value("case_ref", of: "audit", key: key)
                    guard member.isEmpty || (try? KeyID(hex: member)) != nil else {
                        throw StorageError.unreadableRow(table: "audit", key: key, column: "member")
                    }
                    guard reference.isEmpty || (try? CaseReference(parsing: reference)) != nil else {
                        throw StorageError.unreadableRow(table: "audit", key: key, column: "case_ref")
                    }
                    let request: Data = try row.value("request", of: "audit", key: key)
                    let prev: Data = try row.value("prev", of: "audit", key: key)
                    let hash: Data = try row.value("hash", of: "audit", key: key)
                    return AuditEntry(
                        id: try row.value("id", of: "audit", key: key), day: try row.value("day", of: "audit", key: key),
                        member: member.isEmpty ? nil : try? KeyID(hex: member),
                        action: try row.value("action", of: "audit", key: key),
                        caseReference: reference.isEmpty ? nil : try? CaseReference(parsing: reference),
                        request: [UInt8](request), prev: [UInt8](prev), hash: [UInt8](hash))
                }
        }
    }
}
