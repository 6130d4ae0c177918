// Case-level operations: the reporter's lookup, follow-ups, the team's replies, status
// changes, deletion, and the audit log of staff actions (never content).
import Foundation
internal import GRDB
import SealboxCrypto

/// Why a case-level write was refused.
public enum CaseError: Error, Equatable, Sendable {
    case unknownCase
}

extension MailboxDatabase {
    static func caseRecord(_ row: Row) -> CaseRecord {
        let key: Data = row["reporter_key"]
        let acknowledged: String? = row["acknowledged_day"]
        return CaseRecord(
            reference: row["ref"], reporterKey: Array(key),
            status: CaseStatus(rawValue: row["status"]) ?? .received,
            received: Day(row["received_day"]) ?? Day.today(), acknowledged: acknowledged.flatMap(Day.init),
            updated: Day(row["updated_day"]) ?? Day.today())
    }

    static let caseColumns = "ref, reporter_key, status, received_day, acknowledged_day, updated_day"

    /// The case a reporter's lookup hash names, if any.
    public func caseRecord(lookupHash: [UInt8]) async throws -> CaseRecord? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.caseColumns) FROM cases WHERE lookup_hash = ?", arguments: [Data(lookupHash)])
                .map(Self.caseRecord)
        }
    }

    /// The case with this reference, if any.
    public func caseRecord(reference: String) async throws -> CaseRecord? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.caseColumns) FROM cases WHERE ref = ?", arguments: [reference])
                .map(Self.caseRecord)
        }
    }

    /// Every case, newest first.
    public func caseRecords() async throws -> [CaseRecord] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.caseColumns) FROM cases ORDER BY received_day DESC, rowid DESC")
                .map(Self.caseRecord)
        }
    }

    /// The items of one case in stored order.
    public func items(ofCase reference: String) async throws -> [StoredItem] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, case_ref, kind, day, envelope, status FROM items WHERE case_ref = ? ORDER BY seq",
                arguments: [reference]
            ).map { try Self.storedItem(db, $0) }
        }
    }

    /// Adds a reporter's follow-up (and its blobs) to a case, in one transaction.
    public func appendFollowUp(case reference: String, itemID: String, envelope: [UInt8], blobs: [StagedBlob], day: Day) async throws {
        try await writer.write { db in
            guard try Self.touch(db, reference, day: day) else { throw CaseError.unknownCase }
            try Self.insertItem(db, id: itemID, caseRef: reference, kind: EnvelopeKind.followUp.name, day: day, envelope: envelope, blobs: blobs)
        }
    }

    /// Adds the team's reply; the first reply acknowledges a received case. Returns the new status.
    public func appendReply(case reference: String, itemID: String, envelope: [UInt8], day: Day, staffKey: String) async throws -> CaseStatus {
        try await writer.write { db in
            guard try Self.touch(db, reference, day: day) else { throw CaseError.unknownCase }
            try Self.insertItem(db, id: itemID, caseRef: reference, kind: EnvelopeKind.reply.name, day: day, envelope: envelope, blobs: [])
            try db.execute(
                sql: "UPDATE cases SET status = 'acknowledged', acknowledged_day = ? WHERE ref = ? AND status = 'received'",
                arguments: [day.text, reference])
            try db.execute(
                sql: "UPDATE cases SET acknowledged_day = ? WHERE ref = ? AND acknowledged_day IS NULL",
                arguments: [day.text, reference])
            try Self.audit(db, day: day, staffKey: staffKey, action: "reply", case: reference)
            return CaseStatus(rawValue: try String.fetchOne(db, sql: "SELECT status FROM cases WHERE ref = ?", arguments: [reference]) ?? "") ?? .received
        }
    }

    /// Sets a case's status, recorded as a status item so that every workstation sees it.
    /// Returns the id of that item.
    @discardableResult
    public func setStatus(case reference: String, to status: CaseStatus, day: Day, staffKey: String) async throws -> String {
        let itemID = Random.identifier()
        return try await writer.write { db in
            guard try Self.touch(db, reference, day: day) else { throw CaseError.unknownCase }
            try db.execute(sql: "UPDATE cases SET status = ? WHERE ref = ?", arguments: [status.rawValue, reference])
            if status != .received {
                try db.execute(
                    sql: "UPDATE cases SET acknowledged_day = ? WHERE ref = ? AND acknowledged_day IS NULL",
                    arguments: [day.text, reference])
            }
            try db.execute(
                sql: "INSERT INTO items (id, case_ref, kind, day, envelope, status) VALUES (?, ?, 'status', ?, X'', ?)",
                arguments: [itemID, reference, day.text, status.rawValue])
            try Self.audit(db, day: day, staffKey: staffKey, action: "status:\(status.rawValue)", case: reference)
            return itemID
        }
    }

    /// Deletes a case with every item and blob; then checkpoints and truncates the WAL.
    public func deleteCase(_ reference: String, day: Day, staffKey: String) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO cursor_tombstones (id, seq) SELECT id, seq FROM items WHERE case_ref = ?",
                arguments: [reference])
            try db.execute(sql: "DELETE FROM cases WHERE ref = ?", arguments: [reference])
            guard db.changesCount > 0 else { throw CaseError.unknownCase }
            try Self.audit(db, day: day, staffKey: staffKey, action: "delete", case: reference)
        }
        try await writer.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
    }

    /// The audit log, oldest first.
    public func auditEntries() async throws -> [AuditEntry] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT day, staff_key, action, case_ref FROM audit ORDER BY seq").map {
                AuditEntry(day: $0["day"], staffKey: $0["staff_key"], action: $0["action"], caseReference: $0["case_ref"])
            }
        }
    }

    /// Marks a case as active today; false when there is no such case.
    static func touch(_ db: Database, _ reference: String, day: Day) throws -> Bool {
        try db.execute(sql: "UPDATE cases SET updated_day = ? WHERE ref = ?", arguments: [day.text, reference])
        return db.changesCount > 0
    }

    static func audit(_ db: Database, day: Day, staffKey: String, action: String, case reference: String) throws {
        try db.execute(
            sql: "INSERT INTO audit (day, staff_key, action, case_ref) VALUES (?, ?, ?, ?)",
            arguments: [day.text, staffKey, action, reference])
    }
}
