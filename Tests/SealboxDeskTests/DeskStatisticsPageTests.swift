import Foundation
import SealboxCore
import SealboxCrypto
import SealboxL10n
import SealboxWorkstation
import Testing
@testable import SealboxDesk

@Suite struct DeskStatisticsPageTests {
    func pages(_ tag: String) -> DeskPages {
        DeskPages(texts: DeskTexts.localiser(tag: tag)!, formSecret: SecureBytes.random(count: 32), idleMinutes: "15")
    }

    static let today = Day("2026-12-01")!
    static let period = DeskStatisticsPeriod(from: "2026", to: nil, today: today)!

    /// 12 cases: area work 6, education hidden (secondary), housing hidden (1).
    static func figures(minCell: Int = 5) -> DeskStatistics {
        let area = SuppressedTable(oneWay: [6, 5, 1], total: 12, minCell: minCell).cells[0]
        return DeskStatistics(
            scheme: try! CodingScheme.load(), minCell: minCell, total: .shown(12),
            tables: [.area: zip(["work", "education", "housing"], area).map { DeskStatistics.Row(id: $0, count: $1) },
                     .grounds: [.init(id: "racism", count: .shown(7)), .init(id: "religion", count: .shown(6))],
                     .level: [.init(id: "(not coded)", count: .shown(12))]],
            months: [(month: try! Month(parsing: "2026-11"), count: .shown(12))], skipped: 2)
    }

    // MARK: Period

    @Test func aYearIsItsTwelveMonths_andNothingGivenIsTheCurrentYear() throws {
        let year = try #require(DeskStatisticsPeriod(from: "2025", to: "", today: Self.today))
        #expect(year.from.text == "2025-01" && year.to.text == "2025-12")
        let none = try #require(DeskStatisticsPeriod(from: nil, to: nil, today: Self.today))
        #expect(none.from.text == "2026-01" && none.to.text == "2026-12" && none.fromText == "2026")
        let months = try #require(DeskStatisticsPeriod(from: "2024-03", to: "2025", today: Self.today))
        #expect(months.from.text == "2024-03" && months.to.text == "2025-12")
        let onlyTo = try #require(DeskStatisticsPeriod(from: nil, to: "2024-05", today: Self.today))
        #expect(onlyTo.from.text == "2024-01" && onlyTo.to.text == "2024-05")
        #expect(months.query == "from=2024-03&to=2025-12")
    }

    @Test(arguments: ["2026-13", "2026-00", "abc", "26", "2026-1", "20261", "0000", "-202", "2026-05x", "２０２６"])
    func aValueThatIsNeitherAYearNorAMonth_isRefused(_ value: String) {
        #expect(DeskStatisticsPeriod(from: value, to: nil, today: Self.today) == nil)
        #expect(DeskStatisticsPeriod(from: nil, to: value, today: Self.today) == nil)
    }

    @Test func toBeforeFrom_isRefused() {
        #expect(DeskStatisticsPeriod(from: "2026-05", to: "2026-04", today: Self.today) == nil)
        #expect(DeskStatisticsPeriod(from: "2026", to: "2025", today: Self.today) == nil)
        #expect(DeskStatisticsPeriod(from: "2026-05", to: "2026-05", today: Self.today) != nil)
    }

    // MARK: Page

    @Test(arguments: ["de", "en"])
    func everyStatisticsAuditAndTeamPage_hasEveryText(_ tag: String) {
        let pages = pages(tag)
        let team = DeskTeam(members: [
            .init(label: "Lena", role: .lead, keyID: "ab", active: true, since: 0, isYou: true),
            .init(label: "Anna", role: .counsellor, keyID: "cd", active: false, since: 1, isYou: false),
        ], epoch: 2, seq: 3, youAreLead: true)
        let entry = DeskAudit.Entry(day: Self.today, member: "Lena", action: .status(.closed), reference: nil)
        let actions: [AuditAction] = [.reply, .delete, .deleteRequest, .deleteConfirm, .deleteExpired, .retentionDelete, .sync,
                                      .read, .status(.received), .caseWork(.note), .caseWork(.coding), .caseWork(.caseData),
                                      .retain(until: Self.today), .roster(seq: 4)]
        let entries = actions.map { DeskAudit.Entry(day: Self.today, member: nil, action: $0, reference: nil) }
        for html in [pages.statistics(Self.figures(), period: Self.period, fromField: "2026", toField: ""),
                     pages.statistics(Self.figures(), period: Self.period, fromField: "2026", toField: "", printable: true),
                     pages.statistics(nil, period: nil, fromField: "x", toField: "", message: pages.notice("x", error: true)),
                     pages.statisticsCSV(Self.figures(), period: Self.period),
                     pages.audit(DeskAudit(entries: entries, verdict: .verified(head: "00"))),
                     pages.audit(DeskAudit(entries: [entry], verdict: .broken(index: 0, reason: .hash))),
                     pages.audit(DeskAudit(entries: [entry], verdict: .broken(index: 0, reason: .prev))),
                     pages.audit(DeskAudit(entries: [entry], verdict: .broken(index: 0, reason: .order))),
                     pages.audit(DeskAudit(entries: [], verdict: .pinRefused("rolled back"))),
                     pages.team(team), pages.team(DeskTeam(members: team.members, epoch: 0, seq: 3, youAreLead: false)),
                     pages.teamConfirm(.remove(label: "Anna")), pages.teamConfirm(.rotate)] {
            #expect(!html.contains("⟦"), "a text is missing in \(tag)")
        }
    }

    @Test func hiddenCounts_showAsFewerThanMinCell_inTheTable() {
        let html = pages("en").statistics(Self.figures(), period: Self.period, fromField: "2026", toField: "")
        #expect(html.contains("<th scope=\"row\">Work and employment</th><td class=\"num\">6</td>"))
        #expect(html.contains("<th scope=\"row\">Education</th><td class=\"num\">&lt; 5</td>"))
        #expect(html.contains("<th scope=\"row\">Housing</th><td class=\"num\">&lt; 5</td>"))
        #expect(html.contains("Cases naming this value") && html.contains("(not coded)"))
        #expect(html.contains("2 statistic records were not counted"))
        #expect(html.contains("href=\"/statistics.csv?from=2026-01&amp;to=2026-12\""))
    }

    @Test func theChart_drawsABarOnlyForShownCounts_andHasTitleDescAndPattern() {
        let pages = pages("en")
        let tables = pages.statisticsTables(Self.figures())
        let area = tables.first { $0.id == "area" }!
        let svg = String(describing: pages.chart(area, index: 3, minCell: 5))
        #expect(svg.components(separatedBy: "<rect x=\"0\"").count - 1 == 1)
        #expect(svg.contains("role=\"img\" aria-labelledby=\"chart-3-title chart-3-desc\""))
        #expect(svg.contains("<title id=\"chart-3-title\">Bar chart: Area of life</title>"))
        #expect(svg.contains("Housing: &lt; 5") && svg.contains("Work and employment: 6"))
        #expect(svg.contains("fill=\"url(#hatch-3)\""))
        #expect(svg.components(separatedBy: "&lt; 5</text>").count - 1 == 2)
    }

    @Test func theCSV_hasAHeaderRowAndTheTablesFigures() {
        let csv = pages("en").statisticsCSV(Self.figures(), period: Self.period)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "Table,Value,Cases,From,To")
        #expect(lines.contains("Area of life,Work and employment,6,2026-01,2026-12"))
        #expect(lines.contains("Area of life,Housing,< 5,2026-01,2026-12"))
        #expect(lines.contains("Area of life,All cases,12,2026-01,2026-12"))
        #expect(lines.contains("Grounds of discrimination,Racism / ethnic origin,7,2026-01,2026-12"))
        #expect(csv.hasSuffix("\r\n"))
    }

    @Test func aCSVField_isQuotedAndNeverAFormula() {
        #expect(DeskPages.csvField("plain") == "plain")
        #expect(DeskPages.csvField("a, b") == "\"a, b\"")
        #expect(DeskPages.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(DeskPages.csvField("=SUM(A1)") == "'=SUM(A1)")
        #expect(DeskPages.csvField("-1") == "'-1")
        #expect(DeskPages.csvField("< 5") == "< 5")
    }

    @Test func noCodedCase_saysSo_andDrawsNoChart() {
        let empty = DeskStatistics(scheme: try! CodingScheme.load(), minCell: 5, total: .shown(0), tables: [:], months: [],
                                   skipped: 0)
        let html = pages("en").statistics(empty, period: Self.period, fromField: "2026", toField: "")
        #expect(html.contains("There are no coded cases in this period.") && !html.contains("<svg"))
    }

    // MARK: Audit and team

    @Test func aBrokenChain_isSaidInWords_notOnlyByColour() {
        let entry = DeskAudit.Entry(day: Self.today, member: "Lena", action: .roster(seq: 1), reference: nil)
        let html = pages("en").audit(DeskAudit(entries: [entry], verdict: .broken(index: 0, reason: .hash)))
        #expect(html.contains("✗ Broken:") && html.contains("The chain is broken at entry 1 of 1 (2026-12-01 changed the team (entry 1))"))
        #expect(html.contains("role=\"alert\"") && !html.contains("Verified:"))
        let ok = pages("en").audit(DeskAudit(entries: [entry], verdict: .verified(head: "abcd")))
        #expect(ok.contains("✓ Verified:") && ok.contains("1 entries verified") && ok.contains("Its head is abcd."))
    }

    @Test func aCounsellor_seesNoForm_andIsToldOnlyLeadsMayChangeTheTeam() {
        let member = DeskTeam.Member(label: "Anna", role: .counsellor, keyID: "cd", active: true, since: 1, isYou: true)
        let html = pages("en").team(DeskTeam(members: [member], epoch: 0, seq: 1, youAreLead: false))
        #expect(html.contains("Only leads may change the team.") && !html.contains("<form method=\"post\" action=\"/team/"))
        #expect(html.contains("Anna (you)"))
        let lead = pages("en").team(DeskTeam(members: [member], epoch: 0, seq: 1, youAreLead: true))
        #expect(lead.contains("action=\"/team/add\"") && lead.contains("action=\"/team/rotate\""))
        // One's own label is not offered for removal.
        #expect(!lead.contains("<option value=\"Anna\">"))
    }

    @Test func theConfirmationPage_postsToTheConfirmPath_withTheLabel() {
        let html = pages("en").teamConfirm(.remove(label: "Eve <x>"))
        #expect(html.contains("action=\"/team/remove/confirm\"") && html.contains("value=\"Eve &lt;x&gt;\""))
        #expect(html.contains("Please confirm:") && html.contains("href=\"/team\""))
    }
}
