// Storage keys in the daemon's storage (docs/PROTOCOL.md §10.4): rows are stored wrapped,
// served unwrapped; a case whose key is gone is gone everywhere, never an error; a missing
// key store beside cases is refused; the migration wraps an older database and a killed
// migration resumes with the keys it committed.
import Foundation
import GRDB
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct StorageKeyTests {
    let dir: URL
    var path: String { dir.appendingPathComponent("sealbox.sqlite").path }
    var keyStorePath: String { dir.appendingPathComponent("keystore.sqlite").path }

    init() throws { dir = try temporaryDirectory() }

    func newCase(blobs: [StagedBlob] = []) -> NewCase {
        NewCase(reference: .generate(), lookupHash: Random.bytes(32), cost: testCost,
                reporterKey: BoxSecretKey.generate().publicKey, day: Day("2026-11-24")!,
                itemID: .generate(), envelope: Random.bytes(900), blobs: blobs)
    }

    func stagedBlob(_ bytes: [UInt8]) throws -> StagedBlob {
        let file = dir.appendingPathComponent(Random.identifier())
        try Data(bytes).write(to: file)
        return StagedBlob(id: .generate(), file: file, size: bytes.count)
    }

    func rawEnvelope(_ id: ItemID) throws -> [UInt8] {
        try DatabaseQueue(path: path).read { db in
            [UInt8](try Data.fetchOne(db, sql: "SELECT envelope FROM items WHERE id = ?", arguments: [id.text])!)
        }
    }

    @Test func itemsAndBlobs_areStoredWrapped_andServedAsSealed() async throws {
        defer { removeDirectory(dir) }
        let blobBytes = Random.bytes(70_000)
        let new = newCase(blobs: [try stagedBlob(blobBytes)])
        let db = try MailboxDatabase(path: path)
        try await db.insert(new)
        let raw = try rawEnvelope(new.itemID)
        #expect(raw != new.envelope && raw.count == new.envelope.count + StorageWrap.itemOverhead)
        #expect(try await db.items(ofCase: new.reference).first?.envelope == new.envelope)
        #expect(try await db.items(after: nil, limit: 10).first?.envelope == new.envelope)
        let item = try #require(try await db.items(ofCase: new.reference).first)
        #expect(item.attachments.first?.size == blobBytes.count)
        #expect(try await db.blob(id: new.blobs[0].id) == blobBytes)
        let file = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(file.range(of: Data(new.envelope.prefix(64))) == nil)
        #expect(file.range(of: Data(blobBytes.prefix(64))) == nil)
        #expect(try db.keys.count() == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: keyStorePath)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func aCaseWithoutItsKey_isGoneEverywhere_andNoError() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let gone = newCase(blobs: [try stagedBlob(Random.bytes(10))])
        let kept = newCase()
        try await db.insert(gone)
        try await db.insert(kept)
        try db.keys.delete([gone.reference])
        #expect(try await db.caseRecord(reference: gone.reference) == nil)
        #expect(try await db.caseRecord(lookupHash: gone.lookupHash) == nil)
        #expect(try await db.caseRecords(lookupHashes: [gone.lookupHash, kept.lookupHash]).map { $0?.reference }
                == [nil, kept.reference])
        #expect(try await db.caseRecords().map(\.reference) == [kept.reference])
        #expect(try await db.items(ofCase: gone.reference).isEmpty)
        #expect(try await db.items(after: nil, limit: 10).map(\.caseReference) == [kept.reference])
        #expect(try await db.blob(id: gone.blobs[0].id) == nil)
        await #expect(throws: CaseError.unknownCase) {
            try await db.appendFollowUp(case: gone.reference, itemID: .generate(), envelope: [1, 2], blobs: [], day: Day("2026-11-25")!)
        }
    }

    @Test func aPageOfTheFeed_isFilledPastTheItemsOfKeylessCases() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let cases = (0..<12).map { _ in newCase() }
        for c in cases { try await db.insert(c) }
        let gone = cases.prefix(8).map(\.reference)
        try db.keys.delete(Array(gone))
        let page = try await db.items(after: nil, limit: 3)
        #expect(page.count == 3)
        #expect(page.allSatisfy { !gone.contains($0.caseReference) })
        let rest = try await db.items(after: page.last?.id, limit: 3)
        #expect(rest.count == 1)
    }

    @Test func deletingACase_destroysItsKey() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let new = newCase()
        try await db.insert(new)
        #expect(try db.keys.key(for: new.reference) != nil)
        try await db.deleteCase(new.reference, day: Day("2026-11-25")!, staffKeyID: staffKeyA)
        #expect(try db.keys.key(for: new.reference) == nil)
        #expect(try db.keys.count() == 0)
    }

    @Test func fourEyesAndRetention_destroyTheKeysOfWhatTheyDelete() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let confirmed = newCase()
        let due = newCase()
        try await db.insert(confirmed)
        try await db.insert(due)
        try await db.requestDeletion(of: confirmed.reference, day: Day("2026-11-25")!, member: staffKeyA, request: [],
                                     confirmDays: 14)
        try await db.confirmDeletion(of: confirmed.reference, day: Day("2026-11-25")!, member: legacyB, rosterInForce: false, request: [],
                                     confirmDays: 14)
        #expect(try db.keys.key(for: confirmed.reference) == nil)
        #expect(try db.keys.key(for: due.reference) != nil)
        let deleted = try await db.deleteDueCases(today: Day("2026-12-30")!, policy: RetentionPolicy(closedDays: 30, inactiveDays: 30))
        #expect(deleted == [due.reference])
        #expect(try db.keys.count() == 0)
        #expect(try await db.pendingPurges() == 0)
    }

    @Test func aKillAfterTheRowsAndBeforeTheKey_isFinishedAtTheNextOpen() async throws {
        defer { removeDirectory(dir) }
        let new = newCase()
        do {
            let db = try MailboxDatabase(path: path)
            try await db.insert(new)
            try db.checkpoint()
        }
        // What a kill right after the deleting transaction leaves: rows gone, purge pending, key still there.
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DELETE FROM cases WHERE ref = ?", arguments: [new.reference.text])
            try db.execute(sql: "INSERT INTO pending_purges (case_ref) VALUES (?)", arguments: [new.reference.text])
        }
        #expect(try KeyStore(path: keyStorePath).key(for: new.reference) != nil)
        let db = try MailboxDatabase(path: path)
        #expect(try db.keys.key(for: new.reference) == nil)
        #expect(try await db.pendingPurges() == 0)
    }

    @Test func aMissingKeyStoreBesideCases_isRefused_andNothingIsCreated() async throws {
        defer { removeDirectory(dir) }
        do {
            let db = try MailboxDatabase(path: path)
            try await db.insert(newCase())
            try db.checkpoint()
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: keyStorePath + suffix) }
        #expect(throws: KeyStoreError.missing(path: keyStorePath, cases: 1)) { _ = try MailboxDatabase(path: path) }
        #expect(!FileManager.default.fileExists(atPath: keyStorePath))
    }

    @Test func aMissingKeyStoreBesideNoCases_isCreated() throws {
        defer { removeDirectory(dir) }
        do { _ = try MailboxDatabase(path: path) }
        try FileManager.default.removeItem(atPath: keyStorePath)
        _ = try MailboxDatabase(path: path)
        #expect(FileManager.default.fileExists(atPath: keyStorePath))
    }

    /// Turns the database back into one from before v12: envelopes and blobs unwrapped, the
    /// migration forgotten. The key store stays, as a migration killed after committing its
    /// keys leaves it (or is removed, as before any migration).
    func unmigrate(keepKeys: Bool) throws -> [CaseReference: Data] {
        let keyStore = try KeyStore(path: keyStorePath)
        let queue = try DatabaseQueue(path: path)
        var keys: [CaseReference: Data] = [:]
        try queue.write { db in
            for row in try Row.fetchAll(db, sql: "SELECT i.id, i.case_ref, i.envelope FROM items i WHERE kind != 'status'") {
                let reference = try CaseReference(parsing: row["case_ref"])
                let key = try #require(try keyStore.key(for: reference))
                keys[reference] = key.withUnsafeBytes { Data($0) }
                let plain = try StorageWrap.unwrapItem([UInt8](row["envelope"] as Data), itemID: row["id"], key: key)
                try db.execute(sql: "UPDATE items SET envelope = ? WHERE id = ?", arguments: [Data(plain), row["id"] as String])
            }
            for row in try Row.fetchAll(db, sql: "SELECT a.id, a.blob, i.case_ref FROM attachments a JOIN items i ON i.id = a.item_id") {
                let key = try #require(try keyStore.key(for: try CaseReference(parsing: row["case_ref"])))
                let plain = try StorageWrap.unwrapBlob([UInt8](row["blob"] as Data), attachmentID: row["id"], key: key)
                try db.execute(sql: "UPDATE attachments SET blob = ? WHERE id = ?", arguments: [Data(plain), row["id"] as String])
            }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v12-storage-keys'")
        }
        try queue.close()
        if !keepKeys {
            try keyStore.checkpoint()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: keyStorePath + suffix) }
        }
        return keys
    }

    @Test("an older database is wrapped at the first start; a killed migration resumes with its keys",
          arguments: [false, true])
    func migration_wrapsEverything(keepKeys: Bool) async throws {
        defer { removeDirectory(dir) }
        let blobBytes = Random.bytes(100_000)
        let cases = [newCase(blobs: [try stagedBlob(blobBytes)]), newCase(), newCase()]
        do {
            let db = try MailboxDatabase(path: path)
            for c in cases { try await db.insert(c) }
            try await db.setStatus(case: cases[1].reference, to: .closed, day: Day("2026-11-25")!, staffKeyID: staffKeyA)
            try db.checkpoint()
        }
        let before = try unmigrate(keepKeys: keepKeys)
        #expect(try rawEnvelope(cases[0].itemID) == cases[0].envelope)
        let db = try MailboxDatabase(path: path)
        #expect(db.keylessCasesAtOpen == 0)
        for c in cases {
            #expect(try rawEnvelope(c.itemID) != c.envelope)
            #expect(try await db.items(ofCase: c.reference).first?.envelope == c.envelope)
            let key = try #require(try db.keys.key(for: c.reference)).withUnsafeBytes { Data($0) }
            #expect((key == before[c.reference]) == keepKeys)
        }
        #expect(try await db.blob(id: cases[0].blobs[0].id) == blobBytes)
        #expect(try await db.items(ofCase: cases[1].reference).count == 2)
    }
}
