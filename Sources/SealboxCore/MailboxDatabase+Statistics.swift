// Statistic records in storage (docs/PROTOCOL.md §3.5, table `statistics`, migration
// v13-statistics).
//
// Rules this file enforces:
// - a record is its random id, its month and its sealed envelope: no case, no member, no
//   day, and no audit entry (the coding it comes with is audited; an entry for the record
//   would tie it to a member and a day, and through them to the case);
// - putting a record with a known id replaces it (the next coding of the same case);
// - deleting a case never touches this table (there is nothing to join it on);
// - the table holds at most `maximumStatistics` records.
import Foundation
internal import GRDB

/// One stored statistic record.
public struct StoredStatistic: Sendable, Equatable {
    public let id: StatisticID
    public let month: Month
    public let envelope: [UInt8]

    public init(id: StatisticID, month: Month, envelope: [UInt8]) {
        self.id = id
        self.month = month
        self.envelope = envelope
    }
}

/// Why a statistic record was not stored.
public enum StatisticStorageError: Error, Equatable, Sendable {
    /// The table holds `MailboxDatabase.maximumStatistics` records already.
    case full
}

extension MailboxDatabase {
    /// The most statistic records kept (a thousand cases a year for five centuries).
    public static let maximumStatistics = 500_000

    /// Stores `record`, replacing the one with its id; true when it is new.
    @discardableResult
    public func putStatistic(_ record: StoredStatistic) async throws -> Bool {
        try await writer.write { db in
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM statistics WHERE id = ?)",
                                           arguments: [record.id]) ?? false
            if exists {
                try db.execute(sql: "UPDATE statistics SET month = ?, envelope = ? WHERE id = ?",
                               arguments: [record.month, Data(record.envelope), record.id])
            } else {
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM statistics") ?? 0
                guard count < Self.maximumStatistics else { throw StatisticStorageError.full }
                try db.execute(sql: "INSERT INTO statistics (id, month, envelope) VALUES (?, ?, ?)",
                               arguments: [record.id, record.month, Data(record.envelope)])
            }
            return !exists
        }
    }

    /// Up to `limit` records after `after`, in the order of their random ids.
    public func statistics(after: StatisticID?, limit: Int) async throws -> [StoredStatistic] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, month, envelope FROM statistics WHERE id > ? ORDER BY id LIMIT ?",
                             arguments: [after?.text ?? "", limit]).map { row throws(StorageError) in
                let key = row.key("id")
                let id: StatisticID = try row.value("id", of: "statistics", key: key)
                let month: Month = try row.value("month", of: "statistics", key: key)
                let envelope: Data = try row.value("envelope", of: "statistics", key: key)
                return StoredStatistic(id: id, month: month, envelope: [UInt8](envelope))
            }
        }
    }
}
