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
// - inserting an item that is already stored is a no-op (a resumed page).
import Foundation
internal import GRDB

/// The metadata of one sealed item as the staff API lists it, with its envelope.
public struct SyncedItem: Sendable, Equatable {
    /// The item id (32 hex characters).
    public let id: String
    /// The case reference it is filed under (`7KQM-3XWP`).
    public let caseReference: String
    /// `report`, `follow-up` or `reply`.
    public let kind: String
    /// The day the server stored it, `YYYY-MM-DD`.
    public let day: String
    /// The sealed envelope (PROTOCOL §3).
    public let envelope: [UInt8]
    /// Its attachments: id and sealed blob size in bytes.
    public let attachments: [SyncedAttachment]

    public init(id: String, caseReference: String, kind: String, day: String, envelope: [UInt8],
                attachments: [SyncedAttachment]) {
        self.id = id
        self.caseReference = caseReference
        self.kind = kind
        self.day = day
        self.envelope = envelope
        self.attachments = attachments
    }
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

    public init(reference: String, received: String, lastActivity: String, items: Int, attachments: Int,
                missingAttachments: Int) {
        self.reference = reference
        self.received = received
        self.lastActivity = lastActivity
        self.items = items
        self.attachments = attachments
        self.missingAttachments = missingAttachments
    }
}

/// A stored item, still sealed.
public struct StoredSealedItem: Sendable, Equatable {
    public let id: String
    public let caseReference: String
    public let kind: String
    public let day: String
    public let envelope: [UInt8]

    public init(id: String, caseReference: String, kind: String, day: String, envelope: [UInt8]) {
        self.id = id
        self.caseReference = caseReference
        self.kind = kind
        self.day = day
        self.envelope = envelope
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
    public init(path: String) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        queue = try DatabaseQueue(path: path, configuration: config)
        try Self.migrator.migrate(queue)
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
                try db.execute(
                    sql: "INSERT OR IGNORE INTO items (id, case_ref, kind, day, envelope) VALUES (?, ?, ?, ?, ?)",
                    arguments: [item.id, item.caseReference, item.kind, item.day, Data(item.envelope)])
                guard db.changesCount > 0 else { continue }
                newItems += 1
                for attachment in item.attachments {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO attachments (id, item_id, size) VALUES (?, ?, ?)",
                        arguments: [attachment.id, item.id, attachment.size])
                    newAttachments += db.changesCount
                }
            }
            try Self.setCursor(db, cursor)
            return (newItems, newAttachments)
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

    /// Every case, newest first (by the day received, then by when it was stored).
    public func cases() throws -> [CaseSummary] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT i.case_ref, MIN(i.day) AS received, MAX(i.day) AS last_day, COUNT(*) AS items,
                       MIN(i.seq) AS first_seq,
                       (SELECT COUNT(*) FROM attachments a JOIN items j ON j.id = a.item_id
                        WHERE j.case_ref = i.case_ref) AS attachments,
                       (SELECT COUNT(*) FROM attachments a JOIN items j ON j.id = a.item_id
                        WHERE j.case_ref = i.case_ref AND a.blob IS NULL) AS missing
                FROM items i GROUP BY i.case_ref
                ORDER BY received DESC, first_seq DESC
                """).map { row in
                CaseSummary(reference: row["case_ref"], received: row["received"], lastActivity: row["last_day"],
                            items: row["items"], attachments: row["attachments"], missingAttachments: row["missing"])
            }
        }
    }

    /// The items filed under `caseReference` (text form `XXXX-XXXX`), in the order they were stored.
    public func items(case caseReference: String) throws -> [StoredSealedItem] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, case_ref, kind, day, envelope FROM items WHERE case_ref = ? ORDER BY seq",
                arguments: [caseReference]
            ).map { row in
                let envelope: Data = row["envelope"]
                return StoredSealedItem(id: row["id"], caseReference: row["case_ref"], kind: row["kind"],
                                        day: row["day"], envelope: Array(envelope))
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

    // MARK: - Schema

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        // Issue 3 adds case status and deletion as new migrations after this one.
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
        return migrator
    }
}
