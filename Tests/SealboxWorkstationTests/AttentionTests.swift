// Issue 11, "attention first" and "a forgiving CLI": the unanswered messages and their due
// days, reference input and "did you mean", the width of a table, the first words of a
// report, the quoted thread, and the store's record of what changed since it was read
// (migration v10-case-marks).
import Foundation
import SealboxCore
import SealboxCrypto
import Testing
@testable import SealboxWorkstation

@Suite struct UnansweredTests {
    func entry(_ kind: ItemKind, _ day: Day) -> ThreadEntry { ThreadEntry(id: .generate(), kind: kind, day: day) }

    @Test func anOpenCaseWithOnlyItsReport_waitsForAReplyDueSevenDaysLater() {
        let report = entry(.report, "2026-11-02")
        let due = Attention.unanswered([report])
        #expect(due == [UnansweredMessage(id: report.id, kind: .report, day: "2026-11-02", due: "2026-11-09")])
    }

    @Test func aReplyAnswersEveryMessageBeforeIt() {
        let thread = [entry(.report, "2026-11-02"), entry(.followUp, "2026-11-03"), entry(.reply, "2026-11-04")]
        #expect(Attention.unanswered(thread).isEmpty)
        #expect(Attention.replyDue(thread).due == nil)
    }

    @Test func aFollowUpAfterTheReply_isUnansweredWithItsOwnDueDay_evenOnAClosedCase() {
        // The status of the case plays no part: a closed case's follow-up waits like any other.
        let followUp = entry(.followUp, "2026-11-20")
        let thread = [entry(.report, "2026-11-02"), entry(.reply, "2026-11-04"), entry(.status, "2026-11-05"),
                      followUp]
        #expect(Attention.unanswered(thread, dueDays: 3).map(\.due) == ["2026-11-23"])
        #expect(Attention.unanswered(thread).first?.id == followUp.id)
    }

    @Test func twoFollowUps_eachHasItsDueDay_theCaseIsDueByTheEarliest() {
        let thread = [entry(.report, "2026-11-02"), entry(.reply, "2026-11-04"),
                      entry(.followUp, "2026-11-10"), entry(.note, "2026-11-11"), entry(.followUp, "2026-11-12")]
        let due = Attention.replyDue(thread)
        #expect(due.messages.map(\.due) == ["2026-11-17", "2026-11-19"])
        #expect(due.due == "2026-11-17")
        #expect(due.deadline(today: "2026-11-18")?.state == .overdue)
        #expect(due.deadline(today: "2026-11-16")?.state == .dueSoon)
        #expect(due.deadline(today: "2026-11-16")?.kind == .reply)
    }

    @Test func notesCodingsAndCaseDataAreNoReply() {
        let thread = [entry(.report, "2026-11-02"), entry(.note, "2026-11-03"), entry(.coding, "2026-11-03"),
                      entry(.caseData, "2026-11-03")]
        #expect(Attention.unanswered(thread).count == 1)
    }
}

@Suite struct ReferenceInputTests {
    @Test(arguments: ["7KQM-3XWP", "7kqm-3xwp", "7kqm3xwp", "7KQM 3XWP", "7kqm 3xwp", "  7Kqm-3xWP  ", "7KQM - 3XWP"])
    func typedReferences_areAccepted(_ typed: String) {
        #expect(ReferenceInput.reference(typed)?.text == "7KQM-3XWP")
    }

    @Test(arguments: ["", "7KQM", "7KQM-3XW", "7KQM-3XWPP", "7KQM_3XWP", "7KQ-M3XWP", "7KQO-3XWP", "7KQM-3XW1",
                      "7KQM--3XWP", "7KQM-3XWP-7KQM-3XWP", String(repeating: " ", count: 40) + "7KQM3XWP",
                      "7KQM\u{0}3XWP", "７KQM-3XWP", "'; DROP TABLE"])
    func garbageAndTooLong_areRefused(_ typed: String) {
        #expect(ReferenceInput.reference(typed) == nil)
    }

    @Test func theWireParserStaysStrict() {
        #expect(throws: InvalidValue.self) { try CaseReference(parsing: "7KQM 3XWP") }
    }

    let known: [CaseReference] = ["7KQM-3XWP", "9ABC-DEFG", "7KQM-3XWR"].map { try! CaseReference(parsing: $0) }

    @Test func aTypo_suggestsTheNearestKnownReferences_nearestFirst() {
        #expect(ReferenceInput.suggestions(for: "7KQM-3XWQ", among: known).map(\.text) == ["7KQM-3XWP", "7KQM-3XWR"])
        #expect(ReferenceInput.suggestions(for: "7kqm3xp", among: known).map(\.text) == ["7KQM-3XWP", "7KQM-3XWR"])
        #expect(ReferenceInput.suggestions(for: "9ABC DEGF", among: known).map(\.text) == ["9ABC-DEFG"])
    }

    @Test func nothingWithinTwoEdits_suggestsNothing_andAKnownReferenceIsNotSuggested() {
        #expect(ReferenceInput.suggestions(for: "ZZZZ-ZZZZ", among: known).isEmpty)
        #expect(ReferenceInput.suggestions(for: "9ABC-DEFG", among: known).isEmpty)
        #expect(ReferenceInput.suggestions(for: String(repeating: "A", count: 100), among: known).isEmpty)
    }

    @Test func aMistypedStatus_suggestsTheNearest() {
        #expect(ReferenceInput.statusSuggestions(for: "clsoed") == [.closed])
        #expect(ReferenceInput.statusSuggestions(for: "in_progres") == [.inProgress])
        #expect(ReferenceInput.statusSuggestions(for: "finished").isEmpty)
        #expect(ReferenceInput.statusSuggestions(for: "abgeschlosen") == [.closed])
        #expect(ReferenceInput.statusSuggestions(for: "in Bearbeitng") == [.inProgress])
        #expect(ReferenceInput.statusSuggestions(for: String(repeating: "x", count: 100)).isEmpty)
    }

    @Test func aStatus_isTypedInEnglishOrGerman() {
        for (typed, status) in [("closed", CaseStatus.closed), ("In-Progress", .inProgress), ("in_progress", .inProgress),
                                ("inprogress", .inProgress), ("in progress", .inProgress), ("eingegangen", .received),
                                ("Bestätigt", .acknowledged), ("bestaetigt", .acknowledged), ("in Bearbeitung", .inProgress),
                                ("in-bearbeitung", .inProgress), ("ABGESCHLOSSEN", .closed), (" received ", .received)] {
            #expect(ReferenceInput.status(typed) == status, "\(typed)")
        }
        for typed in ["", " ", "fertig", "close", "in", String(repeating: "closed", count: 20)] {
            #expect(ReferenceInput.status(typed) == nil, "\(typed)")
        }
    }

    @Test func editDistance_countsInsertionsDeletionsAndSubstitutions() {
        #expect(ReferenceInput.editDistance(Array("kitten"), Array("sitting"), limit: 5) == 3)
        #expect(ReferenceInput.editDistance(Array("kitten"), Array("sitting"), limit: 2) == 3)
        #expect(ReferenceInput.editDistance(Array(""), Array("abc"), limit: 5) == 3)
        #expect(ReferenceInput.editDistance(Array("abc"), Array("abc"), limit: 2) == 0)
    }
}

@Suite struct TableFitTests {
    @Test func aTableThatFits_isLeftAsItIs() {
        #expect(TableFit.widths(natural: [9, 8, 10], available: 80) == [9, 8, 10])
    }

    @Test func theWidestColumnGivesWayFirst_theReferenceNever() {
        // 9 + 3 + 8 + 3 + 40 = 63 wide, 50 available: the 40-wide notes lose 13.
        #expect(TableFit.widths(natural: [9, 8, 40], available: 50) == [9, 8, 27])
        // Far too narrow: every column but the first stops at the floor.
        #expect(TableFit.widths(natural: [9, 8, 40], available: 10) == [9, TableFit.floor, TableFit.floor])
    }

    @Test func cutCells_endInAnEllipsis_andTheReferenceIsWhole() {
        let rows = TableFit.fit([["CASE", "NOTES"], ["7KQM-3XWP", "deletion requested by Anna on 2026-11-30"]], available: 30)
        #expect(rows[1][0] == "7KQM-3XWP")
        #expect(rows[1][1].hasSuffix("…") && rows[1][1].count == 30 - 9 - 3)
        #expect(TableFit.cut("abcdef", to: 4) == "abc…")
        #expect(TableFit.cut("abc", to: 4) == "abc")
    }
}

@Suite struct ThreadExcerptTests {
    @Test func firstWords_keepsEightWords_onOneLine() {
        #expect(ThreadExcerpt.firstWords("My manager said\nthat people like me   should not apply for the post")
                == "My manager said that people like me should…")
        #expect(ThreadExcerpt.firstWords("Short one.") == "Short one.")
        #expect(ThreadExcerpt.firstWords(String(repeating: "x", count: 200)).count == ThreadExcerpt.maximumCharacters)
    }

    @Test func quotedMessages_areAllCommentLines() {
        let lines = ThreadExcerpt.quoted([
            .init(kind: .report, day: "2026-11-02", text: "First line\n\nThird line"),
            .init(kind: .followUp, day: "2026-11-20", text: "Any news?"),
        ])
        #expect(lines.allSatisfy { $0.hasPrefix("#") })
        #expect(lines.contains("# > Report, 2026-11-02:") && lines.contains("# > Follow-up, 2026-11-20:"))
        #expect(lines.contains("# > Third line") && lines.contains("# >"))
    }
}

@Suite struct WorkstationTextsTests {
    @Test func bothCataloguesHoldTheSameKeys_andEveryStatus() {
        #expect(WorkstationTexts.keys(of: "de") == WorkstationTexts.keys(of: "en"))
        for status in CaseStatus.allCases {
            #expect(WorkstationTexts(language: "de").name(of: status) != "status.\(status.rawValue)")
            #expect(WorkstationTexts(language: "en").name(of: status) == status.rawValue)
        }
    }

    @Test func theLanguageFollowsLCAllThenLCMessagesThenLang_englishByDefault() {
        #expect(WorkstationTexts.language(environment: [:]) == "en")
        #expect(WorkstationTexts.language(environment: ["LANG": "C"]) == "en")
        #expect(WorkstationTexts.language(environment: ["LANG": "de_DE.UTF-8"]) == "de")
        #expect(WorkstationTexts.language(environment: ["LANG": "de_DE.UTF-8", "LC_ALL": "en_GB.UTF-8"]) == "en")
        #expect(WorkstationTexts.language(environment: ["LANG": "en_US", "LC_MESSAGES": "de_AT"]) == "de")
        #expect(WorkstationTexts.language(environment: ["LANG": "fr_FR"]) == "en")
        #expect(WorkstationTexts(environment: ["LANG": "de_DE.UTF-8"]).name(of: .closed) == "abgeschlossen")
    }
}

@Suite struct CaseMarksTests {
    let folder: TemporaryFolder
    let store: WorkstationStore
    let a = try! CaseReference(parsing: "7KQM-3XWP")
    let b = try! CaseReference(parsing: "9ABC-DEFG")

    init() throws {
        folder = try TemporaryFolder()
        store = try WorkstationStore(directory: folder.url)
    }

    @Test func aSyncedItem_marksItsCaseChangedAndUnread_showMarksItRead() throws {
        let before = try store.latestChange()
        try store.insert(items: [Fixtures.item(reference: a), Fixtures.item(reference: b)])
        #expect(try store.casesChanged(after: before) == [a, b])
        #expect(try store.unreadCases() == [a, b])
        try store.markRead(a)
        #expect(try store.unreadCases() == [b])

        let second = try store.latestChange()
        try store.insert(items: [Fixtures.item(reference: a, kind: .followUp)])
        #expect(try store.casesChanged(after: second) == [a])
        #expect(try store.unreadCases() == [a, b])
    }

    @Test func anItemAlreadyStored_orSentFromHere_changesNothing() throws {
        let report = Fixtures.item(reference: a)
        try store.insert(items: [report])
        try store.markRead(a)
        let before = try store.latestChange()
        try store.insert(items: [report])
        let reply = Fixtures.item(reference: a, kind: .reply)
        try store.insertSent(reply)
        try store.insert(items: [reply])  // the server's copy of the reply sent from here
        #expect(try store.casesChanged(after: before).isEmpty)
        #expect(try store.unreadCases().isEmpty)
    }

    @Test func repliesDue_andReferences_comeFromTheStore() throws {
        try store.insert(items: [Fixtures.item(reference: a, day: "2026-11-02"), Fixtures.item(reference: a, kind: .reply, day: "2026-11-03"),
                                 Fixtures.item(reference: a, kind: .followUp, day: "2026-11-20"),
                                 Fixtures.item(reference: b, day: "2026-11-21"), Fixtures.item(reference: b, kind: .reply, day: "2026-11-22")])
        let due = try store.repliesDue(dueDays: 7)
        #expect(due[a]?.due == "2026-11-27")
        #expect(due[b]?.due == nil)
        #expect(try store.references() == [a, b])
    }

    @Test func deletingACase_forgetsItsMark_andNumbersAreNotReused() throws {
        try store.insert(items: [Fixtures.item(reference: a)])
        let latest = try store.latestChange()
        try store.deleteCase(a)
        #expect(try store.unreadCases().isEmpty)
        try store.insert(items: [Fixtures.item(reference: b)])
        #expect(try store.casesChanged(after: latest) == [b])
    }
}

@Suite struct TableDropTests {
    @Test func theLeastNeededColumnsGo_whenEvenTheirFloorsDoNotFit() {
        let rows = [["CASE", "STATUS", "ITEMS", "NOTES"], ["7KQM-3XWP", "in-progress", "3", "assigned to Anna; new"]]
        let fitted = TableFit.fit(rows, available: 30, dropping: [2])
        #expect(fitted[0] == ["CASE", "STATUS", "NOTES"])
        #expect(fitted[1][0] == "7KQM-3XWP")
        let line = fitted[1].joined(separator: "   ")
        #expect(line.count <= 30 + 2)
        #expect(TableFit.fit(rows, available: 200, dropping: [2]) == rows)
    }
}
