import Foundation
import SealboxCore
import SealboxCrypto
import Testing

/// The daemon's storage of the team's case work (PROTOCOL §3.4, §9.3): stored unread as
/// the case's next item, audited by kind, and the case itself left as it was.
@Suite struct CaseWorkStorageTests {
    @Test func aNoteTakesTheNextPositionAndLeavesStatusAcknowledgementAndLastChange() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        let received = Day("2026-11-24")!
        let new = NewCase(reference: .generate(), lookupHash: Random.bytes(32), cost: testCost,
                          reporterKey: BoxSecretKey.generate().publicKey, day: received, itemID: .generate(),
                          envelope: Random.bytes(1200), blobs: [])
        try await db.insert(new)
        let staff = SigningSecretKey.generate().publicKey.keyID
        let envelope = Random.bytes(2200)
        var positions: [Int] = []
        for kind in [EnvelopeKind.note, .coding, .caseData] {
            positions.append(try await db.appendCaseWork(case: new.reference, kind: kind, itemID: .generate(),
                                                         envelope: envelope, day: Day("2026-11-30")!, staffKeyID: staff))
        }
        #expect(positions == [2, 3, 4])
        let record = try #require(try await db.caseRecord(reference: new.reference))
        #expect(record.status == .received && record.acknowledged == nil && record.updated == received)
        let items = try await db.items(ofCase: new.reference)
        #expect(items.map(\.kind) == [.report, .note, .coding, .caseData])
        #expect(items[1].envelope == envelope && items[1].status == nil)
        let audit = try await db.auditEntries()
        // The chain orders a day's entries by random id, never by time (PROTOCOL §11).
        #expect(audit.map(\.action.text).sorted() == ["case-data", "coding", "note"])
        #expect(audit.allSatisfy { $0.member == staff && $0.caseReference == new.reference })
    }

    @Test func caseWorkForAnUnknownCaseIsRefusedAndStoresNothing() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        await #expect(throws: CaseError.unknownCase) {
            try await db.appendCaseWork(case: .generate(), kind: .note, itemID: .generate(), envelope: Random.bytes(2200),
                                        day: Day("2026-11-30")!, staffKeyID: SigningSecretKey.generate().publicKey.keyID)
        }
        #expect(try await db.counts().items == 0)
        #expect(try await db.auditEntries().isEmpty)
    }

    @Test func theAuditActionsOfCaseWorkParseBack() throws {
        for text in ["note", "coding", "case-data"] {
            #expect(try AuditAction(parsing: text).text == text)
        }
        #expect(throws: InvalidValue.self) { try AuditAction(parsing: "report") }
    }
}
