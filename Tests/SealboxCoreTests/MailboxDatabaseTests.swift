import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct MailboxDatabaseTests {
    func newCase(day: Day = Day("2026-11-24")!, blobs: [StagedBlob] = [], reference: CaseReference = .generate()) -> NewCase {
        NewCase(
            reference: reference, lookupHash: Random.bytes(32), cost: testCost, reporterKey: BoxSecretKey.generate().publicKey,
            day: day, itemID: .generate(), envelope: Random.bytes(1200), blobs: blobs)
    }

    @Test func opening_setsWALFullSynchronousAndSecureDelete() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        #expect(try db.pragma("journal_mode") == "wal")
        #expect(try db.pragma("synchronous") == "2")  // FULL
        #expect(try db.pragma("secure_delete") == "1")
        #expect(try db.pragma("foreign_keys") == "1")
    }

    @Test func insertedItems_areListedByDayAndIDAfterACursor() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        let cases = (0..<5).map { _ in newCase() }
        for c in cases { try await db.insert(c) }
        let sorted = cases.sorted { $0.itemID.text < $1.itemID.text }
        let all = try await db.items(after: nil, limit: 100)
        #expect(all.map(\.id) == sorted.map(\.itemID))
        #expect(all[0].envelope == sorted[0].envelope)
        #expect(all[0].caseReference == sorted[0].reference)
        let rest = try await db.items(after: sorted[1].itemID, limit: 2)
        #expect(rest.map(\.id) == [sorted[2].itemID, sorted[3].itemID])
        #expect(try await db.items(after: sorted[4].itemID, limit: 10).isEmpty)
    }

    @Test func unknownCursor_isRefused() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        await #expect(throws: StorageError.unknownCursor) { try await db.items(after: .generate(), limit: 10) }
    }

    @Test func duplicateReference_isACollisionAndStoresNothing() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        let first = newCase()
        try await db.insert(first)
        await #expect(throws: StorageError.collision) { try await db.insert(newCase(reference: first.reference)) }
        let counts = try await db.counts()
        #expect(counts.cases == 1 && counts.items == 1)
    }

    @Test func blobs_areStoredWithTheirItem() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        let file = dir.appendingPathComponent("blob")
        let bytes = Random.bytes(70_000)
        try Data(bytes).write(to: file)
        let id = AttachmentID.generate()
        let c = newCase(blobs: [StagedBlob(id: id, file: file, size: bytes.count)])
        try await db.insert(c)
        #expect(try await db.blob(id: id) == bytes)
        let items = try await db.items(after: nil, limit: 1)
        #expect(items[0].attachments == [StoredAttachment(id: id, size: bytes.count)])
        #expect(try await db.blob(id: .generate()) == nil)
    }

    @Test func aMissingBlobFile_rollsBackTheWholeCase() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        let missing = StagedBlob(id: .generate(), file: dir.appendingPathComponent("gone"), size: 10)
        await #expect(throws: (any Error).self) { try await db.insert(newCase(blobs: [missing])) }
        let counts = try await db.counts()
        #expect(counts.cases == 0 && counts.items == 0 && counts.attachments == 0)
    }
}
