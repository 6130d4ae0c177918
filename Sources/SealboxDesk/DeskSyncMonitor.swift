// Sync in the background (issue 11 "sync runs in the background with a visible state";
// docs/design/DESK.md §5): once right after each sign-in, then every `desk_sync_minutes`
// while the desk is unlocked (a failed one again after 30 seconds); "Fetch new reports" runs the same sync at once. One sync at
// a time: a second waits for the first. The state (never, running, done with its count,
// failed with its reason) is shown on the inbox as a status line. A background sync does
// not count as use: it never keeps an idle desk from locking.

/// What the last sync did, for the inbox's status line.
public enum DeskSyncState: Sendable, Equatable {
    /// No sync yet since the desk started.
    case never
    /// A sync is running.
    case running
    /// The last sync ended well `ago` (rounded down to minutes), fetching `count` new items.
    case done(minutesAgo: Int, count: Int)
    /// The last sync failed `ago` minutes ago; the inbox shows what the store held before.
    case failed(minutesAgo: Int, DeskFailure)
}

/// Runs syncs one at a time and remembers how the last one ended.
public actor DeskSyncMonitor {
    private enum Outcome { case done(Int), failed(DeskFailure) }

    private let clock = ContinuousClock()
    private var running = false
    private var last: (at: ContinuousClock.Instant, outcome: Outcome)?
    /// The unlock whose first sync ran (DeskSession.unlockCount), so each sign-in syncs once at once.
    private var syncedUnlock = -1

    public init() {}

    /// How the last sync ended, as the inbox tells it.
    public var state: DeskSyncState {
        if running { return .running }
        guard let last else { return .never }
        let minutes = Int((clock.now - last.at).components.seconds / 60)
        switch last.outcome {
        case .done(let count): return .done(minutesAgo: minutes, count: count)
        case .failed(let failure): return .failed(minutesAgo: minutes, failure)
        }
    }

    /// Runs `sync` once no other sync runs, records how it ended and passes it on.
    public func sync(_ sync: @Sendable () async throws(DeskFailure) -> Int) async throws(DeskFailure) -> Int {
        while running { try? await Task.sleep(for: .milliseconds(50)) }
        running = true
        defer { running = false }
        do {
            let count = try await sync()
            last = (clock.now, .done(count))
            return count
        } catch {
            last = (clock.now, .failed(error))
            throw error
        }
    }

    /// How soon a failed background sync is tried again (or the interval, when shorter).
    static let retryAfterFailure: Duration = .seconds(30)

    /// Whether a background sync is due: the first after unlock number `unlock`, `interval`
    /// after the last sync ended (nil interval: only the first after each unlock), and after
    /// a failure again `retryAfterFailure` later (a server briefly away does not leave the
    /// inbox stale for a whole interval).
    func isDue(unlock: Int, interval: Duration?) -> Bool {
        if running { return false }
        if unlock != syncedUnlock { return true }
        guard let last else { return false }
        if case .failed = last.outcome {
            return clock.now - last.at >= min(interval ?? Self.retryAfterFailure, Self.retryAfterFailure)
        }
        guard let interval else { return false }
        return clock.now - last.at >= interval
    }

    /// Notes that unlock number `unlock` had its first sync.
    func markSynced(unlock: Int) { syncedUnlock = unlock }

    /// Syncs in the background while the desk runs: checks every `tick` whether the session is
    /// unlocked and a sync is due (`interval` nil: only once after each sign-in). Returns when
    /// the task is cancelled.
    public func runBackground(session: DeskSession, interval: Duration?, tick: Duration = .seconds(1),
                              sync work: @escaping @Sendable (any DeskKeys) async throws(DeskFailure) -> Int) async {
        while !Task.isCancelled {
            if let (keys, unlock) = await session.backgroundKeys(), isDue(unlock: unlock, interval: interval) {
                markSynced(unlock: unlock)
                _ = try? await sync { () async throws(DeskFailure) -> Int in try await work(keys) }
            }
            try? await Task.sleep(for: tick)
        }
    }
}
