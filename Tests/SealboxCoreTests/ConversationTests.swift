import Foundation
import SealboxCore
import SealboxCrypto
import Testing

/// A staff key id as the authenticator passes it to the store.
let staffKeyA = SigningSecretKey.generate().publicKey.keyID

@Suite struct ConversationTests {
    struct Fixture {
        let dir: URL
        let team = BoxSecretKey.generate()
        let pepper = Pepper.generate()
        let db: MailboxDatabase
        let pool = BlockingPool(workers: 1, queueLimit: 4)
        let intake: Intake
        let conversation: Conversation

        init() throws {
            dir = try temporaryDirectory()
            db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
            intake = Intake(database: db, pool: pool, settings: IntakeSettings(
                teamKey: team.publicKey, pepper: pepper, cost: testCost, limits: SubmissionLimits()))
            conversation = Conversation(intake: intake)
        }

        func close() {
            pool.shutdown()
            removeDirectory(dir)
        }

        /// A reply as the CLI seals it: to the reporter key inside the report, and the team key.
        func reply(_ receipt: SubmissionReceipt, _ text: String) async throws -> CaseStatus {
            let report = try await db.items(ofCase: receipt.caseReference)[0]
            let content = try ReportContent.decode(try Envelope.open(report.envelope, with: team).plaintext)
            let reporterKey = try #require(content.reporterPublicKey)
            let plaintext = try ReportContent(type: .reply, caseReference: receipt.caseReference, day: Day("2026-11-25")!,
                                              reporterKey: nil, text: text).encoded()
            let envelope = try Envelope.seal(plaintext, kind: .reply, to: [reporterKey, team.publicKey])
            return try await db.appendReply(case: receipt.caseReference, itemID: .generate(),
                                            envelope: envelope, day: Day("2026-11-25")!, staffKeyID: staffKeyA)
        }
    }

    @Test func theCode_opensTheWholeThreadInOrder() async throws {
        let f = try Fixture()
        defer { f.close() }
        let receipt = try await f.intake.submit(ReportDraft(text: "first"), attachments: [], day: Day("2026-11-24")!)
        #expect(try await f.reply(receipt, "we read it") == .acknowledged)
        let record = try await f.conversation.find(receipt.code)
        try await f.conversation.followUp(to: record, text: "thanks", attachments: [], day: Day("2026-11-26")!)
        let thread = try await f.conversation.open(receipt.code)
        #expect(thread.messages.map(\.text) == ["first", "we read it", "thanks"])
        #expect(thread.messages.map(\.author) == [.reporter, .team, .reporter])
        #expect(thread.record.status == .acknowledged)
        #expect(thread.record.acknowledged == Day("2026-11-25"))
        let audit = try await f.db.auditEntries()
        #expect(audit == [AuditEntry(day: Day("2026-11-25")!, staffKeyID: staffKeyA, action: .reply, caseReference: receipt.caseReference)])
    }

    @Test func anUnknownCode_andADeletedCase_areBothUnknown() async throws {
        let f = try Fixture()
        defer { f.close() }
        await #expect(throws: UnknownCode()) { _ = try await f.conversation.open(ReporterCode.generate()) }
        let receipt = try await f.intake.submit(ReportDraft(text: "x"), attachments: [])
        try await f.db.deleteCase(receipt.caseReference, day: .today(), staffKeyID: staffKeyA)
        await #expect(throws: UnknownCode()) { _ = try await f.conversation.open(receipt.code) }
        let counts = try await f.db.counts()
        #expect(counts.cases == 0 && counts.items == 0)
        await #expect(throws: CaseError.unknownCase) { try await f.db.deleteCase(receipt.caseReference, day: .today(), staffKeyID: staffKeyA) }
    }

    @Test func statusChanges_areItemsAndAudited() async throws {
        let f = try Fixture()
        defer { f.close() }
        let receipt = try await f.intake.submit(ReportDraft(text: "x"), attachments: [])
        try await f.db.setStatus(case: receipt.caseReference, to: .inProgress, day: Day("2026-12-01")!, staffKeyID: staffKeyA)
        let record = try #require(try await f.db.caseRecord(reference: receipt.caseReference))
        #expect(record.status == .inProgress)
        #expect(record.acknowledged == Day("2026-12-01"))
        let items = try await f.db.items(ofCase: receipt.caseReference)
        #expect(items.last?.kind == .status && items.last?.status == .inProgress && items.last?.envelope == [])
        #expect(try await f.db.auditEntries().map(\.action) == [.status(.inProgress)])
        await #expect(throws: CaseError.unknownCase) {
            try await f.db.setStatus(case: try CaseReference(parsing: "ZZZZ-ZZZZ"), to: .closed, day: .today(), staffKeyID: staffKeyA)
        }
    }
}

@Suite struct CursorTombstoneTests {
    @Test func aCursorNamingAnItemOfADeletedCase_stillWorks() async throws {
        let f = try ConversationTests.Fixture()
        defer { f.close() }
        let first = try await f.intake.submit(ReportDraft(text: "a"), attachments: [])
        let second = try await f.intake.submit(ReportDraft(text: "b"), attachments: [])
        let cursor = try await f.db.items(after: nil, limit: 1)[0].id
        try await f.db.deleteCase(first.caseReference, day: .today(), staffKeyID: staffKeyA)
        let rest = try await f.db.items(after: cursor, limit: 10)
        #expect(rest.map(\.caseReference) == [second.caseReference])
    }
}
