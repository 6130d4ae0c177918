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
        let staff = SigningSecretKey.generate()
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
            conversation = Conversation(intake: intake, staffKeys: [staff.publicKey])
        }

        func close() {
            pool.shutdown()
            removeDirectory(dir)
        }

        /// A reply as the CLI seals it: signed by a staff key (unless `signedBy` is nil), to the
        /// reporter key inside the report, and the team key. `plaintext` replaces the content.
        func reply(_ receipt: SubmissionReceipt, _ text: String, signedBy: SigningSecretKey? = nil,
                   unsigned: Bool = false, plaintext raw: [UInt8]? = nil) async throws -> CaseStatus {
            let report = try await db.items(ofCase: receipt.caseReference)[0]
            let content = try ReportContent.decode(try Envelope.open(report.envelope, with: team).plaintext)
            let reporterKey = try #require(content.reporterPublicKey)
            var reply = ReportContent(type: .reply, caseReference: receipt.caseReference, day: Day("2026-11-25")!,
                                      reporterKey: nil, text: text)
            if !unsigned { try reply.sign(with: signedBy ?? staff) }
            let plaintext = try raw ?? reply.encoded()
            let envelope = try Envelope.seal(plaintext, kind: .reply, to: [reporterKey, team.publicKey])
            return try await db.appendReply(case: receipt.caseReference, itemID: .generate(),
                                            envelope: envelope, day: Day("2026-11-25")!, staffKeyID: staffKeyA).status
        }
    }

    @Test func aReplyWithoutV_isLeftOut_theThreadStillOpens_andTheReporterSeesNoAcknowledgement() async throws {
        let f = try Fixture()
        defer { f.close() }
        let receipt = try await f.intake.submit(ReportDraft(text: "first"), attachments: [], day: Day("2026-11-24")!)
        let broken = Array(#"{"type":"reply","case":"\#(receipt.caseReference.text)","day":"2026-11-25","text":"x","attachments":[]}"#.utf8)
        #expect(try await f.reply(receipt, "", plaintext: broken) == .acknowledged)
        let thread = try await f.conversation.open(receipt.code)
        #expect(thread.messages.map(\.text) == ["first"])
        #expect(thread.record.status == .received)
        #expect(thread.record.acknowledged == nil)
        _ = try await f.reply(receipt, "readable")
        let answered = try await f.conversation.open(receipt.code)
        #expect(answered.messages.map(\.text) == ["first", "readable"])
        #expect(answered.record.status == .acknowledged && answered.record.acknowledged == Day("2026-11-25"))
    }

    @Test func anUnsignedReply_orOneByAnUnknownKey_isForged_andNeverShownToTheReporter() async throws {
        let f = try Fixture()
        defer { f.close() }
        let receipt = try await f.intake.submit(ReportDraft(text: "first"), attachments: [], day: Day("2026-11-24")!)
        _ = try await f.reply(receipt, "unsigned", unsigned: true)
        _ = try await f.reply(receipt, "stranger", signedBy: SigningSecretKey.generate())
        let thread = try await f.conversation.open(receipt.code)
        #expect(thread.messages.map(\.text) == ["first"])
        #expect(thread.record.status == .received)
    }

    @Test func aFollowUp_isSignedWithTheCodesKey_whichTheSealedReportNames() async throws {
        let f = try Fixture()
        defer { f.close() }
        let receipt = try await f.intake.submit(ReportDraft(text: "first"), attachments: [], day: Day("2026-11-24")!)
        try await f.conversation.followUp(to: try await f.conversation.find(receipt.code), text: "more", attachments: [],
                                          day: Day("2026-11-26")!)
        let items = try await f.db.items(ofCase: receipt.caseReference)
        let report = try ReportContent.decode(try Envelope.open(items[0].envelope, with: f.team).plaintext)
        let followUp = try ReportContent.decode(try Envelope.open(items[1].envelope, with: f.team).plaintext)
        #expect(report.v == 2 && followUp.v == 2)
        #expect(try followUp.verifiedSigner().signer == report.reporterSigningPublicKey)
        var judge = AuthorshipJudge(staffKeys: [])
        #expect(judge.judge(report) == .anchor)
        #expect(judge.judge(followUp) == .authentic(signer: try #require(report.reporterSigningPublicKey).keyID))
        #expect(judge.judge(followUp) == .forged(.repeated))
        var altered = followUp
        altered.text = "other words"
        var fresh = AuthorshipJudge(staffKeys: [])
        _ = fresh.judge(report)
        #expect(fresh.judge(altered) == .forged(.badSignature))
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
        #expect(audit.map(\.day) == [Day("2026-11-25")!] && audit.map(\.member) == [staffKeyA])
        #expect(audit.map(\.action) == [.reply] && audit.map(\.caseReference) == [receipt.caseReference])
        #expect(AuditChainVerifier.firstBreak(audit) == nil)
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
    @Test func aCursorNamingAnItemOfADeletedCase_continuesAfterItsDayAndID() async throws {
        let f = try ConversationTests.Fixture()
        defer { f.close() }
        let first = try await f.intake.submit(ReportDraft(text: "a"), attachments: [])
        let second = try await f.intake.submit(ReportDraft(text: "b"), attachments: [])
        let cursor = try await f.db.items(ofCase: first.caseReference)[0]
        let expected = try await f.db.items(after: cursor.id, limit: 10).map(\.caseReference)
        #expect(expected == (cursor.id.text < (try await f.db.items(ofCase: second.caseReference)[0]).id.text
                             ? [second.caseReference] : []))
        try await f.db.deleteCase(first.caseReference, day: .today(), staffKeyID: staffKeyA)
        #expect(try await f.db.items(after: cursor.id, limit: 10).map(\.caseReference) == expected)
    }
}
