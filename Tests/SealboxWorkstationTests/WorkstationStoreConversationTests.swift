// The local store and the conversation (issue 3): status changes, replies stored
// right after sending, the server's view of cases, deleting a case, the migration.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import Testing
@testable import SealboxWorkstation

@Suite struct WorkstationStoreConversationTests {
    let folder: TemporaryFolder
    let store: WorkstationStore

    init() throws {
        folder = try TemporaryFolder()
        store = try WorkstationStore(directory: folder.url)
    }

    private func status(_ reference: CaseReference, _ status: CaseStatus, day: Day = "2026-11-26") -> StoredItem {
        StoredItem(statusChange: .generate(), caseReference: reference, day: day, position: Fixtures.nextPosition(),
                   status: status)
    }

    @Test func statusChanges_areStoredWithoutAnEnvelopeAndKeptOutOfItems() throws {
        let report = Fixtures.item(reference: "7KQM-3XWP")
        let change = status("7KQM-3XWP", .inProgress)
        try store.insert(items: [report, change])
        #expect(try store.items(case: "7KQM-3XWP").map(\.id) == [report.id])
        let thread = try store.thread(case: "7KQM-3XWP")
        #expect(thread.map(\.id) == [report.id, change.id])
        #expect(thread[1].isStatusChange && thread[1].status == .inProgress && thread[1].envelope.isEmpty)
        let summary = try #require(try store.cases().first)
        #expect(summary.status == .inProgress)
        #expect(summary.items == 1)
        #expect(summary.lastActivity == "2026-11-26")
        #expect(summary.onServer == nil)
    }

    @Test func withoutTheServersView_theLatestStatusWinsAndAReplyAcknowledges() throws {
        let a = Fixtures.item(reference: "AAAA-2222")
        let reply = Fixtures.item(reference: "AAAA-2222", kind: .reply, day: "2026-11-25")
        let b = Fixtures.item(reference: "BBBB-3333")
        let c = Fixtures.item(reference: "CCCC-4444")
        let closed = status("CCCC-4444", .closed)
        let reopened = status("CCCC-4444", .inProgress, day: "2026-11-27")
        try store.insert(items: [a, reply, b, c, closed, reopened])
        let byCase = Dictionary(uniqueKeysWithValues: try store.cases().map { ($0.reference, $0) })
        #expect(byCase["AAAA-2222"]?.status == .acknowledged)
        #expect(byCase["AAAA-2222"]?.acknowledged == "2026-11-25")
        #expect(byCase["BBBB-3333"]?.status == .received)
        #expect(byCase["CCCC-4444"]?.status == .inProgress)
    }

    @Test func theServersView_winsAndNamesCasesDeletedElsewhere() throws {
        let a = Fixtures.item(reference: "AAAA-2222", day: "2026-11-20")
        let b = Fixtures.item(reference: "BBBB-3333")
        try store.insert(items: [a, b])
        try store.replaceServerCases([CaseSummary(case: "AAAA-2222", status: .closed, received: "2026-11-20",
                                                 acknowledged: "2026-11-21", updated: "2026-12-03")])
        let byCase = Dictionary(uniqueKeysWithValues: try store.cases().map { ($0.reference, $0) })
        #expect(byCase["AAAA-2222"]?.status == .closed)
        #expect(byCase["AAAA-2222"]?.acknowledged == "2026-11-21")
        #expect(byCase["AAAA-2222"]?.lastActivity == "2026-12-03")
        #expect(byCase["AAAA-2222"]?.onServer == true)
        #expect(byCase["BBBB-3333"]?.onServer == false)

        try store.recordServerStatus(case: "BBBB-3333", status: .acknowledged, day: "2026-11-25", received: nil)
        let b2 = try #require(try store.serverCase("BBBB-3333"))
        #expect(b2 == CaseSummary(case: "BBBB-3333", status: .acknowledged, received: "2026-11-24",
                                 acknowledged: "2026-11-25", updated: "2026-11-25"))
    }

    @Test func aCaseMissingOnTheServer_isLostUnlessTheAuditLogRecordsItsDeletion() throws {
        let a = Fixtures.item(reference: "AAAA-2222")
        let b = Fixtures.item(reference: "BBBB-3333")
        let c = Fixtures.item(reference: "CCCC-4444")
        try store.insert(items: [a, b, c])
        try store.replaceServerCases([CaseSummary(case: "AAAA-2222", status: .received, received: "2026-11-24",
                                                 acknowledged: nil, updated: "2026-11-24")])
        // Before the audit log is known, a missing case is not called lost.
        #expect(try store.cases().filter(\.lostOnServer).isEmpty)
        try store.replaceServerDeletions(["BBBB-3333"])
        let byCase = Dictionary(uniqueKeysWithValues: try store.cases().map { ($0.reference, $0) })
        #expect(byCase["AAAA-2222"]?.onServer == true && byCase["AAAA-2222"]?.lostOnServer == false)
        #expect(byCase["BBBB-3333"]?.onServer == false && byCase["BBBB-3333"]?.lostOnServer == false)
        #expect(byCase["CCCC-4444"]?.onServer == false && byCase["CCCC-4444"]?.lostOnServer == true)
        // The next audit log replaces the last one.
        try store.replaceServerDeletions(["BBBB-3333", "CCCC-4444"])
        #expect(try store.cases().filter(\.lostOnServer).isEmpty)
        // An audit log that could not be read: nothing is called lost.
        try store.replaceServerDeletions(["BBBB-3333"])
        try store.replaceServerDeletions(nil)
        #expect(try store.cases().filter(\.lostOnServer).isEmpty)
    }

    @Test func aSentReply_isStoredOnceAndTakesItsServerPlaceWhenSynced() throws {
        let report = Fixtures.item(reference: "7KQM-3XWP", position: 1)
        try store.insert(items: [report])
        // The server answered the reply with its position: 3, since the reporter's
        // follow-up (not fetched yet) took 2.
        let reply = Fixtures.item(reference: "7KQM-3XWP", kind: .reply, day: "2026-11-25", position: 3)
        #expect(try store.insertSent(reply))
        #expect(try store.syncedDay == report.day)  // a sent reply never moves the day synced
        #expect(try store.thread(case: "7KQM-3XWP").map(\.id) == [report.id, reply.id])

        // Meanwhile the reporter wrote a follow-up, stored on the server before the reply.
        let followUp = Fixtures.item(reference: "7KQM-3XWP", kind: .followUp, day: "2026-11-25", position: 2)
        let new = try store.insert(items: [followUp, reply])
        #expect(new.items == 1)
        #expect(try store.counts().items == 3)
        #expect(try store.thread(case: "7KQM-3XWP").map(\.id) == [report.id, followUp.id, reply.id])
        #expect(try store.items(case: "7KQM-3XWP").last?.envelope == reply.envelope)
    }

    @Test func deletingACase_removesItsItemsAttachmentsAndServerRowOnly() throws {
        let manifest = AttachmentManifest(id: .generate(), name: "a.pdf", type: "application/pdf", size: 3)
        let a = Fixtures.item(reference: "AAAA-2222", attachments: [(manifest, 120)])
        let change = status("AAAA-2222", .inProgress)
        let b = Fixtures.item(reference: "BBBB-3333")
        try store.insert(items: [a, change, b])
        #expect(try store.storeBlob(id: manifest.id, data: [1, 2, 3]))
        try store.recordServerStatus(case: "AAAA-2222", status: .inProgress, day: "2026-11-26", received: nil)

        let removed = try store.deleteCase("AAAA-2222")
        #expect(removed == DeletedCase(items: 2, attachments: 1))
        #expect(try store.thread(case: "AAAA-2222").isEmpty)
        #expect(try store.blob(id: manifest.id) == nil)
        #expect(try store.serverCase("AAAA-2222") == nil)
        #expect(try store.counts() == (items: 1, attachments: 0, blobs: 0))
        #expect(try store.cases().map(\.reference) == ["BBBB-3333"])
        #expect(try store.syncedDay == "2026-11-26")  // never moved back
        #expect(try store.pragma("secure_delete") == "1")
        #expect(try store.deleteCase("AAAA-2222") == DeletedCase(items: 0, attachments: 0))
    }

    @Test func deletedBytes_doNotLingerInTheStoreFile() throws {
        let marker = "MARKER-\(Random.identifier())"
        let item = StoredItem(id: .generate(), caseReference: "AAAA-2222", kind: .report, day: "2026-11-24",
                              position: 1, envelope: Array(String(repeating: marker, count: 50).utf8))
        let keep = Fixtures.item(reference: "BBBB-3333")
        try store.insert(items: [item, keep])
        try store.deleteCase("AAAA-2222")
        let bytes = try Data(contentsOf: folder.path("store.sqlite"))
        #expect(bytes.range(of: Data(marker.utf8)) == nil)
    }

    @Test func aVersion1Store_isMigratedKeepingItsItemsTheirOrderInTheCaseAndItsDay() throws {
        let path = folder.path("old.sqlite").path
        let manifest = AttachmentManifest(id: .generate(), name: "a.txt", type: "text/plain", size: 1)
        let a = Fixtures.item(reference: "AAAA-2222", attachments: [(manifest, 50)])
        let b = Fixtures.item(reference: "BBBB-3333", day: "2026-11-25")
        let a2 = Fixtures.item(reference: "AAAA-2222", kind: .followUp, day: "2026-11-25")
        let a3 = Fixtures.item(reference: "AAAA-2222", kind: .followUp, day: "2026-11-25")
        try Version1Store.create(at: path, items: [a, b, a2, a3], cursor: a2.id)

        let migrated = try WorkstationStore(path: path)
        #expect(try migrated.syncedDay == "2026-11-25")
        #expect(try migrated.items(case: "AAAA-2222").map(\.envelope) == [a.envelope, a2.envelope, a3.envelope])
        #expect(try migrated.thread(case: "AAAA-2222").map(\.position) == [1, 2, 3])
        #expect(try migrated.items(case: "BBBB-3333").map(\.position) == [1])
        #expect(try migrated.missingAttachments().map(\.id) == [manifest.id])
        let c = Fixtures.item(reference: "CCCC-4444")
        try migrated.insert(items: [c])
        #expect(try migrated.cases().map(\.reference) == ["BBBB-3333", "AAAA-2222", "CCCC-4444"])
        #expect(try migrated.syncedDay == "2026-11-25")
        #expect(try migrated.deleteCase("AAAA-2222") == DeletedCase(items: 3, attachments: 1))
        #expect(try migrated.counts().items == 2)
    }
}
