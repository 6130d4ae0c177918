import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct CodePoolTests {
    @Test func aPool_fillsInTheBackgroundAndHandsOutCodesThatDeriveToTheirSecrets() async throws {
        let pepper = Pepper.generate()
        let pool = BlockingPool(workers: 2, queueLimit: 0)
        defer { pool.shutdown() }
        let codes = try CodePool(capacity: 4, pool: pool, pepper: pepper, cost: testCost)
        codes.refill()
        while codes.readyCount < 4 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(pool.load == 0)
        let prepared = try #require(codes.take())
        #expect(prepared.cost == testCost)
        let secrets = try CodeDerivation.derive(code: prepared.code, pepper: pepper, cost: testCost)
        #expect(secrets.lookupHash == prepared.lookupHash)
        #expect(secrets.reporterKey.publicKey == prepared.reporterKey.publicKey)
        while codes.readyCount < 4 { try await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func aStoppedPool_wipesItsCodesAndHandsOutNone() async throws {
        let pool = BlockingPool(workers: 1, queueLimit: 0)
        defer { pool.shutdown() }
        let codes = try CodePool(capacity: 2, pool: pool, pepper: .generate(), cost: testCost)
        codes.refill()
        while codes.readyCount < 2 { try await Task.sleep(for: .milliseconds(5)) }
        codes.stop()
        #expect(codes.readyCount == 0)
        #expect(codes.take() == nil)
    }

    @Test func aSubmission_takesAReadyCodeEvenWhenThePoolIsSaturated() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        let pepper = Pepper.generate()
        let pool = BlockingPool(workers: 1, queueLimit: 0)
        defer { pool.shutdown() }
        let codes = try CodePool(capacity: 1, pool: pool, pepper: pepper, cost: testCost)
        codes.refill()
        while codes.readyCount < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let intake = Intake(database: db, pool: pool, settings: IntakeSettings(
            teamKey: BoxSecretKey.generate().publicKey, pepper: pepper, cost: testCost, limits: SubmissionLimits()),
            codes: codes)
        let gate = Gate()
        async let blocker: Void = pool.run { gate.wait() }
        while pool.load < 1 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(!intake.isSaturated)
        let receipt = try await intake.submit(ReportDraft(text: "x"), attachments: [])
        #expect(intake.isSaturated)
        gate.open()
        try await blocker
        let secrets = try CodeDerivation.derive(code: receipt.code, pepper: pepper, cost: testCost)
        #expect(try await db.caseRecord(lookupHash: secrets.lookupHash)?.reference == receipt.caseReference)
    }
}
