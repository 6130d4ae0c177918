// The inbox page with its filters and search (docs/design/DESK.md §5): a GET form
// (no script needed), the table of the matching cases with a caption that says how
// many match, the words a search matched, and a pager whose links keep the filters.
import SealboxCore
import SealboxHTML
import SealboxL10n

/// What the inbox shows besides the rows.
struct DeskInboxView {
    var filter = DeskInboxFilter()
    /// The grounds and areas the cases' codings carry, for the filter's choices.
    var grounds: [String] = []
    var areas: [String] = []
    /// The search's answer when a search text was given.
    var search: DeskSearchResult?
}

extension DeskPages {
    /// The inbox of `rows` (already filtered) out of `total` cases, page `view.filter.page`.
    func inbox(_ rows: [DeskCaseSummary], total: Int, view: DeskInboxView, today: Day, message: HTML = .empty) -> String {
        var main: HTML = "<h1>\(t("inbox.heading"))</h1>\n"
        if total == 0 {
            main += "<p>\(t("inbox.empty"))</p>"
            return layout(title: texts["inbox.heading"], unlocked: true, message: message, main)
        }
        main += filterForm(view)
        var notices = message
        if let search = view.search, search.state != .complete {
            notices += notice(texts["search.state." + search.state.rawValue], error: false)
        }
        let filter = view.filter
        guard !rows.isEmpty else {
            main += "<p role=\"status\">\(t("filter.nothing"))</p>"
            return layout(title: texts["inbox.heading"], unlocked: true, message: notices, main)
        }
        let size = Self.inboxPageSize
        let pageCount = (rows.count + size - 1) / size
        let page = min(max(filter.page, 1), pageCount)
        let first = (page - 1) * size
        let cases = rows[first..<min(first + size, rows.count)]
        var pager = HTML.empty
        if pageCount > 1 {
            let shown = texts.format("inbox.shown", String(first + 1), String(first + cases.count), String(rows.count))
            var links = HTML.empty
            if page > 1 {
                links += "<li><a href=\"\(escaping: filter.link(page: page - 1))\" rel=\"prev\">\(t("inbox.previous"))</a></li>"
            }
            if page < pageCount {
                links += "<li><a href=\"\(escaping: filter.link(page: page + 1))\" rel=\"next\">\(t("inbox.next"))</a></li>"
            }
            pager = "<nav class=\"pager\" aria-label=\"\(t("inbox.pages"))\"><p>\(escaping: shown)</p><ul>\(links)</ul></nav>\n"
        }
        main += pager
        let caption = filter.isActive ? texts.format("filter.caption", String(rows.count), String(total)) : texts["inbox.caption"]
        let matched = view.search != nil
        let wordsHeader: HTML = matched ? "<th scope=\"col\">\(t("search.words"))</th>" : .empty
        main += """
            <div class="table-scroll" role="region" aria-labelledby="inbox-caption" tabindex="0">
            <table class="inbox">
            <caption id="inbox-caption">\(escaping: caption)</caption>
            <thead><tr><th scope="col">\(t("col.reference"))</th><th scope="col">\(t("col.status"))</th>\
            <th scope="col">\(t("col.assigned"))</th><th scope="col">\(t("col.activity"))</th>\
            <th scope="col">\(t("col.new"))</th><th scope="col">\(t("col.clock"))</th>\(wordsHeader)</tr></thead>
            <tbody>

            """
        for row in cases {
            let ref = row.reference.text
            let clock = row.nextDeadline.map { clockWords($0, today: today) }
            let clockCell: HTML = clock.map { words -> HTML in
                "<span class=\"clock clock-\(escaping: words.state)\">\(escaping: words.text)</span>"
            } ?? t("inbox.none")
            var wordsCell = HTML.empty
            if matched {
                let words = (view.search?.matches[row.reference] ?? []).sorted().prefix(10).joined(separator: ", ")
                wordsCell = "<td>\(escaping: words)</td>"
            }
            main += """
                <tr><th scope="row"><a href="/cases/\(escaping: ref)">\(escaping: ref)</a></th>\
                <td>\(escaping: statusName(row.status))</td>\
                <td>\(escaping: row.assigned ?? texts["inbox.nobody"])</td>\
                <td><time datetime="\(escaping: row.lastActivity.text)">\(escaping: row.lastActivity.text)</time></td>\
                <td>\(row.awaitingAnswer ? "<strong class=\"new\">\(t("inbox.new"))</strong>" : HTML.empty)</td>\
                <td>\(clockCell)</td>\(wordsCell)</tr>

                """
        }
        main += "</tbody>\n</table>\n</div>\n"
        main += pager
        return layout(title: texts["inbox.heading"], unlocked: true, message: notices, main)
    }

    /// The filter form (GET): search text, assignment, due, status, ground, area, new.
    func filterForm(_ view: DeskInboxView) -> HTML {
        let filter = view.filter
        func option(_ value: String, _ label: String, selected: Bool) -> HTML {
            "<option value=\"\(escaping: value)\"\(selected ? " selected" : HTML.empty)>\(escaping: label)</option>"
        }
        func select(_ name: String, _ options: HTML) -> HTML {
            "<p><label for=\"f-\(escaping: name)\">\(t("filter." + name))</label>\n"
                + "<select id=\"f-\(escaping: name)\" name=\"\(escaping: name)\">\(options)</select></p>\n"
        }
        var assigned = option("", texts["filter.any"], selected: filter.assignment == nil)
        for choice in DeskInboxFilter.Assignment.allCases {
            assigned += option(choice.rawValue, texts["filter.assigned." + choice.rawValue], selected: filter.assignment == choice)
        }
        var dueDays = [0, 7, 14, 30]
        if let days = filter.dueWithinDays, !dueDays.contains(days) { dueDays.append(days); dueDays.sort() }
        var due = option("", texts["filter.any"], selected: filter.dueWithinDays == nil)
        for days in dueDays {
            let label = days == 0 ? texts["filter.due.today"] : texts.format("filter.due.within", String(days))
            due += option(String(days), label, selected: filter.dueWithinDays == days)
        }
        var status = option("", texts["filter.any"], selected: filter.status == nil)
        for choice in CaseStatus.allCases {
            status += option(choice.rawValue, statusName(choice), selected: filter.status == choice)
        }
        var grounds = option("", texts["filter.any"], selected: filter.ground == nil)
        for code in view.grounds { grounds += option(code, code, selected: filter.ground == code) }
        var areas = option("", texts["filter.any"], selected: filter.area == nil)
        for code in view.areas { areas += option(code, code, selected: filter.area == code) }
        let checked: HTML = filter.onlyNew ? " checked" : .empty
        return """
            <form method="get" action="/" class="filters" role="search" aria-labelledby="filters-h">
            <h2 id="filters-h">\(t("filter.heading"))</h2>
            <p><label for="f-q">\(t("filter.q"))</label>
            <input type="search" id="f-q" name="q" maxlength="\(DeskInboxFilter.longestSearch)" \
            value="\(escaping: filter.search ?? "")" aria-describedby="f-q-hint">
            <span id="f-q-hint" class="hint">\(t("filter.q_hint"))</span></p>

            """
            + select("assigned", assigned) + select("due", due) + select("status", status)
            + select("ground", grounds) + select("area", areas)
            + """
            <p><input type="checkbox" id="f-new" name="new" value="1"\(checked)> <label for="f-new">\(t("filter.new"))</label></p>
            <p><button type="submit">\(t("filter.submit"))</button> <a href="/">\(t("filter.reset"))</a></p>
            </form>

            """
    }
}
