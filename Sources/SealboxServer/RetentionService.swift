// Retention by the daemon itself (docs/PROTOCOL.md §9.6): at start and once a day it drops
// the deletion requests that expired (audited `delete-expired`) and deletes every case
// past its expiry day (audited `retention-delete`, deleted as PROTOCOL §10.1; workstations
// learn it from the audit log and purge the case at their next sync). The log says how
// many cases were deleted, never which.
import Logging
import SealboxCore
import ServiceLifecycle

struct RetentionService: Service, CustomStringConvertible {
    /// Its name alone (the service lifecycle logs every service at start).
    var description: String { "RetentionService" }
    let database: MailboxDatabase
    let policy: RetentionPolicy
    let confirmDays: Int
    let clock: DaemonClock
    let logger: Logger
    /// The pause between two sweeps.
    var interval: Duration = .seconds(24 * 60 * 60)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One sweep; a failure is logged and tried again at the next.
    func sweep() async {
        let today = clock.today()
        do {
            try await database.dropExpiredDeletionRequests(today: today, confirmDays: confirmDays)
            let deleted = try await database.deleteDueCases(today: today, policy: policy)
            if !deleted.isEmpty { logger.notice("retention deleted \(deleted.count) case(s) past their expiry day") }
        } catch {
            logger.error("retention could not run: \(error)")
        }
    }
}
