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

    @Test func aTenMinuteGlobalBudget_limitsEveryoneUntilItsWindowEnds() {
        let clock = FakeClock()
        let limiter = AttemptLimiter(perClient: 2, global: 3, globalWindow: 600, clock: { clock.now.withLock { $0 } })
        for i in 0..<3 { #expect(limiter.attempt(from: "203.0.113.\(i)") == .allowed) }
        guard case .limited(let retry) = limiter.attempt(from: "203.0.113.9") else {
            Issue.record("expected the global limit")
            return
        }
        #expect(retry > 60 && retry <= 600)
        clock.advance(600)
        #expect(limiter.attempt(from: "203.0.113.9") == .allowed)
    }

    @Test func withoutAPerClientLimit_oneAddressIsBoundOnlyByTheGlobalBudget() {
        let clock = FakeClock()
        let limiter = AttemptLimiter(perClient: nil, global: 50, globalWindow: 60, clock: { clock.now.withLock { $0 } })
        for _ in 0..<50 { #expect(limiter.attempt(from: "127.0.0.1") == .allowed) }
        #expect(limiter.attempt(from: "127.0.0.1") != .allowed)
        #expect(limiter.attempt(from: "127.0.0.2") != .allowed)
    }
}
