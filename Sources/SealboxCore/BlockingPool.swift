// A fixed set of threads for blocking, memory-hungry work (Argon2id). At most `workers`
// jobs run at once and at most `queueLimit` wait; beyond that a job is refused at once,
// so that a burst of submissions cannot exhaust memory or build an unbounded queue.
// Background work (deriving codes ahead, CodePool) waits in a queue of its own that a
// worker takes from only when no job is waiting, and is dropped at shutdown.
import Foundation
import Synchronization

/// Thrown when the pool's queue is full. Callers answer 503 with Retry-After.
public struct PoolSaturated: Error, Sendable, Equatable {
    public init() {}
}

/// A bounded pool of dedicated threads, off Swift's cooperative pool.
public final class BlockingPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    /// When each waiting job was queued (monotonic nanoseconds), in the order of `jobs`.
    private var queuedAt: [UInt64] = []
    private var waited: (jobs: Int, nanoseconds: UInt64) = (0, 0)
    private var background: [@Sendable () -> Void] = []
    private var running = 0
    /// Places promised to submissions whose body is still being read (`reserve()`).
    private var reserved = 0
    private var stopped = false
    /// Moving average of how long a job runs, in seconds (for `retryAfter`).
    private var meanJobSeconds = 0.0
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

    /// Jobs waiting plus jobs running plus places reserved.
    public var load: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count + running + reserved
    }

    /// Whole seconds after which a refused client may expect a free place: the work ahead
    /// of it (jobs waiting, running and promised) divided among the workers, at the
    /// average time a job has taken so far; between 1 and `limit`. A reporter who waits
    /// this long comes back as the queue drains instead of after a fixed pause.
    public func retryAfter(limit: Int = 10) -> Int {
        condition.lock()
        let ahead = jobs.count + running + reserved
        let mean = meanJobSeconds
        condition.unlock()
        let estimate = (Double(ahead) * mean / Double(workers)).rounded(.up)
        guard estimate.isFinite, estimate >= 1 else { return 1 }
        return estimate >= Double(limit) ? max(1, limit) : Int(estimate)
    }

    /// Jobs waiting for a worker (not running, not reserved), for monitoring.
    public var queued: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count
    }

    /// How many jobs have left the queue for a worker, and how long they waited in all.
    public var waitTotals: (jobs: Int, seconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        return (waited.jobs, Double(waited.nanoseconds) / 1e9)
    }

    /// Promises a place to a job that will come later (a submission whose upload is
    /// still to be read), so that a busy pool refuses before the upload, not after it.
    /// Throws `PoolSaturated` at once when every place is taken. The place is given back
    /// when the reservation is used by `run(_:reservation:)`, released, or dropped.
    public func reserve() throws(PoolSaturated) -> PoolReservation {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, jobs.count + running + reserved < workers + queueLimit else { throw PoolSaturated() }
        reserved += 1
        return PoolReservation(pool: self)
    }

    fileprivate func giveBack() {
        condition.lock()
        reserved -= 1
        condition.unlock()
    }

    /// Runs `work` on a pool thread; throws `PoolSaturated` at once when the queue is full.
    /// With a reservation the job takes the reserved place and is never refused.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T,
                                 reservation: PoolReservation? = nil) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            condition.lock()
            defer { condition.unlock() }
            let promised = reservation?.take(from: self) == true
            if promised { reserved -= 1 }
            guard !stopped, promised || jobs.count + running + reserved < workers + queueLimit else {
                continuation.resume(throwing: PoolSaturated())
                return
            }
            jobs.append {
                continuation.resume(with: Result { try work() })
            }
            queuedAt.append(DispatchTime.now().uptimeNanoseconds)
            condition.signal()
        }
    }

    /// Queues `work` to run when a worker has no job waiting; it never counts against
    /// `load` and is dropped, not run, once the pool is shut down.
    public func runInBackground(_ work: @escaping @Sendable () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        background.append(work)
        condition.signal()
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
            while jobs.isEmpty && background.isEmpty && !stopped { condition.wait() }
            if stopped { background.removeAll() }
            if jobs.isEmpty && stopped {
                condition.unlock()
                return
            }
            guard !jobs.isEmpty else {
                let job = background.removeFirst()
                condition.unlock()
                job()
                continue
            }
            let job = jobs.removeFirst()
            let now = DispatchTime.now().uptimeNanoseconds
            let since = queuedAt.removeFirst()
            waited = (waited.jobs &+ 1, waited.nanoseconds &+ (now >= since ? now - since : 0))
            running += 1
            condition.unlock()
            let started = ContinuousClock.now
            job()
            let seconds = Self.seconds(ContinuousClock.now - started)
            condition.lock()
            running -= 1
            meanJobSeconds = meanJobSeconds == 0 ? seconds : meanJobSeconds * 0.8 + seconds * 0.2
            condition.unlock()
        }
    }
}

extension BlockingPool {
    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }
}

/// A place in a `BlockingPool` held for a job that has not been submitted yet. Used at
/// most once; released when it goes out of use without being used.
public final class PoolReservation: Sendable {
    private let pool: BlockingPool
    private let open = Mutex(true)

    fileprivate init(pool: BlockingPool) {
        self.pool = pool
    }

    /// Marks the reservation used by `run` (which adjusts the count under its own lock).
    fileprivate func take(from pool: BlockingPool) -> Bool {
        pool === self.pool && open.withLock { was in defer { was = false }; return was }
    }

    /// Gives the place back without using it (e.g. the submission was refused).
    public func release() {
        if open.withLock({ was in defer { was = false }; return was }) { pool.giveBack() }
    }

    deinit { release() }
}
