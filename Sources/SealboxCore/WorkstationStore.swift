// The one door to a counsellor's local store on the workstation (`sealbox sync`,
// `list`, `show`). It holds exactly what the staff API handed out: sealed envelopes,
// sealed attachment blobs and the metadata the server already knows (case reference,
// kind, day, sizes). Nothing in it is decrypted; opening needs the team key file.
//
// Rules this file enforces:
// - one SQLite file `<store>/store.sqlite`, `secure_delete` on, so that a deleted
//   row does not linger in free pages (issue 3 deletes cases);
// - migrations are append-only: never edit a released one, add a new one;
// - an item page and the cursor after it are committed in one transaction, so that
//   a sync that was killed resumes where it stopped without losing or doubling items;
// - inserting an item that is already stored is a no-op (a resumed page, or a reply
//   this workstation sent and stored at once, fetched again by a later sync);
// - items of kind `status` (a status change, PROTOCOL §9.3) carry no envelope;
// - `origin` tells items fetched by sync (in the server's order, so usable as a
//   cursor) from replies stored right after sending them (not usable as a cursor);
// - the server's view of each case (GET /api/v1/staff/cases) is kept in `cases`,
//   replaced as a whole by every sync and updated by `reply` and `status`;
// - deleting a case removes its items, attachments (blobs) and case row, and moves
//   the cursor back to a synced item that is not in the case.
import Foundation
internal import GRDB

/// The metadata of one sealed item as the staff API lists it, with its envelope.
public struct SyncedItem: Sendable, Equatable {
    /// The item id (32 hex characters).
    public let id: String
    /// The case reference it is filed under (`7KQM-3XWP`).
    public let caseReference: String
    /// `report`, `follow-up`, `reply` or `status`.
    public let kind: String
    /// The day the server stored it, `YYYY-MM-DD`.
    public let day: String
    /// The sealed envelope (PROTOCOL §3); empty for a status change.
    public let envelope: [UInt8]
    /// Its attachments: id and sealed blob size in bytes.
    public let attachments: [SyncedAttachment]
    /// The new status, for an item of kind `status`; else nil.
    public let status: String?

    public init(id: String, caseReference: String, kind: String, day: String, envelope: [UInt8],
                attachments: [SyncedAttachment]) {
        self.id = id
        self.caseReference = caseReference
        self.kind = kind
        self.day = day
        self.envelope = envelope
        self.attachments = attachments
        self.status = nil
    }

    /// A status change (kind `status`, no envelope, no attachments).
    public init(statusChange id: String, caseReference: String, day: String, status: String) {
        self.id = id
        self.caseReference = caseReference
        self.kind = Self.statusKind
        self.day = day
        self.envelope = []
        self.attachments = []
        self.status = status
    }

    /// The kind of a status change.
    public static let statusKind = "status"

    /// Whether this is a status change rather than a sealed item.
    public var isStatusChange: Bool { kind == Self.statusKind }
}

/// An attachment announced by the staff API: its id and the size of its sealed blob.
public struct SyncedAttachment: Sendable, Equatable {
    public let id: String
    public let size: Int

    public init(id: String, size: Int) {
        self.id = id
        self.size = size
    }
}

/// One case as `sealbox list` shows it, derived from stored metadata only.
public struct CaseSummary: Sendable, Equatable {
    /// The case reference.
    public let reference: String
    /// The day of its first stored item (the report).
    public let received: String
    /// The day of its latest stored item.
    public let lastActivity: String
    /// How many items are stored for it.
    public let items: Int
    /// How many attachments its items announce.
    public let attachments: Int
    /// How many of those blobs are not fetched yet.
    public let missingAttachments: Int
    /// The status: the server's (from the last sync, reply or status command) when
    /// known, else derived from the stored items (the latest status change wins; a
    /// case with a reply is at least `acknowledged`; else `received`).
    public let status: CaseStatus
    /// The day it was acknowledged, when known.
    public let acknowledged: String?
    /// Whether the server still has the case: nil when unknown (no case list fetched
    /// yet), false when the last sync's case list did not name it (deleted elsewhere).
    public let onServer: Bool?

    public init(reference: String, received: String, lastActivity: String, items: Int, attachments: Int,
                missingAttachments: Int, status: CaseStatus = .received, acknowledged: String? = nil,
                onServer: Bool? = nil) {
        self.reference = reference
        self.received = received
        self.lastActivity = lastActivity
        self.items = items
        self.attachments = attachments
        self.missingAttachments = missingAttachments
        self.status = status
        self.acknowledged = acknowledged
        self.onServer = onServer
    }
}

/// The server's view of one case (GET /api/v1/staff/cases): no content.
public struct ServerCase: Sendable, Equatable {
    public let reference: String
    public let status: CaseStatus
    public let received: String
    public let acknowledged: String?
    public let updated: String

    public init(reference: String, status: CaseStatus, received: String, acknowledged: String?, updated: String) {
        self.reference = reference
        self.status = status
        self.received = received
        self.acknowledged = acknowledged
        self.updated = updated
    }
}

/// A stored item, still sealed (or a status change, which has no envelope).
public struct StoredSealedItem: Sendable, Equatable {
    public let id: String
    public let caseReference: String
    public let kind: String
    public let day: String
    /// The sealed envelope; empty for a status change.
    public let envelope: [UInt8]
    /// The new status, for a status change; else nil.
    public let status: String?

    public init(id: String, caseReference: String, kind: String, day: String, envelope: [UInt8], status: String? = nil) {
        self.id = id
        self.caseReference = caseReference
        self.kind = kind
        self.day = day
        self.envelope = envelope
        self.status = status
    }

    /// Whether this is a status change rather than a sealed item.
    public var isStatusChange: Bool { kind == SyncedItem.statusKind }
}

/// What deleting a case removed from the local store.
public struct DeletedCase: Sendable, Equatable {
    public let items: Int
    public let attachments: Int

    public init(items: Int, attachments: Int) {
        self.items = items
        self.attachments = attachments
    }
}

/// An attachment whose blob has not been fetched yet.
public struct MissingAttachment: Sendable, Equatable {
    public let id: String
    public let itemID: String
    public let size: Int

    public init(id: String, itemID: String, size: Int) {
        self.id = id
        self.itemID = itemID
        self.size = size
    }
}

/// The workstation's local store of sealed items.
public final class WorkstationStore: Sendable {
    /// The file name inside the store directory.
    public static let fileName = "store.sqlite"

    private let queue: DatabaseQueue

    /// Opens (creating and migrating) the store file at `path`.
    /// The caller creates the directory (mode 0700) and sets the umask.
    public convenience init(path: String) throws {
        try self.init(path: path, migratingUpTo: nil)
    }

    /// Opens the store migrated up to and including `lastMigration` (all when nil); for tests of migrations.
    init(path: String, migratingUpTo lastMigration: String?) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        if let lastMigration {
            try Self.migrator.migrate(queue, upTo: lastMigration)
        } else {
            try Self.migrator.migrate(queue)
        }
    }

    /// Opens the store file in `directory`.
    public convenience init(directory: URL) throws {
        try self.init(path: directory.appendingPathComponent(Self.fileName).path)
    }

    /// The value of a pragma (for tests and diagnostics).
    public func pragma(_ name: String) throws -> String? {
        precondition(name.allSatisfy { $0.isLetter || $0 == "_" })
        return try queue.inDatabase { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    // MARK: - Sync

    /// The id of the last item fetched, or nil before the first sync.
    public var cursor: String? {
        get throws {
            try queue.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'cursor'")
            }
        }
    }

    /// Records the cursor on its own.
    public func setCursor(_ cursor: String?) throws {
        try queue.write { db in try Self.setCursor(db, cursor) }
    }

    /// Stores one page of items and the cursor after it in one transaction.
    /// Items already stored are left as they are. Returns how many items and
    /// attachments were new.
    @discardableResult
    public func insert(items: [SyncedItem], cursor: String?) throws -> (items: Int, attachments: Int) {
        try queue.write { db in
            var newItems = 0
            var newAttachments = 0
            for item in items {
                let new = try Self.insert(db, item, origin: "sync")
                newItems += new.items
                newAttachments += new.attachments
            }
            try Self.setCursor(db, cursor)
            return (newItems, newAttachments)
        }
    }

    /// Stores one item this workstation has just sent (a reply), without touching the
    /// cursor. A later sync that lists it again leaves it as it is. Returns whether it was new.
    @discardableResult
    public func insertSent(_ item: SyncedItem) throws -> Bool {
        try queue.write { db in try Self.insert(db, item, origin: "local").items == 1 }
    }

    private static func insert(_ db: Database, _ item: SyncedItem, origin: String) throws -> (items: Int, attachments: Int) {
        var replacesSent = false
        if origin == "sync" {
            // A reply this workstation sent comes back in the server's order: it takes
            // that place (so `show` lists the thread as the server stores it), and is
            // not counted as new.
            try db.execute(sql: "DELETE FROM items WHERE id = ? AND origin = 'local'", arguments: [item.id])
            replacesSent = db.changesCount > 0
        }
        let envelope: Data? = item.isStatusChange ? nil : Data(item.envelope)
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO items (id, case_ref, kind, day, envelope, status, origin)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [item.id, item.caseReference, item.kind, item.day, envelope,
                        item.isStatusChange ? item.status : nil, origin])
        guard db.changesCount > 0 else { return (0, 0) }
        if replacesSent { return (0, 0) }
        var attachments = 0
        for attachment in item.attachments {
            try db.execute(
                sql: "INSERT OR IGNORE INTO attachments (id, item_id, size) VALUES (?, ?, ?)",
                arguments: [attachment.id, item.id, attachment.size])
            attachments += db.changesCount
        }
        return (1, attachments)
    }

    /// Up to `limit` items fetched by sync and stored before the item `id`, nearest
    /// first, as (item id, case reference): where a sync can resume when the server no
    /// longer knows `id`.
    public func syncedItems(before id: String, limit: Int) throws -> [(id: String, caseReference: String)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, case_ref FROM items WHERE origin = 'sync'
                AND seq < COALESCE((SELECT seq FROM items WHERE id = ?), 9223372036854775807)
                ORDER BY seq DESC LIMIT ?
                """, arguments: [id, limit]).map { (id: $0["id"], caseReference: $0["case_ref"]) }
        }
    }

    // MARK: - The server's view of the cases

    /// Replaces the server's view of every case with the list a sync just fetched.
    public func replaceServerCases(_ cases: [ServerCase]) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM cases")
            for record in cases { try Self.upsert(db, record) }
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('cases_fetched', '1')")
        }
    }

    /// Records a change the server confirmed for one case (after `reply` or `status`).
    /// `received` is used only when the case has no row yet.
    public func recordServerStatus(case reference: String, status: CaseStatus, day: String, received: String?) throws {
        try queue.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT received, acknowledged FROM cases WHERE ref = ?",
                                       arguments: [reference])
            var firstDay: String? = row?["received"] ?? received
            if firstDay == nil {
                firstDay = try String.fetchOne(db, sql: "SELECT MIN(day) FROM items WHERE case_ref = ?",
                                               arguments: [reference])
            }
            guard let received = firstDay else { return }
            var acknowledged: String? = row?["acknowledged"]
            if acknowledged == nil, status != .received { acknowledged = day }
            try Self.upsert(db, ServerCase(reference: reference, status: status, received: received,
                                           acknowledged: acknowledged, updated: day))
        }
    }

    private static func upsert(_ db: Database, _ record: ServerCase) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO cases (ref, status, received, acknowledged, updated) VALUES (?, ?, ?, ?, ?)",
            arguments: [record.reference, record.status.rawValue, record.received, record.acknowledged, record.updated])
    }

    /// The server's view of one case, when known.
    public func serverCase(_ reference: String) throws -> ServerCase? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM cases WHERE ref = ?", arguments: [reference]).map(Self.serverCase)
        }
    }

    private static func serverCase(_ row: Row) -> ServerCase {
        ServerCase(reference: row["ref"], status: CaseStatus(rawValue: row["status"]) ?? .received,
                   received: row["received"], acknowledged: row["acknowledged"], updated: row["updated"])
    }

    // MARK: - Deleting

    /// Deletes every item, attachment (with its blob) and the case row of `caseReference`
    /// (`secure_delete` overwrites the freed content). When the cursor names an item of
    /// the case, it moves back to the last synced item of another case (or to the start).
    @discardableResult
    public func deleteCase(_ caseReference: String) throws -> DeletedCase {
        try queue.write { db in
            let attachments = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM attachments a JOIN items i ON i.id = a.item_id WHERE i.case_ref = ?
                """, arguments: [caseReference]) ?? 0
            let cursor = try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'cursor'")
            let cursorInCase = try cursor.map { cursor in
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM items WHERE id = ? AND case_ref = ?)",
                                  arguments: [cursor, caseReference]) ?? false
            } ?? false
            try db.execute(sql: """
                DELETE FROM attachments WHERE item_id IN (SELECT id FROM items WHERE case_ref = ?)
                """, arguments: [caseReference])
            try db.execute(sql: "DELETE FROM items WHERE case_ref = ?", arguments: [caseReference])
            let items = db.changesCount
            try db.execute(sql: "DELETE FROM cases WHERE ref = ?", arguments: [caseReference])
            if cursorInCase {
                // Every item sync stored came from a page up to the cursor, so the last one
                // left is at or before the cursor on the server: resuming there loses nothing.
                let previous = try String.fetchOne(
                    db, sql: "SELECT id FROM items WHERE origin = 'sync' ORDER BY seq DESC LIMIT 1")
                try Self.setCursor(db, previous)
            }
            return DeletedCase(items: items, attachments: attachments)
        }
    }

    /// Attachments whose blob has not been fetched yet, in the order they were stored.
    public func missingAttachments() throws -> [MissingAttachment] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id, a.item_id, a.size FROM attachments a JOIN items i ON i.id = a.item_id
                WHERE a.blob IS NULL ORDER BY i.seq, a.rowid
                """).map { MissingAttachment(id: $0["id"], itemID: $0["item_id"], size: $0["size"]) }
        }
    }

    /// Stores the sealed blob of an announced attachment. Returns false when no
    /// such attachment is announced.
    @discardableResult
    public func storeBlob(id: String, data: [UInt8]) throws -> Bool {
        try queue.write { db in
            try db.execute(sql: "UPDATE attachments SET blob = ? WHERE id = ?", arguments: [Data(data), id])
            return db.changesCount > 0
        }
    }

    private static func setCursor(_ db: Database, _ cursor: String?) throws {
        if let cursor {
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('cursor', ?)", arguments: [cursor])
        } else {
            try db.execute(sql: "DELETE FROM state WHERE key = 'cursor'")
        }
    }

    // MARK: - Reading

    /// Every case, newest first (by the day received, then by when it was stored),
    /// with its status (see `CaseSummary.status`). Status changes count as activity
    /// but not as items.
    public func cases() throws -> [CaseSummary] {
        try queue.read { db in
            let fetched = try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'cases_fetched'") != nil
            return try Row.fetchAll(db, sql: """
                SELECT i.case_ref, MIN(i.day) AS first_day, MAX(i.day) AS last_day, COUNT(i.envelope) AS items,
                       MIN(i.seq) AS first_seq,
                       (SELECT COUNT(*) FROM attachments a JOIN items j ON j.id = a.item_id
                        WHERE j.case_ref = i.case_ref) AS attachments,
                       (SELECT COUNT(*) FROM attachments a JOIN items j ON j.id = a.item_id
                        WHERE j.case_ref = i.case_ref AND a.blob IS NULL) AS missing,
                       (SELECT j.status FROM items j WHERE j.case_ref = i.case_ref AND j.kind = 'status'
                        ORDER BY j.seq DESC LIMIT 1) AS last_status,
                       (SELECT MIN(j.day) FROM items j WHERE j.case_ref = i.case_ref
                        AND (j.kind = 'reply' OR (j.kind = 'status' AND j.status <> 'received'))) AS first_answer,
                       c.status AS server_status, c.received AS server_received,
                       c.acknowledged AS server_acknowledged, c.updated AS server_updated
                FROM items i LEFT JOIN cases c ON c.ref = i.case_ref
                GROUP BY i.case_ref
                ORDER BY COALESCE(c.received, first_day) DESC, first_seq DESC
                """).map { row in
                let firstDay: String = row["first_day"]
                let lastDay: String = row["last_day"]
                let status: CaseStatus
                let received: String
                var lastActivity = lastDay
                let acknowledged: String?
                if let serverStatus = (row["server_status"] as String?).flatMap(CaseStatus.init(rawValue:)) {
                    status = serverStatus
                    received = row["server_received"] ?? firstDay
                    acknowledged = row["server_acknowledged"]
                    if let updated: String = row["server_updated"], updated > lastActivity { lastActivity = updated }
                } else {
                    let last = (row["last_status"] as String?).flatMap(CaseStatus.init(rawValue:))
                    let answered: String? = row["first_answer"]
                    var derived = last ?? .received
                    if derived == .received, answered != nil, last == nil { derived = .acknowledged }
                    status = derived
                    received = firstDay
                    acknowledged = answered
                }
                return CaseSummary(
                    reference: row["case_ref"], received: received, lastActivity: lastActivity,
                    items: row["items"], attachments: row["attachments"], missingAttachments: row["missing"],
                    status: status, acknowledged: acknowledged,
                    onServer: fetched ? (row["server_status"] as String?) != nil : nil)
            }
        }
    }

    /// The sealed items filed under `caseReference` (text form `XXXX-XXXX`), in the
    /// order they were stored; status changes are left out.
    public func items(case caseReference: String) throws -> [StoredSealedItem] {
        try thread(case: caseReference).filter { !$0.isStatusChange }
    }

    /// Everything filed under `caseReference`, status changes included, in the order stored.
    public func thread(case caseReference: String) throws -> [StoredSealedItem] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, case_ref, kind, day, envelope, status FROM items WHERE case_ref = ? ORDER BY seq",
                arguments: [caseReference]
            ).map { row in
                let envelope: Data? = row["envelope"]
                return StoredSealedItem(id: row["id"], caseReference: row["case_ref"], kind: row["kind"],
                                        day: row["day"], envelope: envelope.map(Array.init) ?? [], status: row["status"])
            }
        }
    }

    /// The sealed blob of an attachment; nil when it is unknown or not fetched yet.
    public func blob(id: String) throws -> [UInt8]? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT blob FROM attachments WHERE id = ?", arguments: [id]).map { Array($0) }
        }
    }

    /// Counts of stored rows (for tests and `sync`'s summary).
    public func counts() throws -> (items: Int, attachments: Int, blobs: Int) {
        try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachments") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachments WHERE blob IS NOT NULL") ?? 0)
        }
    }

    /// Inserts items as version 1 of the schema stored them (for the migration test only).
    func insertVersion1(items: [SyncedItem], cursor: String) throws {
        try queue.write { db in
            for item in items {
                try db.execute(sql: "INSERT INTO items (id, case_ref, kind, day, envelope) VALUES (?, ?, ?, ?, ?)",
                               arguments: [item.id, item.caseReference, item.kind, item.day, Data(item.envelope)])
                for attachment in item.attachments {
                    try db.execute(sql: "INSERT INTO attachments (id, item_id, size) VALUES (?, ?, ?)",
                                   arguments: [attachment.id, item.id, attachment.size])
                }
            }
            try Self.setCursor(db, cursor)
        }
    }

    // MARK: - Schema

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-items-attachments-state") { db in
            try db.execute(sql: """
                CREATE TABLE items (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    case_ref TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    day TEXT NOT NULL,
                    envelope BLOB NOT NULL
                ) STRICT;
                CREATE INDEX items_case ON items(case_ref, seq);
                CREATE TABLE attachments (
                    id TEXT PRIMARY KEY NOT NULL,
                    item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
                    size INTEGER NOT NULL,
                    blob BLOB
                ) STRICT;
                CREATE INDEX attachments_item ON attachments(item_id);
                CREATE TABLE state (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) STRICT;
                """)
        }
        // Issue 3: status changes (no envelope), where an item came from, the server's
        // view of each case. SQLite cannot make a column nullable in place, so `items`
        // is rebuilt (foreign keys are off during a migration; seq values are kept).
        migrator.registerMigration("v2-status-origin-cases") { db in
            try db.execute(sql: """
                CREATE TABLE items_v2 (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    case_ref TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    day TEXT NOT NULL,
                    envelope BLOB,
                    status TEXT,
                    origin TEXT NOT NULL DEFAULT 'sync' CHECK (origin IN ('sync', 'local')),
                    CHECK ((kind = 'status') = (envelope IS NULL)),
                    CHECK ((kind = 'status') = (status IS NOT NULL))
                ) STRICT;
                INSERT INTO items_v2 (seq, id, case_ref, kind, day, envelope)
                    SELECT seq, id, case_ref, kind, day, envelope FROM items ORDER BY seq;
                DROP TABLE items;
                ALTER TABLE items_v2 RENAME TO items;
                CREATE INDEX items_case ON items(case_ref, seq);
                CREATE TABLE cases (
                    ref TEXT PRIMARY KEY NOT NULL,
                    status TEXT NOT NULL,
                    received TEXT NOT NULL,
                    acknowledged TEXT,
                    updated TEXT NOT NULL
                ) STRICT;
                """)
        }
        return migrator
    }
}
