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
import SealboxCore
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

extension WorkstationStore {
    /// The id of the last item fetched, or nil before the first sync.
    public var cursor: String? {
        get throws {
            try queue.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'cursor'")
            }
        }
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

    // MARK: - Attachment blobs

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

    static func setCursor(_ db: Database, _ cursor: String?) throws {
        if let cursor {
            try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('cursor', ?)", arguments: [cursor])
        } else {
            try db.execute(sql: "DELETE FROM state WHERE key = 'cursor'")
        }
    }
}
