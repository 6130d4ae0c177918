import Foundation
import GRDB
import SealboxCore
import SealboxCrypto
import Testing

/// Deletion leaves no byte of a case in the database file, its WAL or a journal, even
/// while readers are busy (docs/PROTOCOL.md §10.1).
@Suite struct DeletionPurgeTests {
    func files(_ dir: URL) throws -> [(String, Data)] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("s.sqlite") }.map {
            ($0, try Data(contentsOf: dir.appendingPathComponent($0)))
        }
    }

    @Test func deletingUnderConcurrentReads_leavesNoByteOfTheCaseOnDisk() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path, codeCost: testCost)
        let marker = Random.bytes(2000)
        let hash = Random.bytes(32)
        let victim = NewCase(reference: .generate(), lookupHash: hash, cost: testCost,
                             reporterKey: BoxSecretKey.generate().publicKey, day: Day("2026-11-24")!,
                             itemID: .generate(), envelope: marker, blobs: [])
        try await db.insert(victim)
        for _ in 0..<20 {
            try await db.insert(NewCase(reference: .generate(), lookupHash: Random.bytes(32), cost: testCost,
                                        reporterKey: BoxSecretKey.generate().publicKey, day: Day("2026-11-24")!,
                                        itemID: .generate(), envelope: Random.bytes(1500), blobs: []))
        }
        // The envelope is stored wrapped with the case's storage key (PROTOCOL §10.4): its own
        // bytes are never on disk, the wrapped ones are.
        let stored = try await DatabaseQueue(path: dir.appendingPathComponent("s.sqlite").path).read { db in
            try [UInt8](Data.fetchOne(db, sql: "SELECT envelope FROM items WHERE id = ?", arguments: [victim.itemID.text])!)
        }
        #expect(stored.count == marker.count + StorageWrap.itemOverhead)
        #expect(try !files(dir).contains { $0.1.range(of: Data(marker.prefix(64))) != nil })
        let key = try #require(try db.keys.key(for: victim.reference)).withUnsafeBytes { Data($0) }
        #expect(try Data(contentsOf: dir.appendingPathComponent("keystore.sqlite")).range(of: key) != nil
                || (try? Data(contentsOf: dir.appendingPathComponent("keystore.sqlite-wal")))?.range(of: key) != nil)
        // A record of 2000 bytes lies partly in its b-tree cell and partly in an overflow
        // page (WITHOUT ROWID tables, PROTOCOL §10): its head and its tail are both on disk.
        #expect(try files(dir).contains { $0.1.range(of: Data(stored.prefix(64))) != nil })
        #expect(try files(dir).contains { $0.1.range(of: Data(stored.suffix(64))) != nil })
        let reading = Task {
            var reads = 0
            while !Task.isCancelled {
                do {
                    _ = try await db.items(after: nil, limit: 100)
                    _ = try await db.caseRecords()
                } catch is CancellationError {
                    break
                }
                reads += 1
            }
            return reads
        }
        try await Task.sleep(for: .milliseconds(20))
        try await db.deleteCase(victim.reference, day: Day("2026-11-25")!, staffKeyID: staffKeyA)
        reading.cancel()
        let reads = try await reading.value
        #expect(reads > 0)
        #expect(try await db.pendingPurges() == 0)
        for (name, bytes) in try files(dir) {
            #expect(bytes.range(of: Data(marker.prefix(64))) == nil, "envelope bytes left in \(name)")
            #expect(bytes.range(of: Data(marker.suffix(64))) == nil, "envelope bytes left in \(name)")
            #expect(bytes.range(of: Data(stored.prefix(64))) == nil, "stored bytes left in \(name)")
            #expect(bytes.range(of: Data(stored.suffix(64))) == nil, "stored bytes left in \(name)")
            #expect(bytes.range(of: Data(hash)) == nil, "lookup hash left in \(name)")
        }
        // The case's storage key is destroyed with it, in the key store's file and its WAL.
        #expect(try db.keys.key(for: victim.reference) == nil)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasPrefix("keystore.sqlite") {
            #expect(try Data(contentsOf: dir.appendingPathComponent(name)).range(of: key) == nil, "storage key left in \(name)")
        }
    }

    @Test func purgeDeleted_withNothingPending_completes() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        #expect(await db.purgeDeleted(patience: .milliseconds(100)))
        #expect(try await db.pendingPurges() == 0)
    }
}
