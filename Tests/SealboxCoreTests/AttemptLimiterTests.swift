import Foundation
import SealboxCore
import Synchronization
import Testing

@Suite struct AttemptLimiterTests {
    final class FakeClock: Sendable {
        let now = Mutex<Int64>(1_800_000_000)
        func advance(_ seconds: Int64) { now.withLock { $0 += seconds } }
    }

    @Test func aClientOverItsBudget_isLimitedUntilTheWindowEnds_othersAreNot() {
        let clock = FakeClock()
        let limiter = AttemptLimiter(perClient: 3, globalPerMinute: 1000, clock: { clock.now.withLock { $0 } })
        for _ in 0..<3 { #expect(limiter.attempt(from: "192.0.2.1") == .allowed) }
        guard case .limited(let retry) = limiter.attempt(from: "192.0.2.1") else {
            Issue.record("expected a limit")
            return
        }
        #expect(retry > 0 && retry <= 600)
        #expect(limiter.attempt(from: "192.0.2.2") == .allowed)
        clock.advance(600)
        #expect(limiter.attempt(from: "192.0.2.1") == .allowed)
    }

    @Test func theGlobalBudget_limitsEveryoneForTheRestOfTheMinute() {
        let clock = FakeClock()
        let limiter = AttemptLimiter(perClient: 100, globalPerMinute: 5, clock: { clock.now.withLock { $0 } })
        for i in 0..<5 { #expect(limiter.attempt(from: "198.51.100.\(i)") == .allowed) }
        #expect(limiter.attempt(from: "198.51.100.77") != .allowed)
        clock.advance(60)
        #expect(limiter.attempt(from: "198.51.100.77") == .allowed)
    }
}
