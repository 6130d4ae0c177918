import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct BackupRotationTests {
    private func database(in dir: URL) async throws -> String {
        let source = dir.appendingPathComponent("s.sqlite").path
        let db = try MailboxDatabase(path: source, codeCost: testCost)
        try await db.insert(NewCase(reference: .generate(), lookupHash: Random.bytes(32), cost: testCost,
                                    reporterKey: BoxSecretKey.generate().publicKey, day: Day("2026-11-24")!,
                                    itemID: .generate(), envelope: Random.bytes(500), blobs: []))
        return source
    }

    private func names(in dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test func aDailyBackup_isNamedByTheDayPrivateAndKeepsOnlyTheNewest() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let source = try await database(in: dir)
        let backups = dir.appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: false)
        try Data("not ours".utf8).write(to: backups.appendingPathComponent("notes.txt"))
        try Data("not ours".utf8).write(to: backups.appendingPathComponent("sealbox-2026-13-01.sqlite"))
        for day in ["2026-11-20", "2026-11-24", "2026-11-22"] {
            let outcome = try BackupRotation.run(databaseAt: source, intoDirectory: backups.path, keep: 2, day: Day(day)!)
            #expect(outcome.summary?.cases == 1)
        }
        #expect(try names(in: backups) == ["notes.txt", "sealbox-2026-11-22.sqlite", "sealbox-2026-11-24.sqlite",
                                           "sealbox-2026-13-01.sqlite"])
        let mode = try #require(FileManager.default.attributesOfItem(
            atPath: backups.appendingPathComponent("sealbox-2026-11-24.sqlite").path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
    }

    @Test func aSecondRunOnTheSameDay_copiesNothingAndStillRotates() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let source = try await database(in: dir)
        let first = try BackupRotation.run(databaseAt: source, intoDirectory: dir.path, keep: 5, day: Day("2026-11-24")!)
        let content = try Data(contentsOf: URL(fileURLWithPath: first.path))
        _ = try BackupRotation.run(databaseAt: source, intoDirectory: dir.path, keep: 5, day: Day("2026-11-23")!)
        let again = try BackupRotation.run(databaseAt: source, intoDirectory: dir.path, keep: 1, day: Day("2026-11-24")!)
        #expect(again.summary == nil)
        #expect(again.removed == ["sealbox-2026-11-23.sqlite"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: again.path)) == content)
    }

    @Test func aFailedBackup_removesNothing() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        for day in ["2026-11-20", "2026-11-21"] {
            try Data("old".utf8).write(to: dir.appendingPathComponent("sealbox-\(day).sqlite"))
        }
        #expect(throws: BackupError.self) {
            try BackupRotation.run(databaseAt: dir.appendingPathComponent("none.sqlite").path,
                                   intoDirectory: dir.path, keep: 1, day: Day("2026-11-24")!)
        }
        #expect(try names(in: dir) == ["sealbox-2026-11-20.sqlite", "sealbox-2026-11-21.sqlite"])
    }

    @Test func onlyExactBackupNames_carryADay() {
        #expect(BackupRotation.day(inFileName: "sealbox-2026-11-24.sqlite") == Day("2026-11-24"))
        for name in ["sealbox-2026-11-24.sqlite-journal", "sealbox-2026-02-30.sqlite", "xsealbox-2026-11-24.sqlite",
                     "sealbox-2026-11-24.sqlite.bak", "sealbox-26-11-24.sqlite"] {
            #expect(BackupRotation.day(inFileName: name) == nil, "\(name)")
        }
    }

    @Test func keyStoreCopies_goBesideTheDatabaseCopies_andAreRemovedByAgeOnly() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let source = try await database(in: dir)
        let keyStore = dir.appendingPathComponent("keystore.sqlite").path
        let backups = dir.appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: false)
        try Data("not ours".utf8).write(to: backups.appendingPathComponent("sealbox-2026-11-01.keystore.sqlite.bak"))
        var last: BackupRotation.Outcome?
        for day in ["2026-11-20", "2026-11-21", "2026-11-23", "2026-11-24"] {
            last = try BackupRotation.run(databaseAt: source, intoDirectory: backups.path, keep: 30, keyStore: keyStore,
                                          keystoreKeepDays: 3, day: Day(day)!)
            #expect(last?.keysCopied == 1)
        }
        // Kept: the copies of the last 3 days (22, 23, 24); the database copies all stay.
        #expect(last?.removedKeyStores == ["sealbox-2026-11-21.keystore.sqlite"])
        #expect(try names(in: backups) == [
            "sealbox-2026-11-01.keystore.sqlite.bak",
            "sealbox-2026-11-20.sqlite", "sealbox-2026-11-21.sqlite",
            "sealbox-2026-11-23.keystore.sqlite", "sealbox-2026-11-23.sqlite",
            "sealbox-2026-11-24.keystore.sqlite", "sealbox-2026-11-24.sqlite"])
        let mode = try #require(FileManager.default.attributesOfItem(
            atPath: backups.appendingPathComponent("sealbox-2026-11-24.keystore.sqlite").path)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        // A run whose copy fails still removes the key-store copies past the horizon.
        try Data("in the way".utf8).write(to: backups.appendingPathComponent("x"))
        try FileManager.default.createDirectory(at: backups.appendingPathComponent("sealbox-2026-11-27.sqlite"),
                                                withIntermediateDirectories: false)
        #expect(throws: BackupError.self) {
            try BackupRotation.run(databaseAt: source, intoDirectory: backups.path, keep: 30, keyStore: keyStore,
                                   keystoreKeepDays: 3, day: Day("2026-11-27")!)
        }
        #expect(try names(in: backups).filter { $0.hasSuffix(".keystore.sqlite") }.isEmpty)
    }

    @Test func aKeyStoreCopyName_isOnlyThatForm() {
        #expect(BackupRotation.day(inKeyStoreFileName: "sealbox-2026-11-24.keystore.sqlite") == Day("2026-11-24"))
        #expect(BackupRotation.day(inKeyStoreFileName: "sealbox-2026-11-24.sqlite") == nil)
        #expect(BackupRotation.day(inFileName: "sealbox-2026-11-24.keystore.sqlite") == nil)
        #expect(BackupRotation.day(inKeyStoreFileName: "sealbox-2026-13-24.keystore.sqlite") == nil)
    }
}
