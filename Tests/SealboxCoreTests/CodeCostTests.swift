import Foundation
import SealboxCore
import SealboxCrypto
import Testing

/// Raising the Argon2id cost keeps every earlier code working (docs/PROTOCOL.md §6.2).
@Suite struct CodeCostTests {
    let newerCost = try! KDFCost(opslimit: 2, memlimit: 16384)

    func stack(_ dir: URL, cost: KDFCost, team: BoxSecretKey, pepper: Pepper) throws -> (MailboxDatabase, BlockingPool, Conversation) {
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path, codeCost: cost)
        let pool = BlockingPool(workers: 1, queueLimit: 4)
        let intake = Intake(database: db, pool: pool, settings: IntakeSettings(
            teamKey: team.publicKey, pepper: pepper, cost: cost, limits: SubmissionLimits()))
        return (db, pool, Conversation(intake: intake))
    }

    @Test func aCodeIssuedUnderTheOldCost_opensItsCaseAfterTheCostIsRaised() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let team = BoxSecretKey.generate()
        let pepper = Pepper.generate()
        let (oldDB, oldPool, old) = try stack(dir, cost: testCost, team: team, pepper: pepper)
        let before = try await old.intake.submit(ReportDraft(text: "under the old cost"), attachments: [])
        oldPool.shutdown()
        _ = oldDB

        let (db, pool, conversation) = try stack(dir, cost: newerCost, team: team, pepper: pepper)
        defer { pool.shutdown() }
        let thread = try await conversation.open(before.code)
        #expect(thread.record.reference == before.caseReference)
        #expect(thread.messages.map(\.text) == ["under the old cost"])

        let after = try await conversation.intake.submit(ReportDraft(text: "under the new cost"), attachments: [])
        #expect(try await conversation.open(after.code).messages.map(\.text) == ["under the new cost"])
        #expect(try await db.codeCosts() == [newerCost, testCost])
        await #expect(throws: UnknownCode()) { try await conversation.open(ReporterCode.generate()) }
    }

    @Test func storedCosts_areListedNewestDayFirst_once_andOnOneDayTheHigherCostFirst() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        #expect(try await db.codeCosts() == [])
        func store(_ cost: KDFCost, on day: String) async throws {
            try await db.insert(NewCase(reference: .generate(), lookupHash: Random.bytes(32), cost: cost,
                                        reporterKey: BoxSecretKey.generate().publicKey, day: Day(day)!,
                                        itemID: .generate(), envelope: Random.bytes(100), blobs: []))
        }
        try await store(newerCost, on: "2026-11-20")
        try await store(testCost, on: "2026-11-24")
        try await store(newerCost, on: "2026-11-22")
        #expect(try await db.codeCosts() == [testCost, newerCost])
        // Within one day nothing tells which case came last (gap 11 of issue 8): the higher
        // cost, the one an office raises to, goes first.
        try await store(newerCost, on: "2026-11-24")
        #expect(try await db.codeCosts() == [newerCost, testCost])
    }
}
