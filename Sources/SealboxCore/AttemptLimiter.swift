// Limits attempts to open a case with a code without storing who made them: a client is
// counted under a keyed hash of its address, the key lives only in memory and is
// replaced with every 10-minute window (which also forgets every count). A global
// budget per window (a minute for code attempts, 10 minutes for submissions) caps the
// work all clients together can cause. A per-client limit of nil counts no client
// (behind tor every client has the same address, so only the global budget can bind).
import Foundation
import SealboxCrypto
import Synchronization

/// The answer of the limiter.
public enum AttemptDecision: Equatable, Sendable {
    case allowed
    /// Over a limit; try again after this many seconds.
    case limited(retryAfter: Int)
}

public final class AttemptLimiter: Sendable {
    struct State {
        var key: SecureBytes
        var windowStart: Int64
        var perClient: [[UInt8]: Int] = [:]
        var globalWindow: Int64
        var globalCount = 0
    }

    /// Attempts one client may make per 10-minute window; nil: clients are not told apart.
    public let perClientLimit: Int?
    public let globalLimit: Int
    /// Seconds of the global budget's window.
    public let globalWindow: Int64
    public static let window: Int64 = 600
    private let state: Mutex<State>
    private let clock: @Sendable () -> Int64

    public init(perClient: Int?, global: Int, globalWindow: Int64 = 60,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        precondition(globalWindow > 0)
        perClientLimit = perClient
        globalLimit = global
        self.globalWindow = globalWindow
        self.clock = clock
        let now = clock()
        state = Mutex(State(key: .random(count: 32), windowStart: now - now % Self.window, globalWindow: now / globalWindow))
    }

    /// Code attempts: `perClient` per 10 minutes, `globalPerMinute` for all clients per minute.
    public convenience init(perClient: Int, globalPerMinute: Int,
                            clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.init(perClient: perClient, global: globalPerMinute, globalWindow: 60, clock: clock)
    }

    /// Counts one attempt by the client at `address` (nil when unknown) and says whether it may proceed.
    public func attempt(from address: String?) -> AttemptDecision {
        let now = clock()
        return state.withLock { s in
            let windowStart = now - now % Self.window
            if windowStart != s.windowStart {
                s = State(key: .random(count: 32), windowStart: windowStart, globalWindow: now / globalWindow)
            }
            if now / globalWindow != s.globalWindow {
                s.globalWindow = now / globalWindow
                s.globalCount = 0
            }
            guard s.globalCount < globalLimit else {
                return .limited(retryAfter: Int(globalWindow - now % globalWindow))
            }
            guard let perClientLimit else {
                s.globalCount += 1
                return .allowed
            }
            let tag = Hash.generic(16, Array((address ?? "unknown").utf8), key: s.key)
            let used = s.perClient[tag, default: 0]
            guard used < perClientLimit else {
                return .limited(retryAfter: Int(s.windowStart + Self.window - now))
            }
            s.perClient[tag] = used + 1
            s.globalCount += 1
            return .allowed
        }
    }
}
