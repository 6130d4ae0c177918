// What the store knows for attention (issue 11, DESK.md §8), from metadata only:
// the thread of each case for the unanswered messages (Attention.swift), and which
// cases changed since the user last looked at them.
//
// Rules this file enforces:
// - a case changes when a sync stores a new item of it (a report, follow-up, reply,
//   status change, note, coding or case data, from the reporter or a colleague); items
//   this workstation sent itself and the server sends back do not count;
// - each change takes the next number of the store (`state.change_seq` into `case_marks.changed`); `show`
//   marks a case read up to its latest change (`case_marks.read`); a case is unread
//   ("new") while changed > read; cases stored before migration v9 start read.
import SealboxCore
internal import GRDB

extension WorkstationStore {
    /// The reporter's messages, replies and other items of every case in thread order,
    /// status changes left out, by case.
    public func threadEntries() throws -> [CaseReference: [ThreadEntry]] {
        try queue.read { db in
            var entries: [CaseReference: [ThreadEntry]] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, case_ref, kind, day FROM items WHERE kind <> 'status' ORDER BY case_ref, position, id
                """)
            for row in rows {
                let key = row.key("id")
                let reference: CaseReference = try row.value("case_ref", of: "items", key: key)
                entries[reference, default: []].append(ThreadEntry(
                    id: try row.value("id", of: "items", key: key), kind: try row.value("kind", of: "items", key: key),
                    day: try row.value("day", of: "items", key: key)))
            }
            return entries
        }
    }

    /// The reference of every case in the store, in order (for "did you mean").
    public func references() throws -> [CaseReference] {
        try queue.read { db in try CaseReference.fetchAll(db, sql: "SELECT DISTINCT case_ref FROM items ORDER BY case_ref") }
    }

    /// The unanswered messages of every case, each due `dueDays` after it arrived.
    public func repliesDue(dueDays: Int = Attention.defaultDueDays) throws -> [CaseReference: ReplyDue] {
        try threadEntries().mapValues { Attention.replyDue($0, dueDays: dueDays) }
    }

    /// The number of the latest change stored, 0 before any.
    public func latestChange() throws -> Int {
        try queue.read { db in try Self.latestChange(db) }
    }

    /// The cases changed after change number `change` (from `latestChange()`), by reference.
    public func casesChanged(after change: Int) throws -> [CaseReference] {
        try queue.read { db in
            try CaseReference.fetchAll(db, sql: "SELECT ref FROM case_marks WHERE changed > ? ORDER BY ref",
                                       arguments: [change])
        }
    }

    /// The cases with changes the user has not looked at (`markRead`), by reference.
    public func unreadCases() throws -> Set<CaseReference> {
        try queue.read { db in
            Set(try CaseReference.fetchAll(db, sql: "SELECT ref FROM case_marks WHERE changed > read"))
        }
    }

    /// Marks `reference` read up to its latest change (`sealbox show`).
    public func markRead(_ reference: CaseReference) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE case_marks SET read = changed WHERE ref = ?", arguments: [reference])
        }
    }

    /// Records that a sync changed `reference` (inside the sync's transaction): it takes
    /// the next change number, counted in `state.change_seq` (never reused, also when the
    /// case with the latest change is deleted).
    static func markChanged(_ db: Database, _ reference: CaseReference) throws {
        let next = (try latestChange(db)) + 1
        try db.execute(sql: "INSERT OR REPLACE INTO state (key, value) VALUES ('change_seq', ?)", arguments: [String(next)])
        try db.execute(sql: """
            INSERT INTO case_marks (ref, changed, read) VALUES (?, ?, 0)
            ON CONFLICT (ref) DO UPDATE SET changed = excluded.changed
            """, arguments: [reference, next])
    }

    private static func latestChange(_ db: Database) throws -> Int {
        guard let text = try String.fetchOne(db, sql: "SELECT value FROM state WHERE key = 'change_seq'") else { return 0 }
        guard let number = Int(text), number >= 0 else { throw StorageError.unreadableRow(table: "state", key: "change_seq", column: "value") }
        return number
    }
}
