import Foundation
import SealboxCore
import Testing

@Suite struct BlockingPoolTests {
    @Test func jobs_runOffTheCallerAndReturnTheirValue() async throws {
        let pool = BlockingPool(workers: 2, queueLimit: 4)
        defer { pool.shutdown() }
        let onMain = try await pool.run { Thread.isMainThread }
        #expect(onMain == false)
        #expect(try await pool.run { 6 * 7 } == 42)
    }

    @Test func aFullQueue_refusesAtOnce() async throws {
        let pool = BlockingPool(workers: 1, queueLimit: 1)
        defer { pool.shutdown() }
        let gate = Gate()
        let blocker: @Sendable () -> Void = { gate.wait() }
        async let first: Void = pool.run(blocker)
        async let second: Void = pool.run(blocker)
        while pool.load < 2 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: PoolSaturated()) { try await pool.run {} }
        gate.open()
        _ = try await (first, second)
        #expect(pool.load == 0)
    }

    @Test func errors_travelBackToTheCaller() async throws {
        struct Boom: Error {}
        let pool = BlockingPool(workers: 1, queueLimit: 0)
        defer { pool.shutdown() }
        await #expect(throws: Boom.self) { try await pool.run { throw Boom() } }
    }

    @Test func retryAfter_isOneSecondBeforeAnyJobHasRun() {
        let pool = BlockingPool(workers: 2, queueLimit: 4)
        defer { pool.shutdown() }
        #expect(pool.retryAfter() == 1)
    }

    @Test func retryAfter_growsWithTheWorkAheadAndStopsAtItsLimit() async throws {
        let pool = BlockingPool(workers: 1, queueLimit: 8)
        defer { pool.shutdown() }
        // One job of about 0.3 s teaches the pool its average.
        try await pool.run { Thread.sleep(forTimeInterval: 0.3) }
        #expect(pool.retryAfter() == 1)
        let gate = Gate()
        let blocker: @Sendable () -> Void = { gate.wait() }
        var held: [Task<Void, any Error>] = []
        for _ in 0..<8 { held.append(Task { try await pool.run(blocker) }) }
        while pool.load < 8 { try await Task.sleep(for: .milliseconds(5)) }
        // 8 jobs ahead at about 0.3 s on one worker: about 3 s, never below 2.
        let estimate = pool.retryAfter()
        #expect((2...4).contains(estimate))
        #expect(pool.retryAfter(limit: 2) == 2)
        gate.open()
        for task in held { try await task.value }
    }
}
