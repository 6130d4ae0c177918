// Gap 11 of issue 8: nothing in the daemon's database orders the items of one day by
// arrival (docs/PROTOCOL.md §10). The feed is ordered by (day, id); a case's items keep
// only their position inside the case; every table is WITHOUT ROWID; a v4 database is
// migrated without losing a row.
import Foundation
import GRDB
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct ArrivalOrderTests {
    let dir: URL
    let path: String

    init() throws {
        dir = try temporaryDirectory()
        path = dir.appendingPathComponent("s.sqlite").path
    }

    func newCase(_ id: String? = nil, day: String = "2026-11-24", blobs: [StagedBlob] = []) -> NewCase {
        NewCase(reference: .generate(), lookupHash: Random.bytes(32), cost: testCost,
                reporterKey: BoxSecretKey.generate().publicKey, day: Day(day)!,
                itemID: id.map { try! ItemID(parsing: String(repeating: $0, count: 32)) } ?? .generate(),
                envelope: Random.bytes(1200), blobs: blobs)
    }

    @Test func theFeed_isOrderedByDayThenID_neverByArrival() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        // Stored in this order: the feed lists them by (day, id) whatever the order of arrival.
        let cases = [newCase("c"), newCase("a", day: "2026-11-25"), newCase("b"), newCase("f", day: "2026-11-23"),
                     newCase("0")]
        for c in cases { try await db.insert(c) }
        let all = try await db.items(after: nil, limit: 100)
        #expect(all.map(\.id.text.first!) == ["f", "0", "b", "c", "a"])
        #expect(all.map(\.position) == [1, 1, 1, 1, 1])
        // Paging after each item in turn reads every item exactly once.
        var paged: [ItemID] = []
        var cursor: ItemID? = nil
        while let next = try await db.items(after: cursor, limit: 2).first {
            paged.append(next.id)
            cursor = next.id
        }
        #expect(paged == all.map(\.id))
        #expect(try await db.items(from: Day("2026-11-24")!, after: nil, limit: 100).map(\.id.text.first!) == ["0", "b", "c", "a"])
        #expect(try await db.items(from: Day("2026-11-25")!, after: nil, limit: 100).map(\.id.text.first!) == ["a"])
        #expect(try await db.items(from: Day("2026-11-26")!, after: nil, limit: 100).isEmpty)
        let cursorOfDay = try ItemID(parsing: String(repeating: "b", count: 32))
        #expect(try await db.items(from: Day("2026-11-23")!, after: cursorOfDay, limit: 100).map(\.id.text.first!) == ["c", "a"])
    }

    @Test func anItemStoredLaterOnADay_sortsBeforeTheCursorAndIsFoundByReadingTheDayAgain() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        try await db.insert(newCase("8"))
        try await db.insert(newCase("9"))
        let firstRead = try await db.items(from: nil, after: nil, limit: 100)
        let cursor = try #require(firstRead.last).id
        try await db.insert(newCase("1"))  // later, on the same day, with a smaller id
        #expect(try await db.items(after: cursor, limit: 100).isEmpty)  // a cursor alone misses it
        let again = try await db.items(from: Day("2026-11-23")!, after: nil, limit: 100)
        #expect(again.map(\.id.text.first!) == ["1", "8", "9"])  // the day read again has it
    }

    @Test func positions_numberTheItemsOfOneCase_andOrderItsThread() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let a = newCase("e")
        let b = newCase("1")
        try await db.insert(a)
        try await db.insert(b)
        let day = Day("2026-11-25")!
        try await db.appendFollowUp(case: a.reference, itemID: try ItemID(parsing: String(repeating: "0", count: 32)),
                                    envelope: Random.bytes(300), blobs: [], day: day)
        let reply = try await db.appendReply(case: a.reference, itemID: .generate(), envelope: Random.bytes(300),
                                             day: day, staffKeyID: staffKeyA)
        let status = try await db.setStatus(case: a.reference, to: .closed, day: day, staffKeyID: staffKeyA)
        let replyB = try await db.appendReply(case: b.reference, itemID: .generate(), envelope: Random.bytes(300),
                                              day: day, staffKeyID: staffKeyA)
        #expect(reply.position == 3 && status.position == 4 && replyB.position == 2)
        let thread = try await db.items(ofCase: a.reference)
        #expect(thread.map(\.position) == [1, 2, 3, 4])
        #expect(thread.map(\.kind) == [.report, .followUp, .reply, .status])
        #expect(thread[3].id == status.id)
        let audit = try await db.auditEntries()
        // Within a day the audit chain runs in the order of random ids, not of time (PROTOCOL §11).
        #expect(Set(audit.filter { $0.caseReference == a.reference }.map(\.action)) == [.reply, .status(.closed)])
    }

    @Test func everyTableOfTheDaemon_isWithoutRowidAndHasNoSequence() async throws {
        defer { removeDirectory(dir) }
        _ = try MailboxDatabase(path: path)
        let queue = try DatabaseQueue(path: path)
        let tables = try await queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'table'
                AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                """).map { (name: $0["name"] as String, sql: $0["sql"] as String) }
        }
        #expect(Set(tables.map(\.name)) == ["cases", "items", "attachments", "audit", "cursor_tombstones", "pending_purges", "meta",
                                            "roster", "deletion_requests", "grants", "statistics"])
        for table in tables {
            #expect(table.sql.contains("WITHOUT ROWID"), "\(table.name)")
            #expect(!table.sql.contains("AUTOINCREMENT"), "\(table.name)")
            // The roster's seq is the place of a lead's signed change in its own chain
            // (PROTOCOL §12.2), part of what is signed; it orders staff changes, never reports.
            if table.name != "roster" { #expect(!table.sql.contains("seq "), "\(table.name)") }
        }
    }

    @Test func aVersion4Database_isMigratedWithEveryRowTheThreadOrderAndPendingWork() async throws {
        defer { removeDirectory(dir) }
        let a = "AAAA-2222", b = "BBBB-3333", gone = "CCCC-4444"
        let ids = (0..<7).map { _ in ItemID.generate().text }
        let attachment = AttachmentID.generate().text
        let blob = Random.bytes(5000)
        do {
            let queue = try DatabaseQueue(path: path)
            try Version4Database.create(queue)
            try await queue.write { db in
                for (ref, hash) in [(a, 1), (b, 2), (gone, 3)] {
                    try db.execute(sql: """
                        INSERT INTO cases (ref, lookup_hash, reporter_key, status, received_day, updated_day, kdf_opslimit, kdf_memlimit)
                        VALUES (?, ?, ?, 'received', '2026-11-24', '2026-11-24', 1, 8192)
                        """, arguments: [ref, Data(repeating: UInt8(hash), count: 32), Data(repeating: 9, count: 32)])
                }
                // Stored in this order, all on one day: b's report, a's report, a follow-up of b, a reply to a, …
                let rows: [(String, String, String, String)] = [
                    (ids[0], b, "report", "2026-11-24"), (ids[1], a, "report", "2026-11-24"),
                    (ids[2], gone, "report", "2026-11-24"), (ids[3], b, "follow-up", "2026-11-24"),
                    (ids[4], a, "reply", "2026-11-24"), (ids[5], a, "follow-up", "2026-11-25"),
                    (ids[6], b, "reply", "2026-11-25"),
                ]
                for (id, ref, kind, day) in rows {
                    try db.execute(sql: "INSERT INTO items (id, case_ref, kind, day, envelope) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [id, ref, kind, day, Data(Random.bytes(200))])
                }
                try db.execute(sql: "INSERT INTO attachments (id, item_id, size, blob) VALUES (?, ?, ?, ?)",
                               arguments: [attachment, ids[3], blob.count, Data(blob)])
                try db.execute(sql: "INSERT INTO audit (day, staff_key, action, case_ref) VALUES ('2026-11-24', '0123456789abcdef', 'reply', ?)", arguments: [a])
                try db.execute(sql: "INSERT INTO audit (day, staff_key, action, case_ref) VALUES ('2026-11-25', '0123456789abcdef', 'reply', ?)", arguments: [b])
                try db.execute(sql: "INSERT INTO audit (day, staff_key, action, case_ref) VALUES ('2026-11-25', '0123456789abcdef', 'delete', ?)", arguments: [gone])
                // The deletion of `gone` as v4 recorded it: tombstone with its seq, pending purge.
                try db.execute(sql: "INSERT INTO cursor_tombstones (id, seq) SELECT id, seq FROM items WHERE case_ref = ?", arguments: [gone])
                try db.execute(sql: "DELETE FROM cases WHERE ref = ?", arguments: [gone])
                try db.execute(sql: "INSERT INTO pending_purges (case_ref) VALUES (?)", arguments: [gone])
            }
        }
        let db = try MailboxDatabase(path: path)
        let refA = try CaseReference(parsing: a), refB = try CaseReference(parsing: b)
        #expect(try await db.items(ofCase: refA).map(\.id.text) == [ids[1], ids[4], ids[5]])
        #expect(try await db.items(ofCase: refA).map(\.position) == [1, 2, 3])
        #expect(try await db.items(ofCase: refB).map(\.id.text) == [ids[0], ids[3], ids[6]])
        #expect(try await db.items(ofCase: refB).map(\.position) == [1, 2, 3])
        #expect(try await db.items(ofCase: refB)[1].attachments == [StoredAttachment(id: try AttachmentID(parsing: attachment), size: blob.count)])
        #expect(try await db.blob(id: try AttachmentID(parsing: attachment)) == blob)
        let counts = try await db.counts()
        #expect(counts.cases == 2 && counts.items == 6 && counts.attachments == 1)
        // The feed is by (day, id); the deleted item's tombstone still continues the feed
        // (from its predecessor's day: never later than its own).
        let feed = try await db.items(after: nil, limit: 100)
        let byDay = [ids[0], ids[1], ids[3], ids[4]].sorted() + [ids[5], ids[6]].sorted()
        #expect(feed.map(\.id.text) == byDay)
        let fromTombstone = try await db.items(after: try ItemID(parsing: ids[2]), limit: 100).map(\.id.text)
        #expect(Set([ids[5], ids[6]]).isSubset(of: Set(fromTombstone)))
        // v7 chained the entries written before the chain (in a random order within a day).
        let migrated = try await db.auditEntries()
        #expect(migrated.compactMap(\.caseReference?.text).sorted() == [a, b, gone].sorted())
        #expect(migrated.allSatisfy { $0.request.isEmpty } && AuditChainVerifier.firstBreak(migrated) == nil)
        // The pending purge is still there and was completed at open (nothing reads meanwhile).
        #expect(try await db.pendingPurges() == 0)
        #expect(try await db.codeCosts() == [testCost])
        // New items take the next position in their case.
        let next = try await db.appendReply(case: refA, itemID: .generate(), envelope: Random.bytes(100),
                                            day: Day("2026-11-26")!, staffKeyID: staffKeyA)
        #expect(next.position == 4)
        try await db.deleteCase(refB, day: Day("2026-11-26")!, staffKeyID: staffKeyA)
        #expect(try await db.counts().attachments == 0)
    }
}

/// A database as migration v4 left it, for the migration test: the schema of v1–v4 as
/// released (docs/PROTOCOL.md §10 before gap 11), written out here so that the test does
/// not depend on the migrator's internals.
enum Version4Database {
    static func create(_ queue: DatabaseQueue) throws {
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE cases (
                    ref TEXT PRIMARY KEY NOT NULL, lookup_hash BLOB NOT NULL UNIQUE, reporter_key BLOB NOT NULL,
                    status TEXT NOT NULL DEFAULT 'received', received_day TEXT NOT NULL, acknowledged_day TEXT,
                    updated_day TEXT NOT NULL
                ) STRICT;
                CREATE TABLE items (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                    case_ref TEXT NOT NULL REFERENCES cases(ref) ON DELETE CASCADE,
                    kind TEXT NOT NULL, day TEXT NOT NULL, envelope BLOB NOT NULL
                ) STRICT;
                CREATE INDEX items_case ON items(case_ref);
                CREATE TABLE attachments (
                    id TEXT PRIMARY KEY NOT NULL, item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                    size INTEGER NOT NULL, blob BLOB NOT NULL
                ) STRICT;
                CREATE INDEX attachments_item ON attachments(item_id);
                ALTER TABLE items ADD COLUMN status TEXT;
                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL, staff_key TEXT NOT NULL,
                    action TEXT NOT NULL, case_ref TEXT NOT NULL
                ) STRICT;
                CREATE TABLE cursor_tombstones (id TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL) STRICT;
                ALTER TABLE cases ADD COLUMN kdf_opslimit INTEGER;
                ALTER TABLE cases ADD COLUMN kdf_memlimit INTEGER;
                CREATE INDEX cases_kdf_cost ON cases(kdf_opslimit, kdf_memlimit);
                CREATE TABLE pending_purges (case_ref TEXT PRIMARY KEY NOT NULL) STRICT;
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1-cases-items-attachments'), ('v2-status-items-audit'),
                    ('v3-cursor-tombstones'), ('v4-code-cost-pending-purges');
                """)
        }
    }
}
