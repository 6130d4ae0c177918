// The storage layer (docs/PROTOCOL.md §10.4): envelopes and blobs are wrapped with their
// case's storage key on the way in and unwrapped on the way out, so that the API serves
// exactly what was sealed; a case whose key is gone is gone.
//
// Rules this file enforces:
// - a row of a case without a key is never served and never an error: the case answers
//   as unknown (404 to staff, an unknown code to the reporter); the start counts such
//   cases once (`keylessCasesAtOpen`) and the daemon logs the number, never a reference;
// - a row that does not unwrap under its case's key (a changed byte, a row moved to
//   another item) is an unreadable row, never served;
// - the migration wraps everything in one transaction, after the keys are committed in
//   the key store: a killed migration leaves the database as it was and reuses the keys.
import Foundation
internal import GRDB
import SealboxCrypto

extension MailboxDatabase {
    /// Migration v12: a key for every case, then every envelope and blob wrapped.
    static func wrapEverything(_ db: Database, keys store: KeyStore) throws {
        let references = try String.fetchAll(db, sql: "SELECT ref FROM cases").map { text in
            do { return try CaseReference(parsing: text) } catch {
                throw StorageError.unreadableRow(table: "cases", key: text, column: "ref")
            }
        }
        let keys = try store.create(for: references)
        let items = try Row.fetchAll(db, sql: "SELECT id, case_ref FROM items WHERE kind != ?", arguments: [ItemKind.status])
        for row in items {
            let id: ItemID = try row.value("id", of: "items", key: row.key("id"))
            let reference: CaseReference = try row.value("case_ref", of: "items", key: id.text)
            guard let key = keys[reference] else { throw StorageError.unreadableRow(table: "items", key: id.text, column: "case_ref") }
            let envelope = try Data.fetchOne(db, sql: "SELECT envelope FROM items WHERE id = ?", arguments: [id]) ?? Data()
            let wrapped = try StorageWrap.wrapItem(Array(envelope), itemID: id.text, key: key)
            try db.execute(sql: "UPDATE items SET envelope = ? WHERE id = ?", arguments: [Data(wrapped), id])
        }
        let blobs = try Row.fetchAll(db, sql: "SELECT a.id, i.case_ref FROM attachments a JOIN items i ON i.id = a.item_id")
        for row in blobs {
            let id: AttachmentID = try row.value("id", of: "attachments", key: row.key("id"))
            let reference: CaseReference = try row.value("case_ref", of: "items", key: id.text)
            guard let key = keys[reference] else { throw StorageError.unreadableRow(table: "attachments", key: id.text, column: "item_id") }
            let blob = try Data.fetchOne(db, sql: "SELECT blob FROM attachments WHERE id = ?", arguments: [id]) ?? Data()
            let wrapped = try StorageBlobWrapper.wrap(Array(blob), attachmentID: id.text, key: key)
            try db.execute(sql: "UPDATE attachments SET blob = ? WHERE id = ?", arguments: [Data(wrapped), id])
        }
    }

    /// A staged blob file wrapped with `key`, read a chunk at a time.
    static func wrapBlob(_ blob: StagedBlob, key: StorageKey) throws -> (wrapped: Data, size: Int) {
        let handle = try FileHandle(forReadingFrom: blob.file)
        defer { try? handle.close() }
        let wrapper = try StorageBlobWrapper(attachmentID: blob.id.text, key: key)
        var out = Data(wrapper.header)
        var size = 0
        while let chunk = try handle.read(upToCount: 65536), !chunk.isEmpty {
            size += chunk.count
            out.append(contentsOf: try wrapper.update(Array(chunk)))
        }
        out.append(contentsOf: try wrapper.finish())
        return (out, size)
    }

    /// The items with their envelopes unwrapped; the items of cases without a key are left out.
    func unwrap(_ items: [StoredItem]) throws -> [StoredItem] {
        let keys = try self.keys.keys(for: Set(items.map(\.caseReference)))
        return try items.compactMap { item in
            guard let key = keys[item.caseReference] else { return nil }
            guard !item.isStatusChange else { return item }
            let envelope: [UInt8]
            do {
                envelope = try StorageWrap.unwrapItem(item.envelope, itemID: item.id.text, key: key)
            } catch {
                throw StorageError.unreadableRow(table: "items", key: item.id.text, column: "envelope")
            }
            return StoredItem(id: item.id, caseReference: item.caseReference, itemKind: item.kind, day: item.day,
                              position: item.position, envelope: envelope, attachments: item.attachments, status: item.status)
        }
    }

    /// Whether the case has its storage key (false: deleted, or its key store is older).
    func hasKey(_ reference: CaseReference) throws -> Bool {
        try keys.key(for: reference) != nil
    }

    /// The key of a case that takes a new item; `unknownCase` when it has none.
    func keyForWriting(_ reference: CaseReference) throws -> StorageKey {
        guard let key = try keys.key(for: reference) else { throw CaseError.unknownCase }
        return key
    }

    /// Destroys the storage keys of the deletions recorded in `pending_purges` (then the
    /// key store's WAL is truncated). Idempotent: a key destroyed before is simply absent.
    static func destroyPendingKeys(_ db: Database, keys: KeyStore) throws {
        let pending = try String.fetchAll(db, sql: "SELECT case_ref FROM pending_purges").compactMap { try? CaseReference(parsing: $0) }
        try keys.delete(pending)
    }
}
