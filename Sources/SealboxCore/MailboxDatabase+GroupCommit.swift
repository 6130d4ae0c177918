// Rule: no code is shown before its report is durable, and concurrent submissions share
// one commit and so one fsync (group commit). Each submission queues its case, then asks
// the writer for a turn. The first turn to run takes every queued case (up to
// `batchLimit`), inserts each in a savepoint of its own (a collision refuses that case
// alone), commits once with synchronous=FULL, and only then, still on the writer, gives
// every case of the batch its outcome. A submission whose case went with an earlier batch
// finds its outcome when its own turn comes, without opening a transaction. An error
// other than a collision rolls the whole batch back and every case in it gets the error:
// none is acknowledged, none is stored.
// The storage keys of a batch's cases are committed in the key store before the batch's
// transaction (PROTOCOL §10.4): a case is never stored without its key. A key whose case
// was not stored (a collision, a failed batch) is destroyed again; one left by a crash
// between the two commits belongs to no case and protects nothing.
import Foundation
internal import GRDB
import SealboxCrypto
import Synchronization

/// One submission's case waiting for a commit, and, once committed or refused, its outcome.
final class PendingInsert: Sendable {
    let new: NewCase
    let outcome = Mutex<Result<Void, any Error>?>(nil)

    init(_ new: NewCase) {
        self.new = new
    }

    var settled: Result<Void, any Error>? { outcome.withLock { $0 } }
}

/// The queue of cases waiting for the next group commit.
final class CommitQueue: Sendable {
    /// Cases per transaction at most: bounds the time a batch holds the writer.
    static let batchLimit = 64
    private let waiting = Mutex<[PendingInsert]>([])

    func enqueue(_ pending: PendingInsert) {
        waiting.withLock { $0.append(pending) }
    }

    func takeBatch() -> [PendingInsert] {
        waiting.withLock { queue in
            let batch = Array(queue.prefix(Self.batchLimit))
            queue.removeFirst(batch.count)
            return batch
        }
    }
}

extension MailboxDatabase {
    /// Stores a case, its first item and its blobs, committed (and synced) before this
    /// returns, or nothing. Concurrent calls share one commit.
    public func insert(_ new: NewCase) async throws {
        let mine = PendingInsert(new)
        commits.enqueue(mine)
        while mine.settled == nil {
            try await writer.writeWithoutTransaction { db in
                guard mine.settled == nil else { return }
                Self.commitBatch(db, commits.takeBatch(), keys: keys)
            }
        }
        try mine.settled?.get()
    }

    /// Inserts every case of `batch` in one transaction and settles each one's outcome after the commit.
    static func commitBatch(_ db: Database, _ batch: [PendingInsert], keys store: KeyStore) {
        guard !batch.isEmpty else { return }
        let keys: [CaseReference: StorageKey]
        do {
            keys = try store.createNew(for: batch.map(\.new.reference))
        } catch {
            for pending in batch { pending.outcome.withLock { $0 = .failure(error) } }
            return
        }
        var outcomes: [Result<Void, any Error>] = []
        do {
            try db.inTransaction {
                outcomes = []
                for pending in batch {
                    // No new key: another case (stored or earlier in this batch) has the reference.
                    guard let key = keys[pending.new.reference], !outcomes.indices.contains(where: { i in
                        batch[i].new.reference == pending.new.reference }) else {
                        outcomes.append(.failure(StorageError.collision))
                        continue
                    }
                    do {
                        try db.inSavepoint {
                            try insertCase(db, pending.new, key: key)
                            return .commit
                        }
                        outcomes.append(.success(()))
                    } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                        outcomes.append(.failure(StorageError.collision))
                    }
                }
                return .commit
            }
        } catch {
            outcomes = Array(repeating: .failure(error), count: batch.count)
        }
        // The keys of cases not stored are destroyed again (a reference that collided with
        // a stored case got no new key, so no stored case's key is touched).
        var stored = Set<CaseReference>()
        for (pending, outcome) in zip(batch, outcomes) where (try? outcome.get()) != nil { stored.insert(pending.new.reference) }
        let unused = keys.keys.filter { !stored.contains($0) }
        if !unused.isEmpty { try? store.delete(Array(unused)) }
        for (pending, outcome) in zip(batch, outcomes) {
            pending.outcome.withLock { $0 = outcome }
        }
    }
}
