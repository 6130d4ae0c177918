// Syncing the local store with the staff API (`sealbox sync`, and `reply`/`status`,
// which store what they sent).
//
// Rules this file enforces:
// - the feed is ordered by (day, id), never by arrival (PROTOCOL §8), so an item stored
//   later on a day may sort before one already fetched: the only resume point is a day.
//   An item page and the newest day synced (`synced_day`, never moved back) are
//   committed in one transaction; every sync reads again from the day before it, so
//   nothing is lost, and a sync that was killed resumes without losing or doubling items;
// - inserting an item that is already stored is a no-op (a page read again, or a reply
//   this workstation sent and stored at once, fetched again by a later sync);
// - items of kind `status` (a status change, PROTOCOL §9.3) carry no envelope;
// - `origin` tells items fetched by sync from replies and status changes stored right
//   after sending them; both carry the server's position in their case;
// - the server's view of each case (GET /api/v1/staff/cases) is kept in `cases`,
//   replaced as a whole by every sync and updated by `reply` and `status`.
import Foundation
import SealboxAPI
import SealboxCore
internal import GRDB

/// An attachment whose blob has not been fetched yet.
public struct MissingAttachment: Sendable, Equatable {
    public let id: AttachmentID
    public let itemID: ItemID
    public let size: Int

    public init(id: AttachmentID, itemID: ItemID, size: Int) {
        self.id = id
        self.itemID = itemID
        self.size = size
    }
}

extension WorkstationStore {
    /// The newest day of an item fetched by sync, or nil before the first sync.
    public var syncedDay: Day? {
        get throws {
            try queue.read { db in try Self.syncedDay(db) }
        }
    }

    /// The day the next sync starts from: the day before the newest day synced (an item
    /// stored later on that day, or whose day began just before midnight, is read again
    /// there), or nil (from the first day) before the first sync.
    public var resumeDay: Day? {
        get throws { try syncedDay?.adding(days: -1) }
    }

    /// Stores one page of items, and the newest of their days as the day synced, in one
    /// transaction. Items already stored are left as they are. Returns how many items
    /// and attachments were new.
    @discardableResult
    public func insert(items: [StoredItem]) throws -> (items: Int, attachments: Int) {
        try queue.write { db in
            var newItems = 0
            var newAttachments = 0
            for item in items {
                let new = try Self.insert(db, item, origin: "sync")
                newItems += new.items
                newAttachments += new.attachments
            }
            if let newest = items.map(\.day).max(), try Self.syncedDay(db).map({ newest > $0 }) ?? true {
                try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('synced_day', ?)",
                               arguments: [newest])
            }
            return (newItems, newAttachments)
        }
    }

    private static func syncedDay(_ db: Database) throws -> Day? {
        guard let row = try Row.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'synced_day'") else { return nil }
        return try row.value("value", of: "state", key: "synced_day") as Day
    }

    /// Stores one item this workstation has just sent (a reply or status change), without
    /// touching the day synced. A later sync that lists it again leaves it as it is. Returns whether it was new.
    @discardableResult
    public func insertSent(_ item: StoredItem) throws -> Bool {
        try queue.write { db in try Self.insert(db, item, origin: "local").items == 1 }
    }

    private static func insert(_ db: Database, _ item: StoredItem, origin: String) throws -> (items: Int, attachments: Int) {
        var replacesSent = false
        if origin == "sync" {
            // A reply this workstation sent comes back from the server: the server's copy
            // replaces it (same id and position), and is not counted as new.
            try db.cachedStatement(sql: "DELETE FROM items WHERE id = ? AND origin = 'local'").execute(arguments: [item.id])
            replacesSent = db.changesCount > 0
        }
        let envelope: Data? = item.isStatusChange ? nil : Data(item.envelope)
        // Cached statements: a sync stores hundreds of items per transaction.
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO items (id, case_ref, position, kind, day, envelope, status, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [item.id, item.caseReference, item.position, item.kind, item.day, envelope,
                                     item.isStatusChange ? item.status : nil, origin])
        guard db.changesCount > 0 else { return (0, 0) }
        if replacesSent { return (0, 0) }
        if origin == "sync" { try markChanged(db, item.caseReference) }
        var attachments = 0
        for attachment in item.attachments {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO attachments (id, item_id, size) VALUES (?, ?, ?)")
                .execute(arguments: [attachment.id, item.id, attachment.size])
            attachments += db.changesCount
        }
        return (1, attachments)
    }

    // MARK: - Attachment blobs

    /// Attachments whose blob has not been fetched yet, by day, case and position.
    public func missingAttachments() throws -> [MissingAttachment] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id, a.item_id, a.size FROM attachments a JOIN items i ON i.id = a.item_id
                WHERE a.blob IS NULL ORDER BY i.day, i.case_ref, i.position, a.id
                """).map { row throws(StorageError) in
                let key = row.key("id")
                return MissingAttachment(id: try row.value("id", of: "attachments", key: key),
                                         itemID: try row.value("item_id", of: "attachments", key: key),
                                         size: try row.value("size", of: "attachments", key: key))
            }
        }
    }

    /// Stores the sealed blob of an announced attachment. Returns false when no
    /// such attachment is announced.
    @discardableResult
    public func storeBlob(id: AttachmentID, data: [UInt8]) throws -> Bool {
        try queue.write { db in
            try db.execute(sql: "UPDATE attachments SET blob = ? WHERE id = ?", arguments: [Data(data), id])
            return db.changesCount > 0
        }
    }

    // MARK: - The server's view of the cases

    /// Replaces the server's view of every case with the list a sync just fetched.
    public func replaceServerCases(_ cases: [CaseSummary]) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM cases")
            for record in cases { try Self.upsert(db, record) }
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('cases_fetched', '1')")
        }
    }

    /// Replaces the cases the server's audit log records as deleted (after a sync); nil
    /// when the log could not be read. While unknown, no case counts as lost.
    public func replaceServerDeletions(_ deleted: Set<CaseReference>?) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM server_deletions")
            guard let deleted else {
                try db.execute(sql: "DELETE FROM state WHERE key = 'deletions_fetched'")
                return
            }
            for reference in deleted.sorted(by: { $0.text < $1.text }) {
                try db.execute(sql: "INSERT INTO server_deletions (ref) VALUES (?)", arguments: [reference])
            }
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('deletions_fetched', '1')")
        }
    }

    /// Records a change the server confirmed for one case (after `reply` or `status`).
    /// `received` is used only when the case has no row yet.
    public func recordServerStatus(case reference: CaseReference, status: CaseStatus, day: Day, received: Day?) throws {
        try queue.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT received, acknowledged FROM cases WHERE ref = ?",
                                       arguments: [reference])
            var firstDay: Day? = try row?.value("received", of: "cases", key: reference.text) ?? received
            if firstDay == nil, let first = try Row.fetchOne(
                db, sql: "SELECT MIN(day) AS day FROM items WHERE case_ref = ?", arguments: [reference]) {
                firstDay = try first.value("day", of: "items", key: "of case \(reference)")
            }
            guard let received = firstDay else { return }
            var acknowledged: Day? = try row?.value("acknowledged", of: "cases", key: reference.text)
            if acknowledged == nil, status != .received { acknowledged = day }
            try Self.upsert(db, CaseSummary(case: reference, status: status, received: received,
                                            acknowledged: acknowledged, updated: day))
        }
    }

    /// Stores the server's view of a case; retention and a pending deletion are kept when
    /// `record` does not carry them (after `reply` or `status`).
    private static func upsert(_ db: Database, _ record: CaseSummary) throws {
        try db.execute(
            sql: """
                INSERT INTO cases (ref, status, received, acknowledged, updated, expires, retained_until,
                                   deletion_by, deletion_day, deletion_expires)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (ref) DO UPDATE SET status = excluded.status, received = excluded.received,
                    acknowledged = excluded.acknowledged, updated = excluded.updated,
                    expires = COALESCE(excluded.expires, cases.expires),
                    retained_until = COALESCE(excluded.retained_until, cases.retained_until),
                    deletion_by = COALESCE(excluded.deletion_by, cases.deletion_by),
                    deletion_day = COALESCE(excluded.deletion_day, cases.deletion_day),
                    deletion_expires = COALESCE(excluded.deletion_expires, cases.deletion_expires)
                """,
            arguments: [record.case, record.status, record.received, record.acknowledged, record.updated,
                        record.expires, record.retainedUntil, record.deletion?.requestedBy, record.deletion?.day,
                        record.deletion?.expires])
    }
}
