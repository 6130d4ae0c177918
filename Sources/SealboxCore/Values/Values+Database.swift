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
    /// The value of `column`, or `StorageError.unreadableRow` naming `table`, the row's key and the column.
    func value<Value: DatabaseValueConvertible>(
        _ column: String, of table: String, key: String, as type: Value.Type = Value.self
    ) throws(StorageError) -> Value {
        do {
            return try decode(Value.self, forColumn: column)
        } catch {
            throw StorageError.unreadableRow(table: table, key: key, column: column)
        }
    }
}
