// What tells the desk's in-memory caches (the inbox rows, the search index) that the
// store changed (docs/design/DESK.md §6): one cheap query of counters the writers move.
//
// Rules this file enforces:
// - a sync that stores an item moves `state.change_seq` (WorkstationStore+Attention) and
//   the item count; an item this workstation sent itself moves the item count; a case
//   deleted moves the item count; `show` marking a case read moves the sum of the read
//   marks; the server's case rows move their count or their latest update day;
// - the fingerprint holds counters only, never content.
import SealboxCore
internal import GRDB

extension WorkstationStore {
    /// A short text that changes whenever the cases, their items or their read marks change.
    public func changeFingerprint() throws -> String {
        try queue.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT (SELECT value FROM state WHERE key = 'change_seq') AS change_seq,
                       (SELECT COUNT(*) FROM items) AS items,
                       (SELECT COUNT(*) FROM cases) AS cases,
                       (SELECT MAX(updated) FROM cases) AS updated,
                       (SELECT TOTAL(read) FROM case_marks) AS read_marks,
                       (SELECT COUNT(*) FROM server_deletions) AS deletions
                """)
            guard let row else { return "" }
            let parts: [String] = [
                row["change_seq"] as String? ?? "0", String(row["items"] as Int? ?? 0),
                String(row["cases"] as Int? ?? 0), row["updated"] as String? ?? "",
                String(row["read_marks"] as Double? ?? 0), String(row["deletions"] as Int? ?? 0),
            ]
            return parts.joined(separator: ":")
        }
    }

}
