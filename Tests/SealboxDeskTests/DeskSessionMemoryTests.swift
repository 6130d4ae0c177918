import Foundation
import SealboxCore
import Testing
@testable import SealboxDesk

@Suite struct DeskSessionMemoryTests {
    static let today = Day("2026-12-01")!
    static let row = DeskCaseSummary(reference: try! CaseReference(parsing: "7KQM-3XWP"), status: .received, assigned: nil,
                                     lastActivity: today, awaitingAnswer: false, nextDeadline: nil)

    @Test func inboxRows_areUsedOnlyForTheirFingerprintAndDay() {
        let memory = DeskSessionMemory()
        memory.keep(inbox: [Self.row], fingerprint: "1:10", today: Self.today)
        #expect(memory.inboxRows(fingerprint: "1:10", today: Self.today) == [Self.row])
        #expect(memory.inboxRows(fingerprint: "2:11", today: Self.today) == nil)
        #expect(memory.inboxRows(fingerprint: "1:10", today: Self.today.adding(days: 1)) == nil)
        memory.invalidate()
        #expect(memory.inboxRows(fingerprint: "1:10", today: Self.today) == nil)
    }

    @Test func markedRead_keepsTheCachesUnderTheNewFingerprint_andClearsTheUnreadMark() {
        let memory = DeskSessionMemory()
        var unread = Self.row
        unread.unread = true
        memory.keep(inbox: [unread], fingerprint: "a", today: Self.today)
        var index = DeskSearchIndex(budgetBytes: 1 << 20)
        index.add("Wasserschaden", of: Self.row.reference)
        #expect(memory.beginBuild())
        memory.finishBuild(index, fingerprint: "a")
        memory.markedRead(Self.row.reference, from: "a", to: "b")
        #expect(memory.inboxRows(fingerprint: "a", today: Self.today) == nil)
        #expect(memory.inboxRows(fingerprint: "b", today: Self.today)?.first?.unread == false)
        #expect(memory.searchIndex?.fingerprint == "b")
        // Caches built for another fingerprint are stale already: they are left to be rebuilt.
        memory.markedRead(Self.row.reference, from: "x", to: "c")
        #expect(memory.inboxRows(fingerprint: "c", today: Self.today) == nil)
        #expect(memory.searchIndex?.fingerprint == "b")
    }

    @Test func drop_forgetsEverythingAndKeepsNothingAfterwards() {
        let memory = DeskSessionMemory()
        var index = DeskSearchIndex(budgetBytes: 1 << 20)
        index.add("Wasserschaden", of: Self.row.reference)
        #expect(memory.beginBuild())
        #expect(!memory.beginBuild())
        memory.finishBuild(index, fingerprint: "f")
        memory.keep(inbox: [Self.row], fingerprint: "f", today: Self.today)
        #expect(memory.searchIndex?.index.search("wasser").isEmpty == false)
        memory.drop()
        #expect(memory.searchIndex == nil)
        #expect(memory.inboxRows(fingerprint: "f", today: Self.today) == nil)
        memory.keep(inbox: [Self.row], fingerprint: "f", today: Self.today)
        #expect(memory.inboxRows(fingerprint: "f", today: Self.today) == nil)
        #expect(!memory.beginBuild())
    }
}
