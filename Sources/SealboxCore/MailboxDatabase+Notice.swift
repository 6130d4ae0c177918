// What the daily notice may know (issue 10, `notify.only_when_new`): whether a reporter
// wrote (a report or a follow-up) on or after a day. Nothing finer than the day.
import Foundation
internal import GRDB

extension MailboxDatabase {
    /// Whether a report or follow-up is stored with a day on or after `day`.
    public func hasReporterItems(since day: Day) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM items WHERE kind IN (?, ?) AND day >= ?)",
                              arguments: [ItemKind.report, ItemKind.followUp, day]) ?? false
        }
    }
}
