// The statistics page, its printable form and its CSV (docs/design/DESK.md §7). Every
// count is as published by SuppressedTable: a hidden count is "< N" in the table, the
// CSV and the chart, and a chart never draws a bar for it (its length would give the
// number away). Charts are inline SVG with <title> and <desc>, a hatch pattern and the
// number written beside every bar, so that they read without colour; the table next to
// each chart is its text alternative. Multi-valued dimensions (grounds, interventions)
// say "cases naming this value", and their total is the number of cases, not the sum.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n
import SealboxWorkstation

extension DeskPages {
    /// The statistics page for `period`; `figures` nil shows only the form (with `message`).
    func statistics(_ figures: DeskStatistics?, period: DeskStatisticsPeriod?, fromField: String, toField: String,
                    message: HTML = .empty, printable: Bool = false) -> String {
        let heading = texts["stats.heading"]
        var main: HTML = "<h1>\(escaping: heading)</h1>\n"
        if printable, let period {
            main += "<p>\(escaping: texts.format("stats.period", period.from.text, period.to.text))</p>\n"
        } else {
            let invalid: HTML = figures == nil && !message.markup.isEmpty ? " aria-invalid=\"true\"" : .empty
            main += """
                <form method="get" action="/statistics" class="period">
                <fieldset><legend>\(t("stats.period.legend"))</legend>
                <p id="period-hint">\(t("stats.period.hint"))</p>
                <p><label for="from">\(t("stats.from"))</label>
                <input type="text" id="from" name="from" value="\(escaping: fromField)" size="8" \
                aria-describedby="period-hint"\(invalid)></p>
                <p><label for="to">\(t("stats.to"))</label>
                <input type="text" id="to" name="to" value="\(escaping: toField)" size="8" \
                aria-describedby="period-hint"\(invalid)></p>
                <p><button type="submit">\(t("stats.show"))</button></p>
                </fieldset>
                </form>

                """
        }
        guard let figures, let period else {
            return layout(title: heading, unlocked: true, message: message, main)
        }
        let count = figures.total.text(minCell: figures.minCell)
        main += "<p class=\"stats-total\">\(escaping: texts.format("stats.total", period.from.text, period.to.text, count))</p>\n"
        if !printable {
            main += """
                <ul class="stats-links">\
                <li><a href="/statistics.csv?\(escaping: period.query)" download>\(t("stats.csv"))</a></li>\
                <li><a href="/statistics/print?\(escaping: period.query)">\(t("stats.print"))</a></li></ul>

                """
        }
        if figures.skipped > 0 {
            main += "<p>\(escaping: texts.format("stats.skipped", String(figures.skipped)))</p>\n"
        }
        if figures.minCell > 1 {
            main += "<p class=\"stats-note\">\(escaping: texts.format("stats.suppressed", String(figures.minCell)))</p>\n"
        }
        if figures.total == .shown(0) {
            main += "<p>\(t("stats.none"))</p>\n"
            return layout(title: heading, unlocked: !printable, message: message, main)
        }
        for (index, table) in statisticsTables(figures).enumerated() {
            main += section(table, index: index, figures: figures)
        }
        return layout(title: heading, unlocked: !printable, message: message, main)
    }

    /// One table as the page, the chart and the CSV show it.
    struct StatisticsTable {
        /// The dimension's id (`month` for the months).
        var id: String
        var title: String
        var multiple: Bool
        var rows: [(label: String, count: PublishedCount)]
        var total: PublishedCount
    }

    /// The six dimensions in the scheme's order, then the months.
    func statisticsTables(_ figures: DeskStatistics) -> [StatisticsTable] {
        let language = texts.language.tag
        var tables: [StatisticsTable] = []
        for dimension in CodingScheme.Dimension.allCases {
            let title = figures.scheme.dimensionLabels[dimension]?[language] ?? dimension.rawValue
            let rows = (figures.tables[dimension] ?? []).map { row in
                (label: label(row.id, of: dimension, scheme: figures.scheme), count: row.count)
            }
            tables.append(StatisticsTable(id: dimension.rawValue, title: title, multiple: dimension.multiple, rows: rows,
                                          total: figures.total))
        }
        tables.append(StatisticsTable(id: "month", title: texts["stats.months"], multiple: false,
                                      rows: figures.months.map { (label: $0.month.text, count: $0.count) },
                                      total: figures.total))
        return tables
    }

    private func label(_ id: String, of dimension: CodingScheme.Dimension, scheme: CodingScheme) -> String {
        if id == "(not coded)" { return texts["stats.not_coded"] }
        return scheme.value(id, of: dimension)?.label(texts.language.tag) ?? id
    }

    private func section(_ table: StatisticsTable, index: Int, figures: DeskStatistics) -> HTML {
        let headingID = "stats-\(table.id)"
        let column = table.multiple ? texts["stats.col.naming"] : texts["stats.col.cases"]
        var out: HTML = """
            <section class="stats" aria-labelledby="\(escaping: headingID)">
            <h2 id="\(escaping: headingID)">\(escaping: table.title)</h2>

            """
        if table.multiple { out += "<p>\(t("stats.multiple"))</p>\n" }
        out += chart(table, index: index, minCell: figures.minCell)
        out += """
            <table class="stats-table">
            <caption>\(escaping: texts.format("stats.caption", table.title))</caption>
            <thead><tr><th scope="col">\(escaping: table.title)</th><th scope="col" class="num">\(escaping: column)</th></tr></thead>
            <tbody>

            """
        for row in table.rows {
            out += "<tr><th scope=\"row\">\(escaping: row.label)</th>"
                + "<td class=\"num\">\(escaping: row.count.text(minCell: figures.minCell))</td></tr>\n"
        }
        out += """
            </tbody>
            <tfoot><tr><th scope="row">\(t("stats.all_cases"))</th>\
            <td class="num">\(escaping: table.total.text(minCell: figures.minCell))</td></tr></tfoot>
            </table>
            </section>

            """
        return out
    }

    /// A horizontal bar chart: a hatched bar and its number for each shown count, only the
    /// words "< N" (no bar) for a hidden one.
    func chart(_ table: StatisticsTable, index: Int, minCell: Int) -> HTML {
        let width = 640, labelHeight = 18, barHeight = 16, rowHeight = 42, barSpace = 520
        let height = max(1, table.rows.count) * rowHeight
        let largest = max(1, table.rows.compactMap { $0.count.value }.max() ?? 1)
        let titleID = "chart-\(index)-title", descID = "chart-\(index)-desc", patternID = "hatch-\(index)"
        var description = texts.format("stats.chart.desc", table.title) + " "
        description += table.rows.map { "\($0.label): \($0.count.text(minCell: minCell))" }.joined(separator: "; ")
        var out: HTML = """
            <svg class="chart" role="img" aria-labelledby="\(escaping: titleID) \(escaping: descID)" \
            viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" xmlns="http://www.w3.org/2000/svg">
            <title id="\(escaping: titleID)">\(escaping: texts.format("stats.chart.title", table.title))</title>
            <desc id="\(escaping: descID)">\(escaping: description)</desc>
            <defs><pattern id="\(escaping: patternID)" width="6" height="6" patternUnits="userSpaceOnUse" \
            patternTransform="rotate(45)"><rect width="6" height="6" class="bar-bg"/>\
            <line x1="0" y1="0" x2="0" y2="6" class="bar-hatch" stroke-width="3"/></pattern></defs>

            """
        for (row, entry) in table.rows.enumerated() {
            let top = row * rowHeight
            out += "<text x=\"0\" y=\"\(top + labelHeight - 4)\" class=\"chart-label\">\(escaping: entry.label)</text>"
            if let value = entry.count.value {
                let length = value == 0 ? 0 : max(2, value * barSpace / largest)
                out += "<rect x=\"0\" y=\"\(top + labelHeight)\" width=\"\(length)\" height=\"\(barHeight)\" "
                    + "fill=\"url(#\(escaping: patternID))\" class=\"bar\"/>"
                out += "<text x=\"\(length + 6)\" y=\"\(top + labelHeight + barHeight - 3)\" class=\"chart-value\">\(value)</text>\n"
            } else {
                out += "<text x=\"0\" y=\"\(top + labelHeight + barHeight - 3)\" class=\"chart-value chart-hidden\">"
                    + "\(escaping: PublishedCount.hidden.text(minCell: minCell))</text>\n"
            }
        }
        return out + "</svg>\n"
    }

    // MARK: CSV

    /// The figures as CSV (RFC 4180, UTF-8, CRLF): a header row, then one row per value of
    /// each table and one per table for all cases; hidden counts as "< N".
    func statisticsCSV(_ figures: DeskStatistics, period: DeskStatisticsPeriod) -> String {
        var lines = [[texts["stats.csv.table"], texts["stats.csv.value"], texts["stats.csv.cases"],
                      texts["stats.csv.from"], texts["stats.csv.to"]]]
        for table in statisticsTables(figures) {
            for row in table.rows {
                lines.append([table.title, row.label, row.count.text(minCell: figures.minCell), period.from.text, period.to.text])
            }
            lines.append([table.title, texts["stats.all_cases"], table.total.text(minCell: figures.minCell),
                          period.from.text, period.to.text])
        }
        return lines.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// One CSV field: quoted when it holds a comma, quote or line break; a leading = + - @
    /// gets an apostrophe so that a spreadsheet does not take it for a formula.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
