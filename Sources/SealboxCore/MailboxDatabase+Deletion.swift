// Four-eyes deletion and retention in storage (docs/PROTOCOL.md §9.5, §9.6). The rule
// itself is FourEyes and RetentionPolicy; this file stores and audits each step, and
// deletes with PROTOCOL §10.1 (MailboxDatabase+Cases.swift, +Purge.swift).
import Foundation
internal import GRDB
import SealboxCrypto

extension MailboxDatabase {
    /// Records that `member` asks to delete a case (audited `delete-request`). An expired
    /// request is dropped first (audited `delete-expired`); a pending one is refused.
    public func requestDeletion(of reference: CaseReference, day: Day, member: KeyID, request: [UInt8],
                                confirmDays: Int) async throws -> DeletionRequest {
        guard try hasKey(reference) else { throw CaseError.unknownCase }
        return try await writer.write { db in
            guard try Self.caseExists(db, reference) else { throw CaseError.unknownCase }
            try Self.dropExpiredDeletionRequests(db, today: day, confirmDays: confirmDays)
            if let pending = try Self.deletionRequest(db, reference) { throw DeletionError.alreadyRequested(pending) }
            try db.execute(sql: "INSERT INTO deletion_requests (case_ref, member, day) VALUES (?, ?, ?)",
                           arguments: [reference, member, day])
            try Self.audit(db, day: day, member: member, action: .deleteRequest, case: reference, request: request)
            return DeletionRequest(caseReference: reference, member: member, day: day)
        }
    }

    /// Confirms a pending deletion by a second member (FourEyes: with a roster, a lead) and
    /// deletes the case with everything in it (audited `delete-confirm`), then purges the WAL.
    public func confirmDeletion(of reference: CaseReference, day: Day, member: StaffMember, rosterInForce: Bool,
                                request: [UInt8], confirmDays: Int, purgePatience: Duration = .seconds(5)) async throws {
        guard try hasKey(reference) else { throw CaseError.unknownCase }
        // An expired request is dropped (and audited) even though the confirmation fails.
        let outcome: Result<Void, DeletionError> = try await writer.write { db in
            guard try Self.caseExists(db, reference) else { throw CaseError.unknownCase }
            do throws(DeletionError) {
                try FourEyes.checkRole(of: member, rosterInForce: rosterInForce)
            } catch {
                return .failure(error)
            }
            try Self.dropExpiredDeletionRequests(db, today: day, confirmDays: confirmDays)
            guard let pending = try Self.deletionRequest(db, reference) else { return .failure(.noRequest) }
            do throws(DeletionError) {
                try FourEyes.check(confirming: pending, by: member, rosterInForce: rosterInForce)
            } catch {
                return .failure(error)
            }
            try Self.deleteCaseRows(db, reference, day: day, member: member.id, action: .deleteConfirm, request: request)
            return .success(())
        }
        try outcome.get()
        await purgeDeleted(patience: purgePatience)
    }

    /// The pending deletion requests, by case.
    public func deletionRequests() async throws -> [CaseReference: DeletionRequest] {
        try await writer.read { db in
            var out: [CaseReference: DeletionRequest] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT case_ref, member, day FROM deletion_requests") {
                let key = row.key("case_ref")
                let request = DeletionRequest(caseReference: try row.value("case_ref", of: "deletion_requests", key: key),
                                              member: try row.value("member", of: "deletion_requests", key: key),
                                              day: try row.value("day", of: "deletion_requests", key: key))
                out[request.caseReference] = request
            }
            return out
        }
    }

    /// Drops the deletion requests that expired before `today`, each audited `delete-expired`.
    @discardableResult
    public func dropExpiredDeletionRequests(today: Day, confirmDays: Int) async throws -> [CaseReference] {
        try await writer.write { db in try Self.dropExpiredDeletionRequests(db, today: today, confirmDays: confirmDays) }
    }

    @discardableResult
    static func dropExpiredDeletionRequests(_ db: Database, today: Day, confirmDays: Int) throws -> [CaseReference] {
        let last = today.adding(days: -confirmDays)
        let expired = try Row.fetchAll(db, sql: "SELECT case_ref FROM deletion_requests WHERE day < ? ORDER BY case_ref",
                                       arguments: [last]).map { row throws(StorageError) -> CaseReference in
            try row.value("case_ref", of: "deletion_requests", key: row.key("case_ref"))
        }
        for reference in expired {
            try db.execute(sql: "DELETE FROM deletion_requests WHERE case_ref = ?", arguments: [reference])
            try Self.audit(db, day: today, member: nil, action: .deleteExpired, case: reference, request: [])
        }
        return expired
    }

    static func deletionRequest(_ db: Database, _ reference: CaseReference) throws -> DeletionRequest? {
        guard let row = try Row.fetchOne(db, sql: "SELECT member, day FROM deletion_requests WHERE case_ref = ?",
                                         arguments: [reference]) else { return nil }
        return DeletionRequest(caseReference: reference,
                               member: try row.value("member", of: "deletion_requests", key: reference.text),
                               day: try row.value("day", of: "deletion_requests", key: reference.text))
    }

    static func caseExists(_ db: Database, _ reference: CaseReference) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM cases WHERE ref = ?)", arguments: [reference]) ?? false
    }

    // MARK: - Retention

    /// Every case's expiry under `policy`.
    public func retentionStates(policy: RetentionPolicy) async throws -> [RetentionState] {
        try await writer.read { db in try Self.retentionStates(db, policy: policy) }
    }

    static func retentionStates(_ db: Database, policy: RetentionPolicy) throws -> [RetentionState] {
            try Row.fetchAll(db, sql: """
                SELECT c.ref, c.status, c.updated_day, c.retain_until,
                       (SELECT MAX(i.day) FROM items i WHERE i.case_ref = c.ref AND i.kind = 'status' AND i.status = 'closed') AS closed_day
                FROM cases c ORDER BY c.ref
                """).map { row throws(StorageError) in
                let key = row.key("ref")
                let status: CaseStatus = try row.value("status", of: "cases", key: key)
                let updated: Day = try row.value("updated_day", of: "cases", key: key)
                let retain: Day? = try row.value("retain_until", of: "cases", key: key)
                let closedDay: Day? = try row.value("closed_day", of: "items", key: key)
                let closed = status == .closed ? (closedDay ?? updated) : nil
                return RetentionState(caseReference: try row.value("ref", of: "cases", key: key),
                                      expires: policy.expiry(closed: closed, updated: updated, retainUntil: retain),
                                      retainedUntil: retain)
            }
    }

    /// Keeps a case at least until `until` (audited `retain:<day>`).
    public func retain(_ reference: CaseReference, until: Day, day: Day, member: KeyID, request: [UInt8]) async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE cases SET retain_until = ? WHERE ref = ?", arguments: [until, reference])
            guard db.changesCount > 0 else { throw CaseError.unknownCase }
            try Self.audit(db, day: day, member: member, action: .retain(until: until), case: reference, request: request)
        }
    }

    /// Deletes every case due on `today` under `policy` (each audited `retention-delete`,
    /// by the daemon), then purges the WAL. Returns the cases deleted.
    @discardableResult
    public func deleteDueCases(today: Day, policy: RetentionPolicy, purgePatience: Duration = .seconds(5)) async throws -> [CaseReference] {
        let deleted: [CaseReference] = try await writer.write { db in
            let due = try Self.retentionStates(db, policy: policy).filter { $0.isDue(today: today) }.map(\.caseReference)
            var deleted: [CaseReference] = []
            for reference in due {
                try Self.deleteCaseRows(db, reference, day: today, member: nil, action: .retentionDelete, request: [])
                deleted.append(reference)
            }
            return deleted
        }
        guard !deleted.isEmpty else { return [] }
        await purgeDeleted(patience: purgePatience)
        return deleted
    }
}
