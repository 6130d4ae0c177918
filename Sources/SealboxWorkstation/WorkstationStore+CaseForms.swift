// What the server answered to a retention extension or a deletion request, kept in the
// case row at once (the desk's case page shows it before the next sync, which then
// replaces it with the server's own view of every case).
import Foundation
import SealboxAPI
import SealboxCore
internal import GRDB

extension WorkstationStore {
    /// Records a deletion the server accepted as a request, waiting for a second member.
    public func recordPendingDeletion(_ pending: PendingDeletion) throws {
        try queue.write { db in
            try db.execute(
                sql: "UPDATE cases SET deletion_by = ?, deletion_day = ?, deletion_expires = ? WHERE ref = ?",
                arguments: [pending.requestedBy, pending.day, pending.expires, pending.case])
        }
    }

    /// Records a retention extension the server accepted.
    public func recordRetention(_ changed: RetentionChanged) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE cases SET retained_until = ?, expires = ? WHERE ref = ?",
                           arguments: [changed.retainedUntil, changed.expires, changed.case])
        }
    }
}
