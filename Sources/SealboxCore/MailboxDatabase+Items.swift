// Items: the submission's one transaction (case, first item, blobs), the staff feed in
// the order (day, id), which says nothing about arrival within a day (v5, PROTOCOL §10),
// and sealed blobs. Every row read back is decoded into its types; a row
// that does not decode is an error naming the row, never a default.
import Foundation
internal import GRDB
import SealboxCrypto

/// A sealed attachment, already encrypted into a file under the daemon's tmp directory.
public struct StagedBlob: Sendable {
    public let id: AttachmentID
    public let file: URL
    public let size: Int
    /// The file key while the blob is staged (nil for a blob from elsewhere): lets the
    /// daemon seal its recipients again once it knows the case (`reseal(to:)`).
    let fileKey: SecureBytes?
    /// How many recipients the staged blob is sealed to.
    let recipientCount: Int

    public init(id: AttachmentID, file: URL, size: Int) {
        self.init(id: id, file: file, size: size, fileKey: nil, recipientCount: 0)
    }

    init(id: AttachmentID, file: URL, size: Int, fileKey: SecureBytes?, recipientCount: Int) {
        self.id = id
        self.file = file
        self.size = size
        self.fileKey = fileKey
        self.recipientCount = recipientCount
    }

    /// Seals the staged blob's file key to `recipients` instead, in place (the block keeps
    /// its length, so only the same number of recipients is possible; PROTOCOL §12.7: the
    /// attachments of a restricted case's follow-up). Without a file key nothing changes.
    public func reseal(to recipients: [BoxPublicKey]) throws {
        guard let fileKey, recipients.count == recipientCount else { return }
        let block = try attachmentRecipientBlock(fileKey: fileKey, to: recipients)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seek(toOffset: 4)
        try handle.write(contentsOf: block)
        try handle.synchronize()
    }
}

/// A new case with its first item: what one submission commits.
public struct NewCase: Sendable {
    public let reference: CaseReference
    public let lookupHash: [UInt8]
    /// The Argon2id cost the lookup hash and reporter key were derived with.
    public let cost: KDFCost
    public let reporterKey: BoxPublicKey
    public let day: Day
    public let itemID: ItemID
    public let envelope: [UInt8]
    public let blobs: [StagedBlob]

    public init(
        reference: CaseReference, lookupHash: [UInt8], cost: KDFCost, reporterKey: BoxPublicKey, day: Day,
        itemID: ItemID, envelope: [UInt8], blobs: [StagedBlob]
    ) {
        self.reference = reference
        self.lookupHash = lookupHash
        self.cost = cost
        self.reporterKey = reporterKey
        self.day = day
        self.itemID = itemID
        self.envelope = envelope
        self.blobs = blobs
    }
}

/// One stored item, sealed or a status change: the one shape of an item in the daemon's
/// database and in a workstation's local store (the wire form is SealboxAPI's `SealedItem`).
public struct StoredItem: Sendable, Equatable {
    public let id: ItemID
    public let caseReference: CaseReference
    public let kind: ItemKind
    public let day: Day
    /// The item's place in its case: 1 for the report, then 2, 3, … in the order the
    /// case's items were stored. It orders one case's thread and nothing else.
    public let position: Int
    /// The sealed envelope; empty for a status change.
    public let envelope: [UInt8]
    public let attachments: [StoredAttachment]
    /// The new status, for items of kind `status`.
    public let status: CaseStatus?

    /// A sealed item (report, follow-up or reply).
    public init(id: ItemID, caseReference: CaseReference, kind: EnvelopeKind, day: Day, position: Int,
                envelope: [UInt8], attachments: [StoredAttachment] = []) {
        self.init(id: id, caseReference: caseReference, itemKind: ItemKind(kind), day: day, position: position,
                  envelope: envelope, attachments: attachments, status: nil)
    }

    /// A status change: no envelope, no attachments (PROTOCOL §9.3).
    public init(statusChange id: ItemID, caseReference: CaseReference, day: Day, position: Int, status: CaseStatus) {
        self.init(id: id, caseReference: caseReference, itemKind: .status, day: day, position: position,
                  envelope: [], attachments: [], status: status)
    }

    /// Any item, as read back from storage.
    public init(id: ItemID, caseReference: CaseReference, itemKind: ItemKind, day: Day, position: Int,
                envelope: [UInt8], attachments: [StoredAttachment], status: CaseStatus?) {
        self.id = id
        self.caseReference = caseReference
        self.kind = itemKind
        self.day = day
        self.position = position
        self.envelope = envelope
        self.attachments = attachments
        self.status = status
    }

    /// Whether this is a status change rather than a sealed item.
    public var isStatusChange: Bool { kind == .status }
}

/// An attachment blob of a stored item: its id and sealed size.
public struct StoredAttachment: Sendable, Equatable {
    public let id: AttachmentID
    public let size: Int

    public init(id: AttachmentID, size: Int) {
        self.id = id
        self.size = size
    }
}

/// Why a write was refused, or a stored row could not be read.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The generated case reference or lookup hash exists already; draw new ones and retry.
    case collision
    /// The cursor names no item.
    case unknownCursor
    /// A stored value does not decode into its type.
    case unreadableRow(table: String, key: String, column: String)

    public var description: String {
        switch self {
        case .collision: "collision of a new case reference or lookup hash"
        case .unknownCursor: "unknown cursor"
        case .unreadableRow(let table, let key, let column):
            "the database row \(key) of table \(table) has an unreadable \(column)"
        }
    }
}

extension MailboxDatabase {
    /// Inserts a case and its first item and blobs (inside the caller's transaction), wrapped
    /// with the case's storage key (committed in the key store before).
    static func insertCase(_ db: Database, _ new: NewCase, key: StorageKey) throws {
        try db.execute(
            sql: """
                INSERT INTO cases (ref, lookup_hash, reporter_key, status, received_day, updated_day,
                                   kdf_opslimit, kdf_memlimit)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [new.reference, Data(new.lookupHash), new.reporterKey, CaseStatus.received, new.day, new.day,
                        Int64(new.cost.opslimit), new.cost.memlimit])
        try insertItem(db, id: new.itemID, case: new.reference, kind: .report,
                       day: new.day, envelope: new.envelope, blobs: new.blobs, key: key)
    }

    /// Inserts an item at the next position of its case (inside the caller's transaction,
    /// which holds the writer, so two items never get one position), its envelope and blobs
    /// wrapped with the case's storage `key` (PROTOCOL §10.4). Returns the position.
    @discardableResult
    static func insertItem(
        _ db: Database, id: ItemID, case reference: CaseReference, kind: EnvelopeKind, day: Day, envelope: [UInt8],
        blobs: [StagedBlob], key: StorageKey
    ) throws -> Int {
        let position = try nextPosition(db, in: reference)
        let wrapped = try StorageWrap.wrapItem(envelope, itemID: id.text, key: key)
        try db.execute(
            sql: "INSERT INTO items (id, case_ref, position, kind, day, envelope) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, reference, position, ItemKind(kind), day, Data(wrapped)])
        for blob in blobs {
            let (data, size) = try wrapBlob(blob, key: key)
            try db.execute(
                sql: "INSERT INTO attachments (id, item_id, size, blob) VALUES (?, ?, ?, ?)",
                arguments: [blob.id, id, size, data])
        }
        return position
    }

    /// The position the next item of the case takes: one more than the highest so far.
    static func nextPosition(_ db: Database, in reference: CaseReference) throws -> Int {
        (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM items WHERE case_ref = ?", arguments: [reference]) ?? 0) + 1
    }

    static let itemColumns = "id, case_ref, position, kind, day, envelope, status"

    /// The staff feed: items ordered by (day, id), from the day `from` on (from the first
    /// day when nil) and after the item `cursor` (an item or the tombstone of a deleted
    /// one; the page's last item is the next page's cursor). The order says nothing about
    /// arrival within a day: an item that arrives later may sort before the cursor, so a
    /// workstation reads its last day again (`from`) at every sync (PROTOCOL §8). The rows
    /// as stored, still wrapped (see `items(from:after:limit:)`).
    func storedItems(from day: Day? = nil, after cursor: ItemID?, limit: Int) async throws -> [StoredItem] {
        try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let day {
                conditions.append("day >= ?")
                arguments += [day]
            }
            if let cursor {
                guard let row = try Row.fetchOne(
                    db, sql: "SELECT day FROM items WHERE id = ? UNION ALL SELECT day FROM cursor_tombstones WHERE id = ?",
                    arguments: [cursor, cursor])
                else {
                    throw StorageError.unknownCursor
                }
                let cursorDay: Day = try row.value("day", of: "items", key: cursor.text)
                conditions.append("(day, id) > (?, ?)")
                arguments += [cursorDay, cursor]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(Self.itemColumns) FROM items \(filter) ORDER BY day, id LIMIT ?", arguments: arguments)
            return try rows.map { try Self.storedItem(db, $0) }
        }
    }

    /// The staff feed (`items(from:after:limit:)`) with every envelope unwrapped; the items
    /// of a case without a storage key are left out, and the page is filled from the items
    /// after them, so that a short page still means the end.
    public func items(from day: Day? = nil, after cursor: ItemID?, limit: Int) async throws -> [StoredItem] {
        var page: [StoredItem] = []
        var after = cursor
        while true {
            let raw = try await storedItems(from: day, after: after, limit: limit)
            page += try unwrap(raw)
            if page.count >= limit || raw.count < limit { return Array(page.prefix(limit)) }
            after = raw.last?.id
        }
    }

    static func storedItem(_ db: Database, _ row: Row) throws -> StoredItem {
        try StoredItem(db, row)
    }

    /// A sealed attachment blob (unwrapped from its storage layer), or nil when there is none
    /// with this id or its case has no storage key.
    public func blob(id: AttachmentID) async throws -> [UInt8]? {
        let row = try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT a.blob, i.case_ref FROM attachments a JOIN items i ON i.id = a.item_id WHERE a.id = ?",
                             arguments: [id])
        }
        guard let row else { return nil }
        let reference: CaseReference = try row.value("case_ref", of: "items", key: id.text)
        let stored: Data = try row.value("blob", of: "attachments", key: id.text)
        guard let key = try keys.key(for: reference) else { return nil }
        do {
            return try StorageWrap.unwrapBlob(Array(stored), attachmentID: id.text, key: key)
        } catch {
            throw StorageError.unreadableRow(table: "attachments", key: id.text, column: "blob")
        }
    }

    /// The case attachment `id` belongs to, or nil when there is none with this id.
    public func caseOfAttachment(id: AttachmentID) async throws -> CaseReference? {
        try await writer.read { db in
            try String.fetchOne(db, sql: "SELECT i.case_ref FROM attachments a JOIN items i ON i.id = a.item_id WHERE a.id = ?",
                                arguments: [id]).flatMap { try? CaseReference(parsing: $0) }
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
