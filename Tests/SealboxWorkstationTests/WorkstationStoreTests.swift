import Foundation
import GRDB
import SealboxAPI
import SealboxCore
import SealboxCrypto
import Testing
@testable import SealboxWorkstation

@Suite struct WorkstationStoreTests {
    let folder: TemporaryFolder
    let store: WorkstationStore

    init() throws {
        folder = try TemporaryFolder()
        store = try WorkstationStore(directory: folder.url)
    }

    @Test func aNewStore_hasNoSyncedDayNoCasesAndSecureDeleteOn() throws {
        #expect(try store.syncedDay == nil)
        #expect(try store.resumeDay == nil)
        #expect(try store.cases().isEmpty)
        #expect(try store.pragma("secure_delete") == "1")
        #expect(FileManager.default.fileExists(atPath: folder.path("store.sqlite").path))
    }

    @Test func insertingAPage_storesItsItemsAndItsNewestDayTogether() throws {
        let a = Fixtures.item(reference: "7KQM-3XWP")
        let b = Fixtures.item(reference: "7KQM-3XWP", kind: .followUp, day: "2026-11-30")
        let new = try store.insert(items: [a, b])
        #expect(new.items == 2)
        #expect(try store.syncedDay == "2026-11-30")
        #expect(try store.resumeDay == "2026-11-29")
        let stored = try store.items(case: "7KQM-3XWP")
        #expect(stored.map(\.id) == [a.id, b.id])
        #expect(stored[0].envelope == a.envelope)
        #expect(stored[1].kind == .followUp)
    }

    @Test func insertingTheSamePageTwice_storesItsItemsOnce() throws {
        let a = Fixtures.item(reference: "7KQM-3XWP")
        try store.insert(items: [a])
        let again = try store.insert(items: [a])
        #expect(again.items == 0 && again.attachments == 0)
        #expect(try store.counts().items == 1)
    }

    @Test func announcedAttachments_areMissingUntilTheirBlobIsStored() throws {
        let manifest = AttachmentManifest(id: .generate(), name: "letter.pdf", type: "application/pdf", size: 3)
        let a = Fixtures.item(reference: "7KQM-3XWP", attachments: [(manifest, 120)])
        let new = try store.insert(items: [a])
        #expect(new.attachments == 1)
        #expect(try store.missingAttachments() == [MissingAttachment(id: manifest.id, itemID: a.id, size: 120)])
        #expect(try store.blob(id: manifest.id) == nil)

        #expect(try store.storeBlob(id: manifest.id, data: [1, 2, 3]))
        #expect(try store.missingAttachments().isEmpty)
        #expect(try store.blob(id: manifest.id) == [1, 2, 3])
    }

    @Test func storingABlobForAnUnknownAttachment_storesNothing() throws {
        #expect(try store.storeBlob(id: .generate(), data: [1]) == false)
        #expect(try store.counts().blobs == 0)
    }

    @Test func cases_areSummarisedNewestFirstFromMetadataOnly() throws {
        let manifest = AttachmentManifest(id: .generate(), name: "a.txt", type: "text/plain", size: 1)
        let old = Fixtures.item(reference: "AAAA-2222", day: "2026-11-01")
        let oldFollowUp = Fixtures.item(reference: "AAAA-2222", kind: .followUp, day: "2026-11-20",
                                            attachments: [(manifest, 100)])
        let newer = Fixtures.item(reference: "BBBB-3333", day: "2026-11-10")
        try store.insert(items: [old, newer, oldFollowUp])

        let cases = try store.cases()
        #expect(cases.map(\.reference) == ["BBBB-3333", "AAAA-2222"])
        #expect(cases[1] == LocalCase(reference: "AAAA-2222", received: "2026-11-01", lastActivity: "2026-11-20",
                                        items: 2, attachments: 1, missingAttachments: 1))
        #expect(cases[0].items == 1 && cases[0].attachments == 0)
    }

    @Test func casesReceivedOnTheSameDay_areListedByReferenceNotByArrival() throws {
        let first = Fixtures.item(reference: "BBBB-3333")
        let second = Fixtures.item(reference: "AAAA-2222")
        try store.insert(items: [first])
        try store.insert(items: [second])
        #expect(try store.cases().map(\.reference) == ["AAAA-2222", "BBBB-3333"])
    }

    @Test func aThread_isOrderedByPositionWhateverOrderItArrivedIn() throws {
        let reply = Fixtures.item(reference: "7KQM-3XWP", kind: .reply, day: "2026-11-25", position: 2)
        let followUp = Fixtures.item(reference: "7KQM-3XWP", kind: .followUp, day: "2026-11-25", position: 3)
        let report = Fixtures.item(reference: "7KQM-3XWP", position: 1)
        try store.insert(items: [followUp, reply])
        try store.insert(items: [report])
        #expect(try store.items(case: "7KQM-3XWP").map(\.id) == [report.id, reply.id, followUp.id])
        #expect(try store.thread(case: "7KQM-3XWP").map(\.position) == [1, 2, 3])
    }

    @Test func theSyncedDay_neverMovesBack() throws {
        let late = Fixtures.item(reference: "AAAA-2222", day: "2026-11-30")
        try store.insert(items: [late])
        try store.insert(items: [Fixtures.item(reference: "BBBB-3333", day: "2026-11-02")])
        try store.insert(items: [])
        #expect(try store.syncedDay == "2026-11-30")
        try store.deleteCase("AAAA-2222")
        #expect(try store.syncedDay == "2026-11-30")
    }

    @Test func noTableOfTheStore_hasARowidThatNumbersArrivals() throws {
        let names = try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('items', 'attachments', 'cases')")
        }
        #expect(names.sorted() == ["attachments", "cases", "items"])
        for name in names {
            let sql = try store.queue.read { db in
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [name])
            }
            #expect(sql?.contains("WITHOUT ROWID") == true, "\(name)")
            #expect(sql?.contains("seq") == false, "\(name)")
        }
    }

    @Test func theCaseList_readsTheItemsMetadataFromItsIndex_notThroughTheEnvelopes() throws {
        // 10,000 cases took seconds when the list read past every envelope (issue 11, speed).
        let indexes = try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items'")
        }
        #expect(indexes.contains("items_meta") && !indexes.contains("items_case"))
        let listSQL = try store.queue.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT i.case_ref, MIN(i.day), MAX(i.day),
                    COUNT(CASE WHEN i.kind IN ('report', 'follow-up', 'reply') THEN 1 END)
                FROM items i GROUP BY i.case_ref
                """).map { $0["detail"] as String }
        }
        #expect(listSQL.contains { $0.contains("COVERING INDEX items_meta") }, "\(listSQL)")
    }

    @Test func reportsAndItemsOfKinds_comeInOneQueryEach_byCase() throws {
        let report = Fixtures.item(reference: "7KQM-3XWP", position: 1)
        let followUp = Fixtures.item(reference: "7KQM-3XWP", kind: .followUp, position: 2)
        let data2 = Fixtures.item(reference: "7KQM-3XWP", kind: .caseData, position: 4)
        let data1 = Fixtures.item(reference: "7KQM-3XWP", kind: .caseData, position: 3)
        let other = Fixtures.item(reference: "AAAA-2222", position: 1)
        let coding = Fixtures.item(reference: "AAAA-2222", kind: .coding, position: 2)
        try store.insert(items: [data2, followUp, other, report, data1, coding])
        let reports = try store.reports()
        #expect(reports.mapValues(\.id) == ["7KQM-3XWP": report.id, "AAAA-2222": other.id])
        let work = try store.items(ofKinds: [.caseData, .coding])
        #expect(work.mapValues { $0.map(\.id) } == ["7KQM-3XWP": [data1.id, data2.id], "AAAA-2222": [coding.id]])
        #expect(try store.items(ofKinds: []).isEmpty)
        #expect(try store.items(ofKinds: [.note]).isEmpty)
        // Both reporters wait for an answer (case data does not count), until a reply follows.
        #expect(try store.repliesDue().mapValues { !$0.messages.isEmpty } == ["7KQM-3XWP": true, "AAAA-2222": true])
        try store.insert(items: [Fixtures.item(reference: "AAAA-2222", kind: .reply, position: 3)])
        #expect(try store.repliesDue()["AAAA-2222"].map { $0.messages.isEmpty } ?? true)
    }

    @Test func oneCase_isListedAsTheWholeListListsIt() throws {
        try store.insert(items: [Fixtures.item(reference: "7KQM-3XWP", position: 1),
                                 Fixtures.item(reference: "7KQM-3XWP", kind: .followUp, day: "2026-11-26", position: 2),
                                 Fixtures.item(reference: "AAAA-2222", position: 1)])
        for reference: CaseReference in ["7KQM-3XWP", "AAAA-2222"] {
            let one = try #require(try store.localCase(reference))
            let listed = try #require(try store.cases().first { $0.reference == reference })
            #expect(one.reference == listed.reference && one.lastActivity == listed.lastActivity && one.status == listed.status)
        }
        #expect(try store.localCase("BBBB-3333") == nil)
    }

    @Test func reopeningTheStore_keepsItsContentAndSyncedDay() throws {
        let a = Fixtures.item(reference: "7KQM-3XWP")
        try store.insert(items: [a])
        let reopened = try WorkstationStore(directory: folder.url)
        #expect(try reopened.syncedDay == a.day)
        #expect(try reopened.items(case: "7KQM-3XWP").count == 1)
    }

    @Test func itemsOfAnUnknownCase_isEmpty() throws {
        #expect(try store.items(case: "ZZZZ-9999").isEmpty)
    }
}
