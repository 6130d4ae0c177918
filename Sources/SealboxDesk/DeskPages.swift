// The desk's pages: server-rendered, semantic HTML built with SealboxHTML (escaping by
// construction), one layout and one stylesheet, no script. Every form posts with its
// form token and is answered with a redirect (303). Decrypted text is put into the page
// of the one request that asked for it and kept nowhere else.
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n

/// Builds the desk's pages in one language.
struct DeskPages {
    let texts: Localiser
    /// The session secret that keys the form tokens; nil before the start address was used.
    let formSecret: SecureBytes?
    let idleMinutes: String

    func t(_ key: String) -> HTML { HTML(escaping: texts[key]) }

    /// The one layout: skip link, navigation (with Lock when unlocked), main.
    func layout(title: String, unlocked: Bool, message: HTML = .empty, _ main: HTML) -> String {
        var nav = HTML.empty
        if unlocked {
            nav = """
                <nav aria-label="\(t("nav.label"))"><ul>\
                <li><a href="/">\(t("nav.inbox"))</a></li>\
                <li><a href="/statistics">\(t("nav.statistics"))</a></li>\
                <li><a href="/audit">\(t("nav.audit"))</a></li>\
                <li><a href="/team">\(t("nav.team"))</a></li>\
                <li>\(form(path: "/sync", button: texts["nav.sync"]))</li>\
                <li>\(form(path: "/lock", button: texts["nav.lock"]))</li>\
                </ul></nav>
                """
        }
        let page: HTML = """
            <!DOCTYPE html>
            <html lang="\(escaping: texts.language.htmlLang)" dir="\(escaping: texts.language.direction)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escaping: title) – \(t("desk.title"))</title>
            <link rel="stylesheet" href="/desk.css">
            </head>
            <body>
            <a class="skip" href="#main">\(t("desk.skip"))</a>
            <header><p class="brand">\(t("desk.title"))</p>\(nav)</header>
            <main id="main">
            \(message)\(main)
            </main>
            </body>
            </html>

            """
        return page.markup
    }

    /// A form of one button that posts to `path` with its token.
    func form(path: String, button: String, extra: HTML = .empty) -> HTML {
        """
        <form method="post" action="\(escaping: path)">\(tokenField(path))\(extra)\
        <button type="submit">\(escaping: button)</button></form>
        """
    }

    func tokenField(_ path: String) -> HTML {
        guard let formSecret else { return .empty }
        return "<input type=\"hidden\" name=\"token\" value=\"\(escaping: DeskDoor.formToken(secret: formSecret, path: path))\">"
    }

    /// A message above the page: an error (role alert) or a confirmation (role status).
    func notice(_ text: String, error: Bool) -> HTML {
        error ? "<div class=\"error\" role=\"alert\"><p>\(escaping: text)</p></div>\n"
              : "<div class=\"done\" role=\"status\"><p>\(escaping: text)</p></div>\n"
    }

    /// The inbox's line on the background sync (a status region, read out when it changes).
    func syncLine(_ state: DeskSyncState) -> HTML {
        let text: String
        switch state {
        case .never: text = texts["sync.never"]
        case .running: text = texts["sync.running"]
        case .done(let minutes, let count):
            text = minutes < 1 ? texts.format("sync.done.now", String(count))
                               : texts.format("sync.done", String(minutes), String(count))
        case .failed(let minutes, let failure):
            text = (minutes < 1 ? texts["sync.failed.now"] : texts.format("sync.failed", String(minutes)))
                + " " + failureText(failure)
        }
        let failed: HTML = if case .failed = state { " sync-failed" } else { .empty }
        return "<p class=\"sync-state\(failed)\" role=\"status\">\(escaping: text)</p>\n"
    }

    /// The localised words of a failure, with its details.
    func failureText(_ failure: DeskFailure) -> String {
        var text = texts["error." + failure.kind.rawValue]
        if let detail = failure.detail, !detail.isEmpty { text += " " + texts.format("error.details", detail) }
        return text
    }

    // MARK: Sign-in, door, errors

    func signIn(error: String? = nil, locked: Bool = false) -> String {
        var message = HTML.empty
        if let error { message += notice(error, error: true) }
        if locked { message += notice(texts["signin.locked"], error: false) }
        let invalid: HTML = error != nil ? " aria-invalid=\"true\"" : .empty
        let main: HTML = """
            <h1>\(t("signin.heading"))</h1>
            <p>\(escaping: texts.format("signin.intro", idleMinutes))</p>
            <form method="post" action="/unlock">\(tokenField("/unlock"))
            <p><label for="passphrase">\(t("signin.passphrase"))</label>
            <input type="password" id="passphrase" name="passphrase" autocomplete="current-password" required \
            autofocus\(invalid)></p>
            <p><button type="submit">\(t("signin.submit"))</button></p>
            </form>
            """
        return layout(title: texts["signin.heading"], unlocked: false, message: message, main)
    }

    func door() -> String {
        layout(title: texts["door.heading"], unlocked: false,
               "<h1>\(t("door.heading"))</h1>\n<p>\(t("door.text"))</p>")
    }

    func problem(_ text: String, unlocked: Bool) -> String {
        layout(title: texts["error.heading"], unlocked: unlocked,
               "<h1>\(t("error.heading"))</h1>\n<div class=\"error\" role=\"alert\"><p>\(escaping: text)</p></div>")
    }

    // MARK: Inbox

    /// Rows of the inbox per page: a page of 10,000 cases would take long to send and to read.
    static let inboxPageSize = 100

    /// The inbox page `page` (1-based; one past the last shows the last), unfiltered.
    func inbox(_ all: [DeskCaseSummary], today: Day, page requested: Int = 1, message: HTML = .empty) -> String {
        var view = DeskInboxView()
        view.filter.page = requested
        return inbox(all, total: all.count, view: view, today: today, message: message)
    }

    func statusName(_ status: CaseStatus) -> String { texts["status." + status.rawValue] }

    /// A deadline in words, and its state for the colour (never the only signal).
    func clockWords(_ deadline: DeskDeadline, today: Day) -> (text: String, state: String) {
        let left = today.days(until: deadline.due)
        let base = "clock." + deadline.kind.rawValue
        if left == 0 { return (texts[base + ".today"], "due") }
        let count = abs(left)
        let days = count == 1 ? texts["days.one"] : texts.format("days.other", String(count))
        if left < 0 { return (texts.format(base + ".overdue", days), "overdue") }
        return (texts.format(base + ".future", days), left <= Deadlines.soonDays ? "due" : "pending")
    }

    // MARK: Case

    func casePage(_ thread: DeskThread, message: HTML = .empty, composer: DeskComposer? = nil,
                  caseForms: HTML = .empty) -> String {
        let ref = thread.reference.text
        var main: HTML = "<h1>\(escaping: texts.format("case.heading", ref))</h1>\n"
        main += "<section aria-labelledby=\"summary\"><h2 id=\"summary\">\(t("case.summary"))</h2>\n<dl>"
        if let status = thread.status {
            main += "<dt>\(t("case.status"))</dt><dd>\(escaping: statusName(status))</dd>"
        }
        main += "<dt>\(t("case.assigned"))</dt><dd>\(escaping: thread.assigned ?? texts["inbox.nobody"])</dd>"
        if let followUp = thread.followUp {
            main += "<dt>\(t("case.follow_up"))</dt><dd>\(escaping: followUp.text)</dd>"
        }
        if !thread.clocks.isEmpty {
            let today = Day.today()
            var list: HTML = "<ul class=\"clocks\">"
            for clock in thread.clocks {
                let words = clockWords(clock, today: today)
                list += "<li><span class=\"clock clock-\(escaping: words.state)\">\(escaping: words.text)</span> "
                    + "(<time datetime=\"\(escaping: clock.due.text)\">\(escaping: clock.due.text)</time>)</li>"
            }
            list += "</ul>"
            if thread.clocks.contains(where: { $0.kind == .agg }) { list += "<p class=\"hint\">\(t("case.clocks.agg_note"))</p>" }
            main += "<dt>\(t("case.clocks"))</dt><dd>\(list)</dd>"
        }
        main += "</dl></section>\n"
        main += "<section aria-labelledby=\"thread\"><h2 id=\"thread\">\(t("case.thread"))</h2>\n"
        if thread.items.isEmpty { main += "<p>\(t("case.empty"))</p>" }
        main += "<ol class=\"thread\">\n"
        for item in thread.items { main += threadItem(item, reference: ref) }
        main += "</ol></section>\n"
        main += composerSection(ref, composer ?? DeskComposer(thread: thread))
        main += forms(ref, current: thread.status)
        main += caseForms
        return layout(title: texts.format("case.heading", ref), unlocked: true, message: message, main)
    }

    private func threadItem(_ item: DeskThreadItem, reference: String) -> HTML {
        let author = item.author == "reporter" ? texts["author.reporter"]
            : item.author == "team" ? texts["author.team"] : item.author
        var out: HTML = """
            <li class="item item-\(escaping: item.kind.rawValue)"><article>
            <h3>\(t("kind." + item.kind.rawValue))</h3>
            <p class="meta"><time datetime="\(escaping: item.day.text)">\(escaping: item.day.text)</time>\
             · \(escaping: texts.format("item.meta", author))</p>

            """
        switch item.check {
        case .checked: out += "<p class=\"check check-ok\">✓ \(t("check.checked"))</p>\n"
        case .unsigned: out += "<p class=\"check check-warn\">⚠ \(t("check.unsigned"))</p>\n"
        case .serverRecord: out += "<p class=\"check\">\(t("check.server"))</p>\n"
        case .failed(let why): out += "<p class=\"check check-bad\">✗ \(escaping: texts.format("check.failed", why))</p>\n"
        }
        if let status = item.caseStatus {
            out += "<p>\(escaping: texts.format("item.status_set", statusName(status)))</p>\n"
        }
        if !item.text.isEmpty {
            out += "<div class=\"text\">"
            for paragraph in item.text.split(separator: "\n", omittingEmptySubsequences: false) {
                out += "\(escaping: String(paragraph))<br>"
            }
            out += "</div>\n"
        }
        if !item.fields.isEmpty {
            out += "<dl>"
            for field in item.fields {
                out += "<dt>\(t("field." + field.key))</dt><dd>\(escaping: field.value)</dd>"
            }
            out += "</dl>\n"
        }
        out += attachmentList(item.attachments, reference: reference)
        return out + "</article></li>\n"
    }

    private func forms(_ ref: String, current: CaseStatus?) -> HTML {
        let statusPath = "/cases/\(ref)/status", notePath = "/cases/\(ref)/note"
        var options = HTML.empty
        for status in CaseStatus.allCases {
            let selected: HTML = status == current ? " selected" : .empty
            options += "<option value=\"\(escaping: status.rawValue)\"\(selected)>\(escaping: statusName(status))</option>"
        }
        return """
            <section aria-labelledby="status-h"><h2 id="status-h">\(t("form.status.heading"))</h2>
            <form method="post" action="\(escaping: statusPath)">\(tokenField(statusPath))
            <p><label for="status">\(t("form.status.label"))</label>
            <select id="status" name="status">\(options)</select></p>
            <p><button type="submit">\(t("form.status.submit"))</button></p>
            </form></section>
            <section aria-labelledby="note-h"><h2 id="note-h">\(t("form.note.heading"))</h2>
            <form method="post" action="\(escaping: notePath)">\(tokenField(notePath))
            <p><label for="note">\(t("form.note.label"))</label>
            <textarea id="note" name="text" rows="5" cols="60" required></textarea></p>
            <p><button type="submit">\(t("form.note.submit"))</button></p>
            </form></section>

            """
    }
}
