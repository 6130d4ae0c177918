import Foundation
internal import GRDB
import SealboxCrypto

/// A sealed attachment, already encrypted into a file under the daemon's tmp directory.
public struct StagedBlob: Sendable {
    public let id: String
    public let file: URL
    public let size: Int

    public init(id: String, file: URL, size: Int) {
        self.id = id
        self.file = file
        self.size = size
    }
}

/// A new case with its first item: what one submission commits.
public struct NewCase: Sendable {
    public let reference: CaseReference
    public let lookupHash: [UInt8]
    public let reporterKey: BoxPublicKey
    public let day: Day
    public let itemID: String
    public let envelope: [UInt8]
    public let blobs: [StagedBlob]

    public init(
        reference: CaseReference, lookupHash: [UInt8], reporterKey: BoxPublicKey, day: Day,
        itemID: String, envelope: [UInt8], blobs: [StagedBlob]
    ) {
        self.reference = reference
        self.lookupHash = lookupHash
        self.reporterKey = reporterKey
        self.day = day
        self.itemID = itemID
        self.envelope = envelope
        self.blobs = blobs
    }
}

/// One stored item as the staff API lists it.
public struct StoredItem: Sendable, Equatable {
    public let id: String
    public let caseReference: String
    public let kind: String
    public let day: String
    /// The sealed envelope; empty for a status change.
    public let envelope: [UInt8]
    public let attachments: [StoredAttachment]
    /// The new status, for items of kind `status`.
    public let status: String?
}

public struct StoredAttachment: Sendable, Equatable {
    public let id: String
    public let size: Int

    public init(id: String, size: Int) {
        self.id = id
        self.size = size
    }
}

/// Why a write was refused.
public enum StorageError: Error, Equatable, Sendable {
    /// The generated case reference or lookup hash exists already; draw new ones and retry.
    case collision
    /// The cursor names no item.
    case unknownCursor
}

extension MailboxDatabase {
    /// Stores a case, its first item and its blobs in one transaction, or nothing.
    public func insert(_ new: NewCase) async throws {
        do {
            try await writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO cases (ref, lookup_hash, reporter_key, status, received_day, updated_day)
                        VALUES (?, ?, ?, 'received', ?, ?)
                        """,
                    arguments: [new.reference.text, Data(new.lookupHash), Data(new.reporterKey.bytes), new.day.text, new.day.text])
                try Self.insertItem(db, id: new.itemID, caseRef: new.reference.text, kind: EnvelopeKind.report.name,
                                    day: new.day, envelope: new.envelope, blobs: new.blobs)
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw StorageError.collision
        }
    }

    static func insertItem(
        _ db: Database, id: String, caseRef: String, kind: String, day: Day, envelope: [UInt8], blobs: [StagedBlob]
    ) throws {
        try db.execute(
            sql: "INSERT INTO items (id, case_ref, kind, day, envelope) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, caseRef, kind, day.text, Data(envelope)])
        for blob in blobs {
            let data = try Data(contentsOf: blob.file)
            try db.execute(
                sql: "INSERT INTO attachments (id, item_id, size, blob) VALUES (?, ?, ?, ?)",
                arguments: [blob.id, id, data.count, data])
        }
    }

    /// Items in the order they were stored, after the item `cursor` (from the start when nil).
    public func items(after cursor: String?, limit: Int) async throws -> [StoredItem] {
        try await writer.read { db in
            var afterSeq: Int64 = 0
            if let cursor {
                guard let seq = try Int64.fetchOne(
                    db, sql: "SELECT seq FROM items WHERE id = ? UNION ALL SELECT seq FROM cursor_tombstones WHERE id = ?",
                    arguments: [cursor, cursor])
                else {
                    throw StorageError.unknownCursor
                }
                afterSeq = seq
            }
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT id, case_ref, kind, day, envelope, status FROM items WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [afterSeq, limit])
            return try rows.map { try Self.storedItem(db, $0) }
        }
    }

    static func storedItem(_ db: Database, _ row: Row) throws -> StoredItem {
        let id: String = row["id"]
        let attachments = try Row.fetchAll(
            db, sql: "SELECT id, size FROM attachments WHERE item_id = ? ORDER BY rowid", arguments: [id]
        ).map { StoredAttachment(id: $0["id"], size: $0["size"]) }
        let envelope: Data = row["envelope"]
        return StoredItem(
            id: id, caseReference: row["case_ref"], kind: row["kind"], day: row["day"],
            envelope: Array(envelope), attachments: attachments, status: row["status"])
    }

    /// A sealed attachment blob, or nil when there is none with this id.
    public func blob(id: String) async throws -> [UInt8]? {
        try await writer.read { db in
            try Data.fetchOne(db, sql: "SELECT blob FROM attachments WHERE id = ?", arguments: [id]).map { Array($0) }
        }
    }

    /// Counts of stored rows, for tests and health checks.
    public func counts() async throws -> (cases: Int, items: Int, attachments: Int) {
        try await writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cases") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachments") ?? 0)
        }
    }
}
