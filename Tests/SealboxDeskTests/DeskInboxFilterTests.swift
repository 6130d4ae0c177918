import Foundation
import SealboxCore
import SealboxCrypto
import SealboxL10n
import Testing
@testable import SealboxDesk

@Suite struct DeskInboxFilterTests {
    static let today = Day("2026-12-01")!

    static func row(_ text: String, status: CaseStatus = .received, assigned: String? = nil, mine: Bool = false,
                    unread: Bool = false, due: Day? = nil, replyDue: Day? = nil, grounds: [String] = [],
                    area: String? = nil) -> DeskCaseSummary {
        var row = DeskCaseSummary(reference: try! CaseReference(parsing: text), status: status, assigned: assigned,
                                  lastActivity: today, awaitingAnswer: replyDue != nil,
                                  nextDeadline: due.map { DeskDeadline(kind: .feedback, due: $0) })
        row.assignedToMe = mine
        row.unread = unread
        row.replyDue = replyDue
        row.grounds = grounds
        row.area = area
        return row
    }

    static let rows = [
        row("7KQM-3XWP", assigned: "you", mine: true, unread: true, grounds: ["racism"], area: "housing"),
        row("9HTR-2MVB", status: .inProgress, assigned: "Ben", due: Day("2026-12-20")!, grounds: ["age", "racism"], area: "work"),
        row("4CDE-5FGH", status: .closed, due: Day("2026-11-20")!),
        row("6JKM-7NPQ", replyDue: Day("2026-12-05")!),
    ]

    func filter(_ query: [(String, String)]) throws -> DeskInboxFilter {
        try DeskInboxFilter(parameters: query.map { (name: $0.0, value: $0.1) })
    }

    func matching(_ query: [(String, String)]) throws -> [String] {
        let filter = try filter(query)
        return Self.rows.filter { filter.matches($0, today: Self.today) }.map(\.reference.text)
    }

    @Test func eachFilter_keepsOnlyTheRowsItNames() throws {
        #expect(try matching([]) == Self.rows.map(\.reference.text))
        #expect(try matching([("assigned", "mine")]) == ["7KQM-3XWP"])
        #expect(try matching([("assigned", "unassigned")]) == ["4CDE-5FGH", "6JKM-7NPQ"])
        #expect(try matching([("status", "in-progress")]) == ["9HTR-2MVB"])
        #expect(try matching([("new", "1")]) == ["7KQM-3XWP"])
        #expect(try matching([("ground", "racism")]) == ["7KQM-3XWP", "9HTR-2MVB"])
        #expect(try matching([("area", "work")]) == ["9HTR-2MVB"])
        #expect(try matching([("due", "0")]) == ["4CDE-5FGH"])
        #expect(try matching([("due", "7")]) == ["4CDE-5FGH", "6JKM-7NPQ"])
        #expect(try matching([("due", "30")]) == ["9HTR-2MVB", "4CDE-5FGH", "6JKM-7NPQ"])
    }

    @Test func filters_combine() throws {
        #expect(try matching([("ground", "racism"), ("status", "in-progress")]) == ["9HTR-2MVB"])
        #expect(try matching([("ground", "racism"), ("assigned", "unassigned")]).isEmpty)
        #expect(try matching([("assigned", "", ), ("status", "")]).count == 4)
    }

    @Test(arguments: [
        ("assigned", "someone", DeskInboxFilter.Problem.assigned), ("due", "-1", .due), ("due", "367", .due),
        ("due", "soon", .due), ("new", "yes", .new), ("status", "open", .status), ("ground", "Racism!", .ground),
        ("area", String(repeating: "a", count: 65), .area), ("q", String(repeating: "x", count: 201), .search),
        ("page", "0", .page), ("page", "two", .page),
    ])
    func badValue_isRefusedWithItsReason(_ name: String, _ value: String, _ problem: DeskInboxFilter.Problem) {
        #expect(throws: problem) { try DeskInboxFilter(parameters: [(name: name, value: value)]) }
    }

    @Test func link_keepsEveryFilterAndEncodesTheSearch() throws {
        let filter = try filter([("assigned", "mine"), ("due", "7"), ("new", "1"), ("status", "closed"),
                                 ("ground", "racism"), ("area", "work"), ("q", "Müller & Co")])
        #expect(filter.link(page: 2)
                == "/?assigned=mine&due=7&new=1&status=closed&ground=racism&area=work&q=M%C3%BCller%20%26%20Co&page=2")
        #expect(DeskInboxFilter().link(page: 1) == "/")
        #expect(DeskInboxFilter().link(page: 3) == "/?page=3")
    }

    @Test(arguments: ["de", "en"])
    func filteredPage_captionCountsTheMatchesAndThePagerKeepsTheFilters(_ tag: String) throws {
        let pages = DeskPages(texts: DeskTexts.localiser(tag: tag)!, formSecret: SecureBytes.random(count: 32), idleMinutes: "15")
        let many = (0..<150).map { _ in Self.rows[0] }
        var view = DeskInboxView(filter: try filter([("assigned", "mine")]))
        view.grounds = ["racism"]
        let html = pages.inbox(many, total: 400, view: view, today: Self.today)
        #expect(html.contains(pages.texts.format("filter.caption", "150", "400")))
        #expect(html.contains("href=\"/?assigned=mine&amp;page=2\""))
        #expect(html.contains("<option value=\"mine\" selected>"))
        #expect(html.contains("<option value=\"racism\">racism</option>"))
        let none = pages.inbox([], total: 400, view: view, today: Self.today)
        #expect(none.contains(pages.texts["filter.nothing"]))
    }

    @Test(arguments: ["de", "en"])
    func searchedPage_showsTheMatchedWordsAndTheIndexState(_ tag: String) throws {
        let pages = DeskPages(texts: DeskTexts.localiser(tag: tag)!, formSecret: SecureBytes.random(count: 32), idleMinutes: "15")
        var view = DeskInboxView(filter: try filter([("q", "mül")]))
        view.search = DeskSearchResult(state: .incomplete, matches: [Self.rows[0].reference: ["muller"]])
        let html = pages.inbox([Self.rows[0]], total: 4, view: view, today: Self.today)
        #expect(html.contains("<td>muller</td>"))
        #expect(html.contains(pages.texts["search.words"]))
        #expect(html.contains(pages.texts["search.state.incomplete"]))
        #expect(html.contains("value=\"mül\""))
    }
}
