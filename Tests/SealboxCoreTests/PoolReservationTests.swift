import Foundation
import SealboxCore
import Testing

@Suite struct PoolReservationTests {
    @Test func aReservation_takesAPlace_soThatTheNextJobIsRefusedAtOnce() async throws {
        let pool = BlockingPool(workers: 1, queueLimit: 0)
        defer { pool.shutdown() }
        let reservation = try pool.reserve()
        #expect(pool.load == 1)
        #expect(throws: PoolSaturated()) { _ = try pool.reserve() }
        await #expect(throws: PoolSaturated()) { try await pool.run { 1 } }
        #expect(try await pool.run({ 42 }, reservation: reservation) == 42)
        #expect(pool.load == 0)
    }

    @Test func aReleasedOrDroppedReservation_givesItsPlaceBack_once() async throws {
        let pool = BlockingPool(workers: 1, queueLimit: 0)
        defer { pool.shutdown() }
        let reservation = try pool.reserve()
        reservation.release()
        reservation.release()
        #expect(pool.load == 0)
        do { _ = try pool.reserve() }  // dropped at once
        #expect(pool.load == 0)
        #expect(try await pool.run { 7 } == 7)
    }

    @Test func aUsedReservation_cannotBeUsedTwice() async throws {
        let pool = BlockingPool(workers: 1, queueLimit: 0)
        defer { pool.shutdown() }
        let reservation = try pool.reserve()
        _ = try await pool.run({ 1 }, reservation: reservation)
        let other = try pool.reserve()
        // The used reservation no longer promises a place: the pool is full with `other`.
        await #expect(throws: PoolSaturated()) { try await pool.run({ 2 }, reservation: reservation) }
        other.release()
    }
}
