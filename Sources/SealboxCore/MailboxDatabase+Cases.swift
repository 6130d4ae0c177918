// Case-level operations: the reporter's lookup, follow-ups, the team's replies and case
// work, status changes, deletion, and the audit log of staff actions (never content).
import Foundation
internal import GRDB
import SealboxCrypto

/// Why a case-level write was refused.
public enum CaseError: Error, Equatable, Sendable {
    case unknownCase
}

extension MailboxDatabase {
    static func caseRecord(_ row: Row) throws -> CaseRecord {
        let key = row.key("ref")
        return CaseRecord(
            reference: try row.value("ref", of: "cases", key: key),
            reporterKey: try row.value("reporter_key", of: "cases", key: key),
            status: try row.value("status", of: "cases", key: key),
            received: try row.value("received_day", of: "cases", key: key),
            acknowledged: try row.value("acknowledged_day", of: "cases", key: key),
            updated: try row.value("updated_day", of: "cases", key: key))
    }

    static let caseColumns = "ref, reporter_key, status, received_day, acknowledged_day, updated_day"

    /// The case a reporter's lookup hash names, if any (a case without its storage key is none).
    public func caseRecord(lookupHash: [UInt8]) async throws -> CaseRecord? {
        try keyed(try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.caseColumns) FROM cases WHERE lookup_hash = ?", arguments: [Data(lookupHash)])
                .map(Self.caseRecord)
        })
    }

    /// `record` when its case has its storage key, else nil: a case without a key is gone.
    func keyed(_ record: CaseRecord?) throws -> CaseRecord? {
        guard let record, try hasKey(record.reference) else { return nil }
        return record
    }

    /// For each lookup hash, the case it names, if any; every hash is looked up, whether an
    /// earlier one matched or not, so that a known and an unknown code cost the same.
    public func caseRecords(lookupHashes: [[UInt8]]) async throws -> [CaseRecord?] {
        try await writer.read { db in
            try lookupHashes.map { hash in
                try Row.fetchOne(db, sql: "SELECT \(Self.caseColumns) FROM cases WHERE lookup_hash = ?", arguments: [Data(hash)])
                    .map(Self.caseRecord)
            }
        }.map { record in
            // The key store is asked for every hash, found or not, like the database.
            let hasKey = try self.hasKey(record?.reference ?? Self.absentReference)
            return record != nil && hasKey ? record : nil
        }
    }

    /// A reference asked for where there is no case, so that a miss costs what a hit does.
    static let absentReference = try! CaseReference(parsing: "2222-2222")

    /// The distinct Argon2id costs stored cases' codes were derived with, the cost of the
    /// most recent day's cases first (docs/PROTOCOL.md §6.2; every cost is tried, so the
    /// order only saves time, and within a day nothing tells which case came last).
    public func codeCosts() async throws -> [KDFCost] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT kdf_opslimit, kdf_memlimit, MAX(received_day) AS newest FROM cases
                WHERE kdf_opslimit IS NOT NULL AND kdf_memlimit IS NOT NULL
                GROUP BY kdf_opslimit, kdf_memlimit ORDER BY newest DESC, kdf_memlimit DESC, kdf_opslimit DESC
                """
            ).map { row throws(StorageError) in
                let opslimit: Int64 = try row.value("kdf_opslimit", of: "cases", key: "of cost group")
                let memlimit: Int = try row.value("kdf_memlimit", of: "cases", key: "of cost group")
                guard opslimit >= 0, let cost = try? KDFCost(opslimit: UInt64(opslimit), memlimit: memlimit) else {
                    throw StorageError.unreadableRow(table: "cases", key: "with kdf_opslimit \(opslimit) kdf_memlimit \(memlimit)", column: "kdf_opslimit")
                }
                return cost
            }
        }
    }

    /// The case with this reference, if any.
    public func caseRecord(reference: CaseReference) async throws -> CaseRecord? {
        try keyed(try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.caseColumns) FROM cases WHERE ref = ?", arguments: [reference])
                .map(Self.caseRecord)
        })
    }

    /// Every case, the newest day first; within a day by reference (random, not arrival).
    public func caseRecords() async throws -> [CaseRecord] {
        let records = try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.caseColumns) FROM cases ORDER BY received_day DESC, ref")
                .map(Self.caseRecord)
        }
        let keyed = try keys.references()
        return records.filter { keyed.contains($0.reference) }
    }

    /// The items of one case by position (the order they were stored in the case).
    /// Envelopes are unwrapped; a case without its storage key has none.
    public func items(ofCase reference: CaseReference) async throws -> [StoredItem] {
        try unwrap(try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.itemColumns) FROM items WHERE case_ref = ? ORDER BY position", arguments: [reference]
            ).map { try Self.storedItem(db, $0) }
        })
    }

    /// Adds a reporter's follow-up (and its blobs) to a case, in one transaction.
    public func appendFollowUp(case reference: CaseReference, itemID: ItemID, envelope: [UInt8], blobs: [StagedBlob], day: Day) async throws {
        let key = try keyForWriting(reference)
        try await writer.write { db in
            guard try Self.touch(db, reference, day: day) else { throw CaseError.unknownCase }
            try Self.insertItem(db, id: itemID, case: reference, kind: .followUp, day: day, envelope: envelope, blobs: blobs,
                                key: key)
        }
    }

    /// Adds the team's reply; the first reply acknowledges a received case. Returns the
    /// new status and the reply's position in the case.
    public func appendReply(case reference: CaseReference, itemID: ItemID, envelope: [UInt8], day: Day,
                            staffKeyID: KeyID, request: [UInt8] = []) async throws -> (status: CaseStatus, position: Int) {
        let key = try keyForWriting(reference)
        return try await writer.write { db in
            guard try Self.touch(db, reference, day: day) else { throw CaseError.unknownCase }
            let position = try Self.insertItem(db, id: itemID, case: reference, kind: .reply, day: day,
                                               envelope: envelope, blobs: [], key: key)
            try db.execute(
                sql: "UPDATE cases SET status = ?, acknowledged_day = ? WHERE ref = ? AND status = ?",
                arguments: [CaseStatus.acknowledged, day, reference, CaseStatus.received])
            try db.execute(
                sql: "UPDATE cases SET acknowledged_day = ? WHERE ref = ? AND acknowledged_day IS NULL",
                arguments: [day, reference])
            try Self.audit(db, day: day, member: staffKeyID, action: .reply, case: reference, request: request)
            guard let row = try Row.fetchOne(db, sql: "SELECT status FROM cases WHERE ref = ?", arguments: [reference]) else {
                throw CaseError.unknownCase
            }
            return (try row.value("status", of: "cases", key: reference.text), position)
        }
    }

    /// Stores an item of the team's case work (note, coding, case data: PROTOCOL §3.4),
    /// unread, with its audit entry. The case's status, acknowledgement and last change
    /// stay as they are: the reporter's view and deadlines do not move. Returns the
    /// item's position in the case.
    public func appendCaseWork(case reference: CaseReference, kind: EnvelopeKind, itemID: ItemID, envelope: [UInt8],
                               day: Day, staffKeyID: KeyID, request: [UInt8] = []) async throws -> Int {
        precondition(kind.isCaseWork, "only notes, codings and case data are case work")
        let key = try keyForWriting(reference)
        return try await writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM cases WHERE ref = ?", arguments: [reference]) != nil else {
                throw CaseError.unknownCase
            }
            let position = try Self.insertItem(db, id: itemID, case: reference, kind: kind, day: day,
                                               envelope: envelope, blobs: [], key: key)
            try Self.audit(db, day: day, member: staffKeyID, action: .caseWork(kind), case: reference, request: request)
            return position
        }
    }

    /// Sets a case's status, recorded as a status item so that every workstation sees it.
    /// Returns the id of that item and its position in the case.
    @discardableResult
    public func setStatus(case reference: CaseReference, to status: CaseStatus, day: Day,
                          staffKeyID: KeyID, request: [UInt8] = []) async throws -> (id: ItemID, position: Int) {
        let itemID = ItemID.generate()
        _ = try keyForWriting(reference)
        return try await writer.write { db in
            guard try Self.touch(db, reference, day: day) else { throw CaseError.unknownCase }
            try db.execute(sql: "UPDATE cases SET status = ? WHERE ref = ?", arguments: [status, reference])
            if status != .received {
                try db.execute(
                    sql: "UPDATE cases SET acknowledged_day = ? WHERE ref = ? AND acknowledged_day IS NULL",
                    arguments: [day, reference])
            }
            let position = try Self.nextPosition(db, in: reference)
            try db.execute(
                sql: "INSERT INTO items (id, case_ref, position, kind, day, envelope, status) VALUES (?, ?, ?, ?, ?, X'', ?)",
                arguments: [itemID, reference, position, ItemKind.status, day, status])
            try Self.audit(db, day: day, member: staffKeyID, action: .status(status), case: reference, request: request)
            return (itemID, position)
        }
    }

    /// Deletes a case with every item and blob in one step (audited `delete`), records it
    /// as a pending purge in the same transaction, then checkpoints and truncates the WAL
    /// (MailboxDatabase+Purge.swift). Used where no second member is needed: an office with
    /// a single staff key (docs/PROTOCOL.md §9.5). Once the deletion is committed this does
    /// not fail: a checkpoint that readers keep from completing within `purgePatience`
    /// stays pending and is finished later.
    public func deleteCase(_ reference: CaseReference, day: Day, staffKeyID: KeyID, request: [UInt8] = [],
                           purgePatience: Duration = .seconds(5)) async throws {
        guard try hasKey(reference) else { throw CaseError.unknownCase }
        try await writer.write { db in
            try Self.deleteCaseRows(db, reference, day: day, member: staffKeyID, action: .delete, request: request)
        }
        await purgeDeleted(patience: purgePatience)
    }

    /// The rows of a deletion (PROTOCOL §10.1, step 1): cursor tombstones kept, the case
    /// and everything in it deleted, the audit entry written, the purge recorded.
    static func deleteCaseRows(_ db: Database, _ reference: CaseReference, day: Day, member: KeyID?, action: AuditAction,
                               request: [UInt8]) throws {
        try db.execute(
            sql: "INSERT INTO cursor_tombstones (id, day) SELECT id, day FROM items WHERE case_ref = ?",
            arguments: [reference])
        try db.execute(sql: "DELETE FROM cases WHERE ref = ?", arguments: [reference])
        guard db.changesCount > 0 else { throw CaseError.unknownCase }
        try Self.audit(db, day: day, member: member, action: action, case: reference, request: request)
        try db.execute(sql: "INSERT OR IGNORE INTO pending_purges (case_ref) VALUES (?)", arguments: [reference])
    }

    /// Marks a case as active today; false when there is no such case.
    static func touch(_ db: Database, _ reference: CaseReference, day: Day) throws -> Bool {
        try db.execute(sql: "UPDATE cases SET updated_day = ? WHERE ref = ?", arguments: [day, reference])
        return db.changesCount > 0
    }
}
