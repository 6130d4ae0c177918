// Rule: codes are derived ahead only into one locked arena (crypto.code_pool), never to
// disk, and wiped when taken and at shutdown. Filling runs on the key-derivation pool's
// threads as background work, which a worker picks up only when no code check or
// submission is waiting (BlockingPool.runInBackground). A submission that finds a ready
// code skips its Argon2id wait; one that finds none derives as before. SECURITY.md
// ("Codes derived ahead") says what a memory snapshot of a running daemon reveals.
import Foundation
import SealboxCrypto
import Synchronization

/// A fresh code with the secrets derived from it and the cost they were derived with.
public struct PreparedCode: Sendable {
    public let code: ReporterCode
    public let lookupHash: [UInt8]
    public let reporterKey: BoxSecretKey
    /// The reporter's signing key (PROTOCOL §6.1), whose public key is sealed into the report.
    public let reporterSigningKey: SigningSecretKey
    public let cost: KDFCost

    public init(code: ReporterCode, lookupHash: [UInt8], reporterKey: BoxSecretKey, reporterSigningKey: SigningSecretKey,
                cost: KDFCost) {
        self.code = code
        self.lookupHash = lookupHash
        self.reporterKey = reporterKey
        self.reporterSigningKey = reporterSigningKey
        self.cost = cost
    }

    /// Draws a code and derives its secrets: one Argon2id run, to be called on the pool.
    public static func derive(pepper: Pepper, cost: KDFCost) throws -> PreparedCode {
        let code = ReporterCode.generate()
        let secrets = try CodeDerivation.derive(code: code, pepper: pepper, cost: cost)
        return PreparedCode(code: code, lookupHash: secrets.lookupHash, reporterKey: secrets.reporterKey,
                            reporterSigningKey: secrets.reporterSigningKey, cost: cost)
    }
}

/// Why the code pool cannot be set up.
public struct CodePoolUnlocked: Error, CustomStringConvertible, Sendable {
    public let bytes: Int
    public var description: String {
        "crypto.code_pool needs \(bytes) bytes of locked memory, which the system refused (raise LimitMEMLOCK / RLIMIT_MEMLOCK, or lower crypto.code_pool)"
    }
}

/// Up to `capacity` codes derived ahead, held in one locked, wiped arena.
public final class CodePool: Sendable {
    /// Digits (16), lookup hash (32), reporter secret key (32), reporter signing seed (32) per slot.
    static let slotSize = 16 + 32 + 32 + 32
    private struct State {
        var ready: [Int] = []
        var free: [Int]
        var deriving = 0
        var stopped = false
    }

    public let capacity: Int
    /// The cost every ready code was derived with.
    public let cost: KDFCost
    private let pepper: Pepper
    private let pool: BlockingPool
    private let arena: SecureBytes
    private let state: Mutex<State>

    /// Allocates and locks the arena; call `refill()` to start deriving.
    public init(capacity: Int, pool: BlockingPool, pepper: Pepper, cost: KDFCost) throws(CodePoolUnlocked) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.pool = pool
        self.pepper = pepper
        self.cost = cost
        arena = SecureBytes(guardedCount: capacity * Self.slotSize)
        guard arena.lock() else { throw CodePoolUnlocked(bytes: capacity * Self.slotSize) }
        state = Mutex(State(free: Array((0..<capacity).reversed())))
    }

    /// Codes ready to be taken now.
    public var readyCount: Int { state.withLock { $0.ready.count } }

    /// Takes a ready code (and wipes its slot), or nil when none is ready; starts refilling.
    public func take() -> PreparedCode? {
        let taken: (digits: SecureBytes, hash: [UInt8], secret: SecureBytes, seed: SecureBytes)? = state.withLock { s in
            guard !s.stopped, let slot = s.ready.popLast() else { return nil }
            let digits = SecureBytes(count: 16), secret = SecureBytes(count: 32), seed = SecureBytes(count: 32)
            var hash = [UInt8](repeating: 0, count: 32)
            arena.withUnsafeMutableBytes { a in
                let base = slot * Self.slotSize
                digits.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: a[base..<base + 16])) }
                hash.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: a[base + 16..<base + 48])) }
                secret.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: a[base + 48..<base + 80])) }
                seed.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: a[base + 80..<base + 112])) }
                SecureMemory.wipe(UnsafeMutableRawBufferPointer(rebasing: a[base..<base + Self.slotSize]))
            }
            s.free.append(slot)
            return (digits, hash, secret, seed)
        }
        refill()
        guard let taken, let code = try? ReporterCode(checking: taken.digits),
              let key = try? BoxSecretKey(secretBytes: taken.secret),
              let signing = try? SigningSecretKey(seed: taken.seed) else { return nil }
        return PreparedCode(code: code, lookupHash: taken.hash, reporterKey: key, reporterSigningKey: signing, cost: cost)
    }

    /// Starts background derivations until the pool is full. With more than one worker, one
    /// is always left to code checks and submissions, so that they never wait for a
    /// derivation ahead to finish.
    public func refill() {
        let start: Int = state.withLock { s in
            guard !s.stopped else { return 0 }
            let wanted = min(s.free.count - s.deriving, max(1, pool.workers - 1) - s.deriving)
            guard wanted > 0 else { return 0 }
            s.deriving += wanted
            return wanted
        }
        for _ in 0..<start {
            pool.runInBackground { [self] in
                let prepared = try? PreparedCode.derive(pepper: pepper, cost: cost)
                store(prepared)
                refill()
            }
        }
    }

    private func store(_ prepared: PreparedCode?) {
        state.withLock { s in
            s.deriving -= 1
            guard let prepared, !s.stopped, let slot = s.free.popLast() else { return }
            arena.withUnsafeMutableBytes { a in
                let base = slot * Self.slotSize
                prepared.code.digits.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: a[base..<base + 16]).copyMemory(from: $0) }
                prepared.lookupHash.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: a[base + 16..<base + 48]).copyMemory(from: $0) }
                prepared.reporterKey.secret.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: a[base + 48..<base + 80]).copyMemory(from: $0) }
                prepared.reporterSigningKey.seed.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: a[base + 80..<base + 112]).copyMemory(from: $0) }
            }
            s.ready.append(slot)
        }
    }

    /// Stops deriving and wipes every ready code (at shutdown).
    public func stop() {
        state.withLock { s in
            s.stopped = true
            s.free.append(contentsOf: s.ready)
            s.ready.removeAll()
            arena.withUnsafeMutableBytes { SecureMemory.wipe($0) }
        }
    }
}
