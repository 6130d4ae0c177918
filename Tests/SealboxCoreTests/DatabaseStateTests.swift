import Foundation
import GRDB
import SealboxCore
import SealboxCrypto
import Testing

/// The pepper check value (v6-pepper-check), the refusal of a newer schema, and the
/// read-only look `check-config` takes.
@Suite struct DatabaseStateTests {
    func withStorage(_ body: (URL, String, String) async throws -> Void) async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        try await body(dir, dir.appendingPathComponent("db.sqlite").path, dir.appendingPathComponent("pepper").path)
    }

    func insertCase(_ db: MailboxDatabase) async throws {
        try await db.insert(NewCase(reference: .generate(), lookupHash: Random.bytes(32), cost: testCost,
                                    reporterKey: BoxSecretKey.generate().publicKey, day: Day("2026-11-24")!,
                                    itemID: .generate(), envelope: Random.bytes(500), blobs: []))
    }

    @Test func theCheckValue_isTheKeyedHashOfTheLabel_andDiffersPerPepper() {
        let a = Pepper.generate(), b = Pepper.generate()
        #expect(PepperCheck.value(of: a).count == 32)
        #expect(PepperCheck.value(of: a) == Hash.generic(32, Array("sealbox/v1/pepper-check".utf8), key: a.secret))
        #expect(PepperCheck.value(of: a) != PepperCheck.value(of: b))
    }

    @Test func aNewDatabase_createsThePepper_andRecordsItsCheckValue() async throws {
        try await withStorage { _, path, pepperPath in
            let db = try MailboxDatabase(path: path)
            let pepper = try db.pepper(fromFile: pepperPath)
            let state = try #require(try MailboxDatabase.inspect(path: path))
            #expect(state.pepperCheck == PepperCheck.value(of: pepper))
            #expect(state.pendingMigrations.isEmpty && state.unknownMigrations.isEmpty)
            // The same file again is accepted.
            _ = try db.pepper(fromFile: pepperPath)
        }
    }

    @Test func aMissingPepper_besideCases_isRefused_andNoneIsCreated() async throws {
        try await withStorage { _, path, pepperPath in
            let db = try MailboxDatabase(path: path, codeCost: testCost)
            _ = try db.pepper(fromFile: pepperPath)
            try await insertCase(db)
            try FileManager.default.removeItem(atPath: pepperPath)
            #expect(throws: DatabaseStateError.pepperMissing(pepperFile: pepperPath, cases: 1)) {
                _ = try db.pepper(fromFile: pepperPath)
            }
            #expect(!FileManager.default.fileExists(atPath: pepperPath))
        }
    }

    @Test func anotherPepper_isRefused_evenWithoutCases() async throws {
        try await withStorage { dir, path, pepperPath in
            let db = try MailboxDatabase(path: path)
            _ = try db.pepper(fromFile: pepperPath)
            let other = dir.appendingPathComponent("other").path
            _ = try PepperFile.loadOrCreate(path: other)
            #expect(throws: DatabaseStateError.pepperMismatch(pepperFile: other)) { _ = try db.pepper(fromFile: other) }
        }
    }

    @Test func aMissingPepper_ofADatabaseWithoutCases_isReplaced_andTheNewOneRecorded() async throws {
        try await withStorage { _, path, pepperPath in
            let db = try MailboxDatabase(path: path)
            let old = try db.pepper(fromFile: pepperPath)
            try FileManager.default.removeItem(atPath: pepperPath)
            let new = try db.pepper(fromFile: pepperPath)
            #expect(PepperCheck.value(of: new) != PepperCheck.value(of: old))
            #expect(try MailboxDatabase.inspect(path: path)?.pepperCheck == PepperCheck.value(of: new))
        }
    }

    @Test func aDatabaseANewerReleaseMigrated_isRefused_beforeAnythingChanges() async throws {
        try await withStorage { _, path, _ in
            _ = try MailboxDatabase(path: path)
            let queue = try DatabaseQueue(path: path)
            try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
            try queue.close()
            #expect(throws: DatabaseStateError.self) { _ = try MailboxDatabase(path: path) }
            do {
                _ = try MailboxDatabase(path: path)
            } catch {
                #expect("\(error)".contains("written by a newer Sealbox") && "\(error)".contains("v99-future"))
            }
            #expect(try MailboxDatabase.inspect(path: path)?.unknownMigrations == ["v99-future"])
        }
    }

    @Test func inspect_ofADatabaseBeforeV6_namesThePendingMigration_andChangesNothing() async throws {
        try await withStorage { _, path, pepperPath in
            let db = try MailboxDatabase(path: path, codeCost: testCost)
            _ = try db.pepper(fromFile: pepperPath)
            try await insertCase(db)
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "DROP TABLE meta")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v6-pepper-check'")
            }
            let state = try #require(try MailboxDatabase.inspect(path: path))
            #expect(state.cases == 1 && state.pepperCheck == nil && state.pendingMigrations == ["v6-pepper-check"])
            #expect(try await queue.read { try $0.tableExists("meta") } == false)
            try queue.close()
            #expect(try MailboxDatabase.inspect(path: path + ".none") == nil)
            #expect(!FileManager.default.fileExists(atPath: path + ".none"))
        }
    }

    @Test func anUpgradedDatabase_recordsTheCheckValueOfItsPepper() async throws {
        try await withStorage { _, path, pepperPath in
            let pepper = try PepperFile.loadOrCreate(path: pepperPath)
            do {
                let db = try MailboxDatabase(path: path, codeCost: testCost)
                try await insertCase(db)
            }
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "DROP TABLE meta")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v6-pepper-check'")
            }
            try queue.close()
            let db = try MailboxDatabase(path: path)
            _ = try db.pepper(fromFile: pepperPath)
            #expect(try MailboxDatabase.inspect(path: path)?.pepperCheck == PepperCheck.value(of: pepper))
        }
    }

    @Test func aBackup_recordsItsDay_andTheReadinessProbeWritesNothing() async throws {
        try await withStorage { dir, path, _ in
            let db = try MailboxDatabase(path: path)
            #expect(try await db.lastBackupDay() == nil)
            _ = try MailboxDatabase.backup(databaseAt: path, to: dir.appendingPathComponent("b.sqlite").path)
            #expect(try await db.lastBackupDay() == Day.today())
            #expect(await db.acceptsWrites())
            let queue = try DatabaseQueue(path: path)
            #expect(try await queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM meta WHERE key = 'ready_probe'") } == 0)
            try queue.close()
        }
    }
}
