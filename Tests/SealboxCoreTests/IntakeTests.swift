import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct IntakeTests {
    @Test func aSubmission_isSealedToTheTeamAndTheReporterAndFindableByItsCode() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let team = BoxSecretKey.generate()
        let pepper = Pepper.generate()
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        let pool = BlockingPool(workers: 1, queueLimit: 2)
        defer { pool.shutdown() }
        let intake = Intake(database: db, pool: pool, settings: IntakeSettings(
            teamKey: team.publicKey, pepper: pepper, cost: testCost, limits: SubmissionLimits()))
        let draft = ReportDraft(text: "Der Vermieter sagte …", grounds: ["ethnic-origin"], area: "housing", contact: "x@example.org")
        let receipt = try await intake.submit(draft, attachments: [], day: Day("2026-11-24")!)

        let items = try await db.items(after: nil, limit: 10)
        #expect(items.count == 1)
        let opened = try Envelope.open(items[0].envelope, with: team)
        #expect(opened.kind == .report)
        let content = try ReportContent.decode(opened.plaintext)
        #expect(content.text == draft.text)
        #expect(content.case == receipt.caseReference)
        #expect(content.day == Day("2026-11-24"))
        #expect(content.grounds == ["ethnic-origin"])
        #expect(content.contact == "x@example.org")

        let secrets = try CodeDerivation.derive(code: receipt.code, pepper: pepper, cost: testCost)
        #expect(content.reporterPublicKey == secrets.reporterKey.publicKey)
        let asReporter = try Envelope.open(items[0].envelope, with: secrets.reporterKey)
        #expect(try ReportContent.decode(asReporter.plaintext).text == draft.text)
        #expect(items[0].envelope.count >= 1024)
    }

    @Test func aSaturatedPool_refusesWithoutStoring() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        let pool = BlockingPool(workers: 1, queueLimit: 0)
        defer { pool.shutdown() }
        let intake = Intake(database: db, pool: pool, settings: IntakeSettings(
            teamKey: BoxSecretKey.generate().publicKey, pepper: .generate(), cost: testCost, limits: SubmissionLimits()))
        let gate = Gate()
        async let blocker: Void = pool.run { gate.wait() }
        while pool.load < 1 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(intake.isSaturated)
        await #expect(throws: PoolSaturated()) { _ = try await intake.submit(ReportDraft(text: "x"), attachments: []) }
        gate.open()
        try await blocker
        #expect(try await db.counts().cases == 0)
    }
}
