// How the value types are stored in SQLite (docs/PROTOCOL.md §10): each as its text
// form, keys as BLOBs. A stored text that no longer parses is not silently replaced:
// `fromDatabaseValue` answers nil, and GRDB's `row.decode` throws an error that the
// stores turn into `StorageError.unreadableRow`, naming the table, row and column.
public import GRDB
import Foundation
import SealboxCrypto

extension DatabaseValueConvertible where Self: TextValue {
    public var databaseValue: DatabaseValue { text.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Self? {
        String.fromDatabaseValue(dbValue).flatMap { try? Self(parsing: $0) }
    }
}

extension CaseReference: DatabaseValueConvertible {}
extension ItemID: DatabaseValueConvertible {}
extension StatisticID: DatabaseValueConvertible {}
extension Month: DatabaseValueConvertible {}
extension AttachmentID: DatabaseValueConvertible {}
extension Day: DatabaseValueConvertible {}
extension CaseStatus: DatabaseValueConvertible {}
extension ItemKind: DatabaseValueConvertible {}

extension AuditAction: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { text.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> AuditAction? {
        String.fromDatabaseValue(dbValue).flatMap { try? AuditAction(parsing: $0) }
    }
}

extension KeyID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { hex.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> KeyID? {
        String.fromDatabaseValue(dbValue).flatMap { try? KeyID(hex: $0) }
    }
}

extension BoxPublicKey: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { Data(bytes).databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> BoxPublicKey? {
        Data.fromDatabaseValue(dbValue).flatMap { try? BoxPublicKey(bytes: Array($0)) }
    }
}

extension Row {
    /// How an error names this row: the value of its key `column` as text (never content).
    public func key(_ column: String) -> String {
        let value: DatabaseValue = self[column]
        return String.fromDatabaseValue(value) ?? Int64.fromDatabaseValue(value).map(String.init) ?? "?"
    }

    /// The value of `column`, or `StorageError.unreadableRow` naming `table`, the row's key and the column.
    public func value<Value: DatabaseValueConvertible>(
        _ column: String, of table: String, key: String, as type: Value.Type = Value.self
    ) throws(StorageError) -> Value {
        do {
            return try decode(Value.self, forColumn: column)
        } catch {
            throw StorageError.unreadableRow(table: table, key: key, column: column)
        }
    }
}

extension StoredItem {
    /// Reads a row of `SELECT id, case_ref, position, kind, day, envelope, status FROM items`
    /// and its attachments (in the order of their random ids: an item's plaintext lists
    /// them in the reporter's order); both stores keep items in this shape (a
    /// workstation's envelope of a status change is NULL, the daemon's empty).
    public init(_ db: Database, _ row: Row) throws {
        let key = row.key("id")
        let id: ItemID = try row.value("id", of: "items", key: key)
        let attachments = try Row.fetchAll(
            db, sql: "SELECT id, size FROM attachments WHERE item_id = ? ORDER BY id", arguments: [id]
        ).map { attachment throws(StorageError) in
            StoredAttachment(id: try attachment.value("id", of: "attachments", key: "of item \(id)"),
                             size: try attachment.value("size", of: "attachments", key: "of item \(id)"))
        }
        let envelope: Data? = try row.value("envelope", of: "items", key: key)
        self.init(
            id: id, caseReference: try row.value("case_ref", of: "items", key: key),
            itemKind: try row.value("kind", of: "items", key: key), day: try row.value("day", of: "items", key: key),
            position: try row.value("position", of: "items", key: key),
            envelope: envelope.map(Array.init) ?? [], attachments: attachments,
            status: try row.value("status", of: "items", key: key))
    }
}
