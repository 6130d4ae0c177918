// Reading and deleting the cases of the local store (`sealbox list`, `show`, `delete`).
//
// Rules this file enforces:
// - summaries come from stored metadata only; nothing is decrypted here;
// - deleting a case removes its items, attachments (blobs) and case row; the day synced
//   stays (a case still on the server is fetched again only when it is on the last
//   two days synced);
// - nothing is ordered by when it was stored: threads by position, cases by day.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
internal import GRDB

/// One case as `sealbox list` shows it, derived from stored metadata only.
public struct LocalCase: Sendable, Equatable {
    /// The case reference.
    public let reference: CaseReference
    /// The day it was received: the server's, else the day of its first stored item.
    public let received: Day
    /// The day of its latest stored item (or the server's last change, if later).
    public let lastActivity: Day
    /// How many messages (report, follow-ups, replies) are stored for it; the team's
    /// notes, codings and case data are not counted.
    public let items: Int
    /// How many attachments its items announce.
    public let attachments: Int
    /// How many of those blobs are not fetched yet.
    public let missingAttachments: Int
    /// The status: the server's (from the last sync, reply or status command) when
    /// known, else derived from the stored items (the latest status change wins; a
    /// case with a reply is at least `acknowledged`; else `received`).
    public let status: CaseStatus
    /// The day it was acknowledged, when known.
    public let acknowledged: Day?
    /// Whether the server still has the case: nil when unknown (no case list fetched
    /// yet), false when the last sync's case list did not name it.
    public let onServer: Bool?
    /// True when the server no longer has the case and its audit log records no deletion
    /// of it: the server was restored from a backup older than the case, which is lost
    /// there (its reporter's code no longer opens it). False otherwise, also while the
    /// audit log has not been fetched.
    public let lostOnServer: Bool
    /// The last day the server keeps the case (retention), when known.
    public let expires: Day?
    /// The day a member asked to keep it until, if any.
    public let retainedUntil: Day?
    /// A deletion asked for by one member and not yet confirmed, as of the last sync.
    public let deletion: PendingDeletion?

    public init(reference: CaseReference, received: Day, lastActivity: Day, items: Int, attachments: Int,
                missingAttachments: Int, status: CaseStatus = .received, acknowledged: Day? = nil,
                onServer: Bool? = nil, lostOnServer: Bool = false, expires: Day? = nil, retainedUntil: Day? = nil,
                deletion: PendingDeletion? = nil) {
        self.expires = expires
        self.retainedUntil = retainedUntil
        self.deletion = deletion
        self.reference = reference
        self.received = received
        self.lastActivity = lastActivity
        self.items = items
        self.attachments = attachments
        self.missingAttachments = missingAttachments
        self.status = status
        self.acknowledged = acknowledged
        self.onServer = onServer
        self.lostOnServer = lostOnServer
    }
}

/// What deleting a case removed from the local store.
public struct DeletedCase: Sendable, Equatable {
    public let items: Int
    public let attachments: Int

    public init(items: Int, attachments: Int) {
        self.items = items
        self.attachments = attachments
    }
}

extension WorkstationStore {
    /// Every case, newest first (by the day received, then by reference: within a day
    /// nothing says which came first),
    /// with its status (see `CaseSummary.status`). Status changes count as activity
    /// but not as items.
    public func cases() throws -> [LocalCase] {
        try cases(only: nil)
    }

    /// The one case `reference` as `cases()` would list it; nil when the store has no item of it.
    public func localCase(_ reference: CaseReference) throws -> LocalCase? {
        try cases(only: reference).first
    }

    private func cases(only reference: CaseReference?) throws -> [LocalCase] {
        try queue.read { db in
            let fetched = try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'cases_fetched'") != nil
            let deletionsFetched = try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'deletions_fetched'") != nil
            return try Row.fetchAll(db, sql: """
                SELECT i.case_ref, MIN(i.day) AS first_day, MAX(i.day) AS last_day,
                       COUNT(CASE WHEN i.kind IN ('report', 'follow-up', 'reply') THEN 1 END) AS items,
                       (SELECT COUNT(*) FROM attachments a JOIN items j ON j.id = a.item_id
                        WHERE j.case_ref = i.case_ref) AS attachments,
                       (SELECT COUNT(*) FROM attachments a JOIN items j ON j.id = a.item_id
                        WHERE j.case_ref = i.case_ref AND a.blob IS NULL) AS missing,
                       (SELECT j.status FROM items j WHERE j.case_ref = i.case_ref AND j.kind = 'status'
                        ORDER BY j.position DESC LIMIT 1) AS last_status,
                       (SELECT MIN(j.day) FROM items j WHERE j.case_ref = i.case_ref
                        AND (j.kind = 'reply' OR (j.kind = 'status' AND j.status <> 'received'))) AS first_answer,
                       c.status AS server_status, c.received AS server_received,
                       c.acknowledged AS server_acknowledged, c.updated AS server_updated,
                       c.expires AS server_expires, c.retained_until AS server_retained_until,
                       c.deletion_by, c.deletion_day, c.deletion_expires,
                       EXISTS (SELECT 1 FROM server_deletions d WHERE d.ref = i.case_ref) AS deleted_there
                FROM items i LEFT JOIN cases c ON c.ref = i.case_ref
                \(reference == nil ? "" : "WHERE i.case_ref = ?")
                GROUP BY i.case_ref
                ORDER BY COALESCE(c.received, first_day) DESC, i.case_ref
                """, arguments: reference.map { [$0] } ?? []).map { row throws(StorageError) in
                    try Self.localCase(row, casesFetched: fetched, deletionsFetched: deletionsFetched)
                }
        }
    }

    private static func localCase(_ row: Row, casesFetched: Bool, deletionsFetched: Bool) throws(StorageError) -> LocalCase {
        let key = row.key("case_ref")
        func value<V: DatabaseValueConvertible>(_ column: String) throws(StorageError) -> V {
            try row.value(column, of: "items", key: "of case \(key)")
        }
        let firstDay: Day = try value("first_day")
        let deletedThere: Bool = try value("deleted_there")
        var lastActivity: Day = try value("last_day")
        let status: CaseStatus
        let received: Day
        let acknowledged: Day?
        let serverStatus: CaseStatus? = try value("server_status")
        if let serverStatus {
            status = serverStatus
            received = try value("server_received") ?? firstDay
            acknowledged = try value("server_acknowledged")
            if let updated: Day = try value("server_updated"), updated > lastActivity { lastActivity = updated }
        } else {
            let last: CaseStatus? = try value("last_status")
            let answered: Day? = try value("first_answer")
            var derived = last ?? .received
            if derived == .received, answered != nil, last == nil { derived = .acknowledged }
            status = derived
            received = firstDay
            acknowledged = answered
        }
        var deletion: PendingDeletion?
        if let by: KeyID = try value("deletion_by"), let day: Day = try value("deletion_day"),
           let expires: Day = try value("deletion_expires") {
            deletion = PendingDeletion(case: try value("case_ref"), requestedBy: by, day: day, expires: expires)
        }
        return LocalCase(
            reference: try value("case_ref"), received: received, lastActivity: lastActivity,
            items: try value("items"), attachments: try value("attachments"), missingAttachments: try value("missing"),
            status: status, acknowledged: acknowledged, onServer: casesFetched ? serverStatus != nil : nil,
            lostOnServer: casesFetched && deletionsFetched && serverStatus == nil && !deletedThere,
            expires: try value("server_expires"), retainedUntil: try value("server_retained_until"), deletion: deletion)
    }

    /// The sealed items filed under `reference`, by position; status changes are left out.
    public func items(case reference: CaseReference) throws -> [StoredItem] {
        try thread(case: reference).filter { !$0.isStatusChange }
    }

    /// Everything filed under `reference`, status changes included, by position (the
    /// server's order inside the case; id breaks a tie only a faulty server could cause).
    public func thread(case reference: CaseReference) throws -> [StoredItem] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, case_ref, position, kind, day, envelope, status FROM items WHERE case_ref = ? ORDER BY position, id",
                arguments: [reference]
            ).map { row in try StoredItem(db, row) }
        }
    }

    /// The report (position 1) of every case, in one query: what `list` needs to tell
    /// whether a case is sealed to keys this workstation holds, without reading every
    /// message of every case. (A scan of the table reads only the envelopes it returns;
    /// an index lookup per row would read far more pages of this WITHOUT ROWID table.)
    public func reports() throws -> [CaseReference: StoredItem] {
        try queue.read { db in
            var reports: [CaseReference: StoredItem] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT id, case_ref, position, kind, day, envelope, status FROM items
                WHERE position = 1 AND kind <> 'status'
                """) {
                // No ORDER BY: an order by case would walk the index and look every row up.
                let item = try StoredItem(db, row)
                if let other = reports[item.caseReference], other.id.text < item.id.text { continue }
                reports[item.caseReference] = item
            }
            return reports
        }
    }

    /// The items of `kinds` of every case, by case in position order, in one query (`list`
    /// reads the case data of all cases without their reports and messages).
    public func items(ofKinds kinds: Set<ItemKind>) throws -> [CaseReference: [StoredItem]] {
        guard !kinds.isEmpty else { return [:] }
        return try queue.read { db in
            var found: [CaseReference: [StoredItem]] = [:]
            let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: """
                SELECT id, case_ref, position, kind, day, envelope, status FROM items
                WHERE id IN (SELECT id FROM items INDEXED BY items_meta WHERE kind IN (\(marks)))
                """, arguments: StatementArguments(kinds.map(\.rawValue))) {
                let item = try StoredItem(db, row)
                found[item.caseReference, default: []].append(item)
            }
            return found.mapValues { $0.sorted { ($0.position, $0.id.text) < ($1.position, $1.id.text) } }
        }
    }

    /// The sealed blob of an attachment; nil when it is unknown or not fetched yet.
    public func blob(id: AttachmentID) throws -> [UInt8]? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT blob FROM attachments WHERE id = ?", arguments: [id]).map { Array($0) }
        }
    }

    // MARK: - Deleting

    /// Deletes every item, attachment (with its blob) and the case row of `caseReference`
    /// (`secure_delete` overwrites the freed content).
    @discardableResult
    public func deleteCase(_ caseReference: CaseReference) throws -> DeletedCase {
        try queue.write { db in
            let attachments = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM attachments a JOIN items i ON i.id = a.item_id WHERE i.case_ref = ?
                """, arguments: [caseReference]) ?? 0
            try db.execute(sql: """
                DELETE FROM attachments WHERE item_id IN (SELECT id FROM items WHERE case_ref = ?)
                """, arguments: [caseReference])
            try db.execute(sql: "DELETE FROM items WHERE case_ref = ?", arguments: [caseReference])
            let items = db.changesCount
            try db.execute(sql: "DELETE FROM cases WHERE ref = ?", arguments: [caseReference])
            try db.execute(sql: "DELETE FROM case_marks WHERE ref = ?", arguments: [caseReference])
            return DeletedCase(items: items, attachments: attachments)
        }
    }

    /// Purges from the store every case in `deleted` (the cases the server's audit log
    /// records as deleted: issue 10, deletion reaches every workstation), with
    /// `secure_delete`, then checkpoints the WAL. Returns the cases purged.
    @discardableResult
    public func purgeDeleted(_ deleted: Set<CaseReference>) throws -> [CaseReference] {
        let here = Set(try cases().map(\.reference))
        let purged = deleted.intersection(here).sorted { $0.text < $1.text }
        for reference in purged { try deleteCase(reference) }
        if !purged.isEmpty {
            try queue.writeWithoutTransaction { db in _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        return purged
    }
}
