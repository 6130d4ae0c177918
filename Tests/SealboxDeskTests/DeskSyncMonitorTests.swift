import Synchronization
import Testing
@testable import SealboxDesk

@Suite struct DeskSyncMonitorTests {
    final class Keys: DeskKeys, @unchecked Sendable {
        func wipe() {}
    }

    /// Counts the syncs it is asked for; fails while `failing` is set.
    final class Server: Sendable {
        let calls = Atomic<Int>(0)
        let failing = Atomic<Bool>(false)
        let running = Atomic<Int>(0)
        let overlapped = Atomic<Bool>(false)

        func sync(_ keys: any DeskKeys) async throws(DeskFailure) -> Int {
            if running.add(1, ordering: .sequentiallyConsistent).newValue > 1 { overlapped.store(true, ordering: .sequentiallyConsistent) }
            defer { running.subtract(1, ordering: .sequentiallyConsistent) }
            try? await Task.sleep(for: .milliseconds(30))
            let call = calls.add(1, ordering: .sequentiallyConsistent).newValue
            if failing.load(ordering: .sequentiallyConsistent) { throw DeskFailure(.server, detail: "connection refused") }
            return call * 10
        }
    }

    /// Waits until `condition` holds, at most 30 s (a loaded machine may be slow; a quick one does not wait long).
    private func waitUntil(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, !(await condition()) { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func nothingIsSynced_whileLocked_andOnceAtOnceAfterEachSignIn() async throws {
        let session = DeskSession(idleLock: .seconds(60))
        let monitor = DeskSyncMonitor()
        let server = Server()
        let task = Task { await monitor.runBackground(session: session, interval: nil, tick: .milliseconds(10), sync: server.sync) }
        defer { task.cancel() }
        try await Task.sleep(for: .milliseconds(150))
        let none = server.calls.load(ordering: .sequentiallyConsistent)
        #expect(none == 0)
        #expect(await monitor.state == .never)

        await session.unlocked(Keys())
        try await waitUntil { server.calls.load(ordering: .sequentiallyConsistent) == 1 }
        try await Task.sleep(for: .milliseconds(150))
        let once = server.calls.load(ordering: .sequentiallyConsistent)
        #expect(once == 1, "without an interval only the first sync runs")
        #expect(await monitor.state == .done(minutesAgo: 0, count: 10))

        await session.lock()
        await session.unlocked(Keys())
        try await waitUntil { server.calls.load(ordering: .sequentiallyConsistent) == 2 }
        let twice = server.calls.load(ordering: .sequentiallyConsistent)
        #expect(twice == 2, "a new sign-in syncs again")
    }

    @Test func anInterval_repeatsTheSync_andAFailureIsKept() async throws {
        let session = DeskSession(idleLock: .seconds(60))
        let monitor = DeskSyncMonitor()
        let server = Server()
        await session.unlocked(Keys())
        let task = Task {
            await monitor.runBackground(session: session, interval: .milliseconds(100), tick: .milliseconds(10), sync: server.sync)
        }
        defer { task.cancel() }
        try await waitUntil { server.calls.load(ordering: .sequentiallyConsistent) >= 3 }
        let repeated = server.calls.load(ordering: .sequentiallyConsistent)
        #expect(repeated >= 3)

        server.failing.store(true, ordering: .sequentiallyConsistent)
        try await waitUntil {
            if case .failed = await monitor.state { return true } else { return false }
        }
        #expect(await monitor.state == .failed(minutesAgo: 0, DeskFailure(.server, detail: "connection refused")))
        server.failing.store(false, ordering: .sequentiallyConsistent)
        try await waitUntil {
            if case .done = await monitor.state { return true } else { return false }
        }
        if case .done = await monitor.state {} else { Issue.record("the sync did not recover: \(await monitor.state)") }
    }

    @Test func aFailedSync_isTriedAgain_evenWithoutAnInterval() async throws {
        let monitor = DeskSyncMonitor()
        let server = Server()
        server.failing.store(true, ordering: .sequentiallyConsistent)
        _ = try? await monitor.sync { () async throws(DeskFailure) -> Int in try await server.sync(Keys()) }
        await monitor.markSynced(unlock: 1)
        // Right after the failure nothing is due; a success without an interval is never due again.
        #expect(!(await monitor.isDue(unlock: 1, interval: nil)))
        #expect(!(await monitor.isDue(unlock: 1, interval: .seconds(3600))))
        // With a short interval the retry follows the interval.
        try await Task.sleep(for: .milliseconds(60))
        #expect(await monitor.isDue(unlock: 1, interval: .milliseconds(50)))
        server.failing.store(false, ordering: .sequentiallyConsistent)
        _ = try await monitor.sync { () async throws(DeskFailure) -> Int in try await server.sync(Keys()) }
        #expect(!(await monitor.isDue(unlock: 1, interval: nil)))
    }

    @Test func aBackgroundSync_doesNotKeepAnIdleDeskOpen() async throws {
        // The background sync asks for the keys far more often than the idle time; were that
        // counted as use, the session would never lock.
        let session = DeskSession(idleLock: .milliseconds(300))
        await session.unlocked(Keys())
        try await waitUntil { await session.backgroundKeys() == nil }
        #expect(!(await session.isUnlocked), "asking for the keys in the background kept the desk unlocked")
    }

    @Test func noBackgroundSync_runsOnceTheDeskIsLocked() async throws {
        let session = DeskSession(idleLock: .seconds(60))
        let monitor = DeskSyncMonitor()
        let server = Server()
        await session.unlocked(Keys())
        let task = Task {
            await monitor.runBackground(session: session, interval: .milliseconds(20), tick: .milliseconds(10), sync: server.sync)
        }
        defer { task.cancel() }
        try await waitUntil { server.calls.load(ordering: .sequentiallyConsistent) >= 2 }
        await session.lock()
        try await waitUntil { await monitor.state != .running }
        let calls = server.calls.load(ordering: .sequentiallyConsistent)
        try await Task.sleep(for: .milliseconds(200))
        let after = server.calls.load(ordering: .sequentiallyConsistent)
        // One sync may have taken the keys just before the lock; none may follow it.
        #expect(after <= calls + 1, "syncs went on after the desk was locked")
    }

    @Test func syncs_runOneAtATime() async throws {
        let monitor = DeskSyncMonitor()
        let server = Server()
        let keys = Keys()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<5 {
                group.addTask { try await monitor.sync { () async throws(DeskFailure) -> Int in try await server.sync(keys) } }
            }
            try await group.waitForAll()
        }
        let all = server.calls.load(ordering: .sequentiallyConsistent)
        #expect(all == 5)
        let overlapped = server.overlapped.load(ordering: .sequentiallyConsistent)
        #expect(!overlapped)
    }
}
