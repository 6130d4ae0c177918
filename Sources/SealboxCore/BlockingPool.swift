// A fixed set of threads for blocking, memory-hungry work (Argon2id). At most `workers`
// jobs run at once and at most `queueLimit` wait; beyond that a job is refused at once,
// so that a burst of submissions cannot exhaust memory or build an unbounded queue.
import Foundation

/// Thrown when the pool's queue is full. Callers answer 503 with Retry-After.
public struct PoolSaturated: Error, Sendable, Equatable {
    public init() {}
}

/// A bounded pool of dedicated threads, off Swift's cooperative pool.
public final class BlockingPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var running = 0
    private var stopped = false
    private var threads: [Thread] = []
    public let workers: Int
    public let queueLimit: Int

    public init(workers: Int, queueLimit: Int) {
        precondition(workers > 0 && queueLimit >= 0)
        self.workers = workers
        self.queueLimit = queueLimit
        for index in 0..<workers {
            let thread = Thread { self.loop() }
            thread.name = "sealbox-kdf-\(index)"
            thread.stackSize = 1 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Jobs waiting plus jobs running.
    public var load: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count + running
    }

    /// Runs `work` on a pool thread; throws `PoolSaturated` at once when the queue is full.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            condition.lock()
            defer { condition.unlock() }
            guard !stopped, jobs.count + running < workers + queueLimit else {
                continuation.resume(throwing: PoolSaturated())
                return
            }
            jobs.append {
                continuation.resume(with: Result { try work() })
            }
            condition.signal()
        }
    }

    /// Lets the threads finish the queued jobs and exit.
    public func shutdown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty && stopped {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            running += 1
            condition.unlock()
            job()
            condition.lock()
            running -= 1
            condition.unlock()
        }
    }
}
