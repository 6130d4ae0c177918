import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct BackupTests {
    @Test func aBackup_isAPrivateCopyThatOpensWithEveryCase() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let source = dir.appendingPathComponent("s.sqlite").path
        let db = try MailboxDatabase(path: source, codeCost: testCost)
        for _ in 0..<3 {
            try await db.insert(NewCase(reference: .generate(), lookupHash: Random.bytes(32), cost: testCost,
                                        reporterKey: BoxSecretKey.generate().publicKey, day: Day("2026-11-24")!,
                                        itemID: .generate(), envelope: Random.bytes(500), blobs: []))
        }
        let target = dir.appendingPathComponent("copy.sqlite").path
        let summary = try MailboxDatabase.backup(databaseAt: source, to: target)
        #expect(summary.cases == 3)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        let copy = try MailboxDatabase(path: target)
        #expect(try await copy.counts().cases == 3)
        #expect(try copy.pragma("integrity_check") == "ok")
    }

    @Test func aBackup_neverOverwritesAFile() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let source = dir.appendingPathComponent("s.sqlite").path
        _ = try MailboxDatabase(path: source)
        let target = dir.appendingPathComponent("exists")
        try Data("keep me".utf8).write(to: target)
        #expect(throws: BackupError.self) { try MailboxDatabase.backup(databaseAt: source, to: target.path) }
        #expect(try Data(contentsOf: target) == Data("keep me".utf8))
    }

    @Test func aBackupOfAMissingDatabase_isRefusedAndCreatesNothing() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let missing = dir.appendingPathComponent("none.sqlite").path
        #expect(throws: BackupError.noDatabase(missing)) {
            try MailboxDatabase.backup(databaseAt: missing, to: dir.appendingPathComponent("b").path)
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("b").path))
    }
}
