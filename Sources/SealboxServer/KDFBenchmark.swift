// Measures the bare rate of reporter-code derivations (Argon2id at the configured cost,
// on the configured number of pool workers): the ceiling the benchmark compares
// submissions per second against.
import Foundation
import SealboxCore
import SealboxCrypto

public enum KDFBenchmark {
    /// Derives codes on `workers` threads for about `seconds`; returns derivations per second.
    public static func run(cost: KDFCost, workers: Int, seconds: Double) async throws -> (count: Int, elapsed: Double, rate: Double) {
        let pool = BlockingPool(workers: workers, queueLimit: workers)
        defer { pool.shutdown() }
        let pepper = Pepper.generate()
        let start = Date()
        let deadline = start.addingTimeInterval(seconds)
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var done = 0
                    while Date() < deadline {
                        let code = ReporterCode.generate()
                        _ = try await pool.run { try CodeDerivation.derive(code: code, pepper: pepper, cost: cost) }
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = Date().timeIntervalSince(start)
        return (count, elapsed, Double(count) / elapsed)
    }
}
