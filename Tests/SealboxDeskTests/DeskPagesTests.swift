import Foundation
import SealboxCore
import SealboxCrypto
import SealboxL10n
import Testing
@testable import SealboxDesk

@Suite struct DeskPagesTests {
    static let reference = try! CaseReference(parsing: "7KQM-3XWP")

    func pages(_ tag: String) -> DeskPages {
        DeskPages(texts: DeskTexts.localiser(tag: tag)!, formSecret: SecureBytes.random(count: 32), idleMinutes: "15")
    }

    static let thread = DeskThread(
        reference: reference, status: .received, assigned: "Anna", followUp: nil, items: [
            DeskThreadItem(kind: .report, day: Day("2026-11-30")!, author: "reporter", check: .checked,
                           text: "<script>alert(1)</script>\nzweite Zeile", fields: [(key: "when", value: "gestern")]),
            DeskThreadItem(kind: .status, day: Day("2026-11-30")!, author: "team", check: .serverRecord, text: "",
                           caseStatus: .acknowledged),
            DeskThreadItem(kind: .note, day: Day("2026-11-30")!, author: "Ben", check: .failed("forged"), text: "n"),
            DeskThreadItem(kind: .reply, day: Day("2026-11-30")!, author: "Anna", check: .unsigned, text: "r"),
        ])

    @Test(arguments: ["de", "en"])
    func everyPage_hasEveryText(_ tag: String) {
        let pages = pages(tag)
        let today = Day("2026-12-01")!
        let rows = [DeskCaseSummary(reference: Self.reference, status: .received, assigned: nil, lastActivity: today,
                                    awaitingAnswer: true, nextDeadline: DeskDeadline(kind: .acknowledgement, due: today))]
        for html in [pages.signIn(error: "x", locked: true), pages.door(), pages.problem("x", unlocked: true),
                     pages.inbox(rows, today: today), pages.inbox([], today: today), pages.casePage(Self.thread),
                     pages.inbox(Array(repeating: rows[0], count: 250), today: today, page: 2)] {
            #expect(!html.contains("⟦"), "a text is missing in \(tag)")
            #expect(html.contains("<html lang=\"\(tag)\""))
        }
    }

    @Test(arguments: ["de", "en"])
    func theCasePage_tellsEveryClockInWords(_ tag: String) {
        let today = Day.today()
        var thread = Self.thread
        thread.clocks = [DeskDeadline(kind: .acknowledgement, due: today.adding(days: -2)),
                         DeskDeadline(kind: .reply, due: today),
                         DeskDeadline(kind: .agg, due: today.adding(days: 20)),
                         DeskDeadline(kind: .followUp, due: today.adding(days: 3)),
                         DeskDeadline(kind: .retention, due: today.adding(days: 400))]
        let html = pages(tag).casePage(thread)
        #expect(!html.contains("⟦"), "a text is missing in \(tag)")
        let words = tag == "en"
            ? ["Acknowledgement overdue by 2 days", "Reply due today", "AGG: the two months to raise a claim may run for 20 days more",
               "Follow-up in 3 days", "Deleted by retention in 400 days", "not legal advice"]
            : ["Antwort heute fällig", "AGG:", "Löschung nach Aufbewahrungsfrist in 400 Tagen", "keine Rechtsberatung"]
        for text in words { #expect(html.contains(text), "\(text) missing in \(tag)") }
        // The colour class is never the only signal: every clock is a sentence.
        #expect(html.components(separatedBy: "<span class=\"clock clock-").count == 6)
        #expect(html.contains("clock-overdue") && html.contains("clock-due") && html.contains("clock-pending"))
        // No AGG clock, no AGG note.
        thread.clocks.removeAll { $0.kind == .agg }
        #expect(!pages(tag).casePage(thread).contains(tag == "en" ? "not legal advice" : "keine Rechtsberatung"))
    }

    @Test func theInbox_showsAHundredCasesAPage_withLinksToTheOthers() throws {
        let pages = pages("en")
        let today = Day("2026-12-01")!
        let rows = (0..<250).map { n in
            DeskCaseSummary(reference: CaseReference.generate(), status: .received, assigned: nil,
                            lastActivity: today.adding(days: -n), awaitingAnswer: false, nextDeadline: nil)
        }
        func shownRows(_ html: String) -> Int { html.components(separatedBy: "<tr><th scope=\"row\">").count - 1 }
        let first = pages.inbox(rows, today: today)
        #expect(shownRows(first) == 100 && first.contains(rows[0].reference.text) && !first.contains(rows[100].reference.text))
        #expect(first.contains("Cases 1 to 100 of 250") && first.contains("href=\"/?page=2\" rel=\"next\"")
                && !first.contains("rel=\"prev\""))
        let last = pages.inbox(rows, today: today, page: 3)
        #expect(shownRows(last) == 50 && last.contains(rows[249].reference.text) && last.contains("Cases 201 to 250 of 250"))
        #expect(last.contains("href=\"/?page=2\" rel=\"prev\"") && !last.contains("rel=\"next\""))
        // A page past the end, or below 1, shows the nearest page.
        #expect(pages.inbox(rows, today: today, page: 99) == last)
        #expect(shownRows(pages.inbox(rows, today: today, page: -5)) == 100)
        // One page: no pager at all.
        #expect(!pages.inbox(Array(rows.prefix(100)), today: today).contains("class=\"pager\""))
    }

    @Test func casePage_escapesTheReportersText() {
        let html = pages("en").casePage(Self.thread)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Signature checked"))
        #expect(html.contains("Signature missing or wrong: forged"))
    }

    @Test func everyForm_carriesTheTokenOfItsPath() {
        let secret = SecureBytes.random(count: 32)
        let pages = DeskPages(texts: DeskTexts.localiser(tag: "en")!, formSecret: secret, idleMinutes: "15")
        let html = pages.casePage(Self.thread)
        for path in ["/cases/7KQM-3XWP/reply", "/cases/7KQM-3XWP/status", "/cases/7KQM-3XWP/note", "/lock", "/sync"] {
            #expect(html.contains("action=\"\(path)\""))
            #expect(html.contains("value=\"\(DeskDoor.formToken(secret: secret, path: path))\""))
        }
    }

    @Test func clock_isToldInWords() {
        let pages = pages("en")
        let today = Day("2026-12-01")!
        #expect(pages.clockWords(DeskDeadline(kind: .acknowledgement, due: today.adding(days: 2)), today: today).text
            == "Acknowledgement due in 2 days")
        #expect(pages.clockWords(DeskDeadline(kind: .feedback, due: today), today: today).text == "Feedback due today")
        #expect(pages.clockWords(DeskDeadline(kind: .followUp, due: today.adding(days: -1)), today: today)
            == ("Follow-up overdue by 1 day", "overdue"))
        #expect(self.pages("de").clockWords(DeskDeadline(kind: .acknowledgement, due: today.adding(days: 3)), today: today).text
            == "Eingangsbestätigung fällig in 3 Tagen")
    }

    @Test func language_followsTheSettingThenTheBrowser() {
        #expect(DeskTexts.choose(configured: "en", acceptLanguage: "de").language.tag == "en")
        #expect(DeskTexts.choose(configured: nil, acceptLanguage: "fr, en;q=0.8, de;q=0.5").language.tag == "en")
        #expect(DeskTexts.choose(configured: nil, acceptLanguage: "en;q=0.2, de-AT").language.tag == "de")
        #expect(DeskTexts.choose(configured: nil, acceptLanguage: "en;q=0").language.tag == "de")
        #expect(DeskTexts.choose(configured: nil, acceptLanguage: nil).language.tag == "de")
    }

    @Test func catalogues_loadBothLanguages() {
        #expect(DeskTexts.catalogues.languages.map(\.tag).sorted() == ["de", "en"])
    }
}
