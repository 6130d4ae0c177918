// Syncing the local store with the staff API (`sealbox sync`, and `reply`/`status`,
// which store what they sent).
//
// Rules this file enforces:
// - an item page and the cursor after it are committed in one transaction, so that
//   a sync that was killed resumes where it stopped without losing or doubling items;
// - inserting an item that is already stored is a no-op (a resumed page, or a reply
//   this workstation sent and stored at once, fetched again by a later sync);
// - items of kind `status` (a status change, PROTOCOL §9.3) carry no envelope;
// - `origin` tells items fetched by sync (in the server's order, so usable as a
//   cursor) from replies stored right after sending them (not usable as a cursor);
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
    /// The id of the last item fetched, or nil before the first sync.
    public var cursor: ItemID? {
        get throws {
            try queue.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'cursor'") else { return nil }
                return try row.value("value", of: "state", key: "cursor") as ItemID
            }
        }
    }

    /// Stores one page of items and the cursor after it in one transaction.
    /// Items already stored are left as they are. Returns how many items and
    /// attachments were new.
    @discardableResult
    public func insert(items: [StoredItem], cursor: ItemID?) throws -> (items: Int, attachments: Int) {
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
    public func insertSent(_ item: StoredItem) throws -> Bool {
        try queue.write { db in try Self.insert(db, item, origin: "local").items == 1 }
    }

    private static func insert(_ db: Database, _ item: StoredItem, origin: String) throws -> (items: Int, attachments: Int) {
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
    public func syncedItems(before id: ItemID, limit: Int) throws -> [(id: ItemID, caseReference: CaseReference)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, id, case_ref FROM items WHERE origin = 'sync'
                AND seq < COALESCE((SELECT seq FROM items WHERE id = ?), 9223372036854775807)
                ORDER BY seq DESC LIMIT ?
                """, arguments: [id, limit]).map { row throws(StorageError) in
                let key = row.key("seq")
                return (id: try row.value("id", of: "items", key: key),
                        caseReference: try row.value("case_ref", of: "items", key: key))
            }
        }
    }

    // MARK: - Attachment blobs

    /// Attachments whose blob has not been fetched yet, in the order they were stored.
    public func missingAttachments() throws -> [MissingAttachment] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id, a.item_id, a.size FROM attachments a JOIN items i ON i.id = a.item_id
                WHERE a.blob IS NULL ORDER BY i.seq, a.rowid
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

    private static func upsert(_ db: Database, _ record: CaseSummary) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO cases (ref, status, received, acknowledged, updated) VALUES (?, ?, ?, ?, ?)",
            arguments: [record.case, record.status, record.received, record.acknowledged, record.updated])
    }

    static func setCursor(_ db: Database, _ cursor: ItemID?) throws {
        if let cursor {
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('cursor', ?)", arguments: [cursor])
        } else {
            try db.execute(sql: "DELETE FROM state WHERE key = 'cursor'")
        }
    }
}
