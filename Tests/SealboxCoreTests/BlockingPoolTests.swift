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
}
