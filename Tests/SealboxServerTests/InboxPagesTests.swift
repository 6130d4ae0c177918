import SealboxCore
import SealboxL10n
import Testing
@testable import SealboxServer
import SealboxHTML

/// Sample inbox pages, in the states the controller shows them.
enum InboxSamples {
    static let token = "vT0k3n-Zq9xY_abcdefghijklmnopqrstu"
    static let hostile = "</p><script>alert(1)</script> & \"quoted\" 'single'"
    static let errorKeys = ["error.code_malformed", "error.code_typo", "error.code_unknown", "error.rate_limited", "error.session_expired"]

    static let messages = [
        InboxMessageView(fromTeam: false, day: Day("2026-11-24")!, text: "Erste Meldung\nZweite Zeile\n\n  eingerückt", attachmentNames: ["mietvertrag.pdf", "<img src=x onerror=alert(1)>.png"]),
        InboxMessageView(fromTeam: true, day: Day("2026-11-27")!, text: "Antwort des Teams: " + hostile, attachmentNames: []),
        InboxMessageView(fromTeam: false, day: Day("2026-12-01")!, text: "Nachtrag drei", attachmentNames: []),
    ]

    static func thread(
        status: String = "acknowledged", acknowledged: String? = "2026-11-27",
        messages: [InboxMessageView] = messages, errors: [FieldError] = [], text: String = ""
    ) -> InboxThreadView {
        InboxThreadView(
            caseReference: try! CaseReference(parsing: "7KQM-3XWP"), status: status, receivedDay: Day("2026-11-24")!, acknowledgedDay: acknowledged.flatMap(Day.init),
            acknowledgementDue: Day("2026-12-01")!, feedbackDue: Day("2027-02-24")!, messages: messages, visitToken: token,
            followUpErrors: errors, followUpText: text)
    }

    static let failedThread = thread(messages: [], errors: [FieldError(field: "text", messageKey: "error.text_missing"),
                                                           FieldError(field: "attachment", messageKey: "error.too_many_files")],
                                     text: "<b>halb</b> geschrieben")

    static func all(language: Language, fromQuery: Bool = false) -> [(name: String, html: String)] {
        func ctx(_ path: String) -> PageContext { PageSamples.context(language, fromQuery: fromQuery, path: path, inbox: true) }
        var pages: [(String, String)] = [
            ("login", Pages.inboxLogin(ctx("/inbox"), errorKey: nil, limits: PageSamples.limits).markup),
            ("thread", Pages.inboxThread(ctx("/inbox"), thread: thread(), limits: PageSamples.limits).markup),
            ("thread received", Pages.inboxThread(ctx("/inbox"), thread: thread(status: "received", acknowledged: nil), limits: PageSamples.limits).markup),
            ("thread closed", Pages.inboxThread(ctx("/inbox"), thread: thread(status: "closed"), limits: PageSamples.limits).markup),
            ("thread+errors", Pages.inboxThread(ctx("/inbox/messages"), thread: failedThread, limits: PageSamples.limits).markup),
            ("sent", Pages.inboxSent(ctx("/inbox/messages"), visitToken: token).markup),
            ("left", Pages.inboxLeft(ctx("/inbox/leave")).markup),
            ("error 403", Pages.error(ctx("/inbox/messages"), status: 403).markup),
        ]
        for key in errorKeys {
            pages.append(("login \(key)", Pages.inboxLogin(ctx("/inbox"), errorKey: key, limits: PageSamples.limits).markup))
        }
        return pages
    }
}

@Suite struct InboxPagesTests {
    // MARK: Rules for every page

    @Test(arguments: Language.all, [false, true])
    func everyInboxPage_followsThePageRules(language: Language, fromQuery: Bool) {
        for (name, html) in InboxSamples.all(language: language, fromQuery: fromQuery) {
            #expect(!html.lowercased().contains("<script"), "\(name)")
            #expect(!html.contains(" style="), "\(name) has an inline style")
            #expect(!html.lowercased().contains("<style"), "\(name)")
            #expect(html.matches(of: /<[^>]*\son[a-z]+=/).isEmpty, "\(name) has an event handler")
            #expect(html.matches(of: /<[^>]*\ssrc=/).isEmpty, "\(name) loads a resource")
            for attribute in ["href", "src", "action", "formaction"] {
                for value in Markup.values(attribute, in: html) {
                    #expect((value.hasPrefix("/") && !value.hasPrefix("//")) || value.hasPrefix("#"), "\(name): \(attribute)=\(value)")
                }
            }
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language.htmlLang)\""), "\(name)")
            #expect(Markup.count(of: "<h1", in: html) == 1, "\(name)")
            #expect(HTMLCheck.problems(html).isEmpty, "\(name): \(HTMLCheck.problems(html))")
            #expect(!html.contains("⟦"), "\(name) uses a missing key")
            // Ids are unique and every reference resolves.
            let ids = Markup.values("id", in: html)
            #expect(Set(ids).count == ids.count, "\(name) repeats an id")
            let references = Markup.values("for", in: html)
                + Markup.values("aria-describedby", in: html).flatMap { $0.split(separator: " ").map(String.init) }
                + Markup.values("aria-labelledby", in: html)
                + Markup.values("href", in: html).filter { $0.hasPrefix("#") }.map { String($0.dropFirst()) }
            for reference in references { #expect(ids.contains(reference), "\(name): #\(reference) does not exist") }
            // Every control has a label.
            for id in ids where id.hasPrefix("field-") {
                #expect(html.contains("<label for=\"\(id)\">"), "\(name): \(id) has no label")
            }
            // Form actions keep the language only when it came from the query.
            for action in Markup.values("action", in: html) {
                #expect(action.hasSuffix("?lang=\(language.tag)") == fromQuery && action.contains("lang=") == fromQuery, "\(name): \(action)")
            }
        }
    }

    @Test(arguments: Language.all)
    func languageSwitch_neverLinksToAPostOnlyPath(language: Language) {
        for (name, html) in InboxSamples.all(language: language) {
            for value in Markup.values("href", in: html) {
                #expect(!value.hasPrefix("/inbox/"), "\(name) links to \(value), which only answers POST")
            }
        }
        let thread = Pages.inboxThread(PageSamples.context(language, path: "/inbox/messages", inbox: true),
                                       thread: InboxSamples.thread(), limits: PageSamples.limits).markup
        #expect(thread.contains("href=\"/inbox?lang=de\"") && thread.contains("href=\"/inbox?lang=en\""))
        let left = Pages.inboxLeft(PageSamples.context(language, path: "/inbox/leave", inbox: true)).markup
        #expect(left.contains("href=\"/?lang=de\"") && left.contains("href=\"/?lang=en\""))
        // Error pages of POST-only paths too (a 413 of a follow-up, a 422 of the receipt form).
        let tooLarge = Pages.error(PageSamples.context(language, path: "/inbox/messages"), status: 413).markup
        #expect(tooLarge.contains("href=\"/inbox?lang=en\""))
        let receipt = Pages.error(PageSamples.context(language, path: "/receipt"), status: 422).markup
        #expect(receipt.contains("href=\"/?lang=en\"") && !receipt.contains("href=\"/receipt"))
        #expect(PageSamples.context(language, path: "/report").switchPath == "/report")
    }

    @Test(arguments: Language.all)
    func inboxPages_markTheInboxAsTheCurrentNavigationItem(language: Language) {
        let label = escaped(Localiser(language)["nav.inbox"])
        for (name, html) in InboxSamples.all(language: language) where name != "left" && name != "error 403" {
            #expect(html.contains("<li><a href=\"/inbox\" aria-current=\"page\">\(label)</a></li>"), "\(name)")
        }
    }

    // MARK: Catalogues

    static let inboxKeys = [
        "nav.inbox", "landing.return.link",
        "inbox.title", "inbox.intro", "inbox.code.label", "inbox.code.hint", "inbox.code.submit", "inbox.code.private",
        "inbox.lost.heading", "inbox.lost.text", "inbox.lost.link",
        "inbox.thread.title", "inbox.thread.notice", "inbox.thread.hidden", "inbox.thread.heading",
        "inbox.status.heading", "inbox.status.received", "inbox.status.acknowledged", "inbox.status.in-progress", "inbox.status.closed",
        "inbox.case", "inbox.received", "inbox.acknowledged", "inbox.expect.acknowledgement", "inbox.expect.feedback",
        "inbox.author.you", "inbox.author.team", "inbox.attachments",
        "inbox.followup.heading", "inbox.followup.intro", "inbox.followup.label", "inbox.followup.missing", "inbox.followup.submit",
        "inbox.leave.heading", "inbox.leave.text", "inbox.leave.submit",
        "inbox.sent.title", "inbox.sent.text", "inbox.sent.next", "inbox.sent.again",
        "inbox.left.title", "inbox.left.text", "inbox.left.again", "inbox.left.home",
        "error.403.title", "error.403.message", "error.429.title", "error.429.message",
    ] + InboxSamples.errorKeys

    @Test(arguments: Language.all)
    func everyInboxKey_isInTheCatalogue(language: Language) {
        let strings = Catalogue.strings(for: language)
        let missing = Self.inboxKeys.filter { strings[$0] == nil }
        #expect(missing.isEmpty, "\(language.tag) lacks \(missing)")
        for key in InboxSamples.errorKeys { #expect(Catalogue.messageKeys.contains(key), "\(key)") }
        #expect(Pages.errorStatuses.contains(403) && Pages.errorStatuses.contains(429))
    }

    @Test func errorTexts_sayWhatTheBriefAsks() {
        let de = Localiser(.german), en = Localiser(.english)
        #expect(de["error.code_malformed"].contains("16 Ziffern") && en["error.code_malformed"].contains("16 digits"))
        #expect(de["error.code_typo"].contains("Tippfehler") && en["error.code_typo"].contains("typo"))
        #expect(de["error.code_unknown"].contains("gelöscht") && en["error.code_unknown"].contains("deleted"))
        #expect(de["error.session_expired"].contains("15 Minuten") && en["error.session_expired"].contains("15 minutes"))
        for localiser in [de, en] {
            let text = localiser["error.rate_limited"].lowercased()
            #expect(!text.contains("ip") && !text.contains("adress") && !text.contains("address"))
        }
    }

    // MARK: Code form

    @Test(arguments: Language.all)
    func login_asksForTheCodeOnly_visibleAsTyped(language: Language) {
        let html = Pages.inboxLogin(PageSamples.context(language, path: "/inbox", inbox: true), errorKey: nil, limits: PageSamples.limits).markup
        #expect(html.contains("<form method=\"post\" action=\"/inbox\""))
        #expect(html.contains("<input type=\"text\" id=\"field-code\" name=\"code\" class=\"input-code\" inputmode=\"numeric\" autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\" maxlength=\"64\" required aria-describedby=\"hint-code\">"))
        #expect(!html.contains("type=\"password\""))
        #expect(Markup.count(of: "<input", in: html) == 1, "one field and nothing else")
        #expect(html.contains("<label for=\"field-code\">"))
        #expect(!html.contains("error-summary") && !html.contains("aria-invalid"))
        #expect(html.contains(rendered(Localiser(language), "inbox.code.hint")))
    }

    @Test func login_hint_saysSixteenDigitsAndSpacesDoNotMatter() {
        #expect(Localiser(.german)["inbox.code.hint"].contains("16 Ziffern"))
        #expect(Localiser(.german)["inbox.code.hint"].contains("Leerzeichen"))
        #expect(Localiser(.english)["inbox.code.hint"].contains("16 digits"))
        #expect(Localiser(.english)["inbox.code.hint"].contains("Spaces"))
    }

    @Test(arguments: InboxSamples.errorKeys)
    func login_withError_summarisesAndLinksToTheField(key: String) throws {
        for language in Language.all {
            let html = Pages.inboxLogin(PageSamples.context(language, path: "/inbox", inbox: true), errorKey: key, limits: PageSamples.limits).markup
            let message = rendered(Localiser(language), key)
            let summary = try #require(html.firstRange(of: "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"error-summary\" autofocus aria-labelledby=\"error-summary-title\">"))
            let form = try #require(html.firstRange(of: "<form "))
            #expect(summary.lowerBound < form.lowerBound)
            #expect(html.contains("<a href=\"#field-code\">\(message)</a>"))
            #expect(html.contains("<p class=\"field-error\" id=\"error-code\">"))
            #expect(html.contains("aria-describedby=\"hint-code error-code\" aria-invalid=\"true\">"))
            #expect(html.contains("<div class=\"field field-has-error\">"))
            #expect(html.contains("<title>\(escaped(Localiser(language).format("form.title.errors", Localiser(language)["inbox.title"])))"))
            #expect(Markup.count(of: "autofocus", in: html) == 1)
            #expect(!html.contains(" value="), "the refused code is not filled in again")
        }
    }

    @Test func login_keepsTheLanguageInTheAction_whenItCameFromTheQuery() {
        let html = Pages.inboxLogin(PageSamples.context(.english, fromQuery: true, path: "/inbox", inbox: true), errorKey: nil, limits: PageSamples.limits).markup
        #expect(html.contains("action=\"/inbox?lang=en\""))
        #expect(html.contains("href=\"/report?lang=en\""), "the way to a new report when the code is lost")
    }

    // MARK: Thread

    @Test(arguments: Language.all)
    func thread_listsTheMessagesInOrder_withAuthorAndDay(language: Language) throws {
        let l = Localiser(language)
        let html = Pages.inboxThread(PageSamples.context(language, path: "/inbox", inbox: true), thread: InboxSamples.thread(), limits: PageSamples.limits).markup
        let list = try #require(html.firstRange(of: "<ol class=\"thread\">"))
        let listEnd = try #require(html.firstRange(of: "</ol>"))
        let thread = String(html[list.upperBound..<listEnd.lowerBound])
        #expect(Markup.count(of: "<li>\n<article class=\"message ", in: thread) == 3)
        let first = try #require(thread.firstRange(of: "Erste Meldung"))
        let second = try #require(thread.firstRange(of: "Antwort des Teams"))
        let third = try #require(thread.firstRange(of: "Nachtrag drei"))
        #expect(first.lowerBound < second.lowerBound && second.lowerBound < third.lowerBound)
        let articles = thread.split(separator: "<article ").dropFirst().map(String.init)
        let you = "<span class=\"message-author\">\(escaped(l["inbox.author.you"]))</span>"
        let team = "<span class=\"message-author\">\(escaped(l["inbox.author.team"]))</span>"
        #expect(articles.count == 3)
        #expect(articles[0].hasPrefix("class=\"message message-reporter\"") && articles[0].contains(you))
        #expect(articles[1].hasPrefix("class=\"message message-team\"") && articles[1].contains(team))
        #expect(articles[2].hasPrefix("class=\"message message-reporter\"") && articles[2].contains(you))
        #expect(articles[1].contains("<time datetime=\"2026-11-27\">\(escaped(l.day(Day("2026-11-27")!)))</time>"))
        #expect(articles[0].contains("<li dir=\"auto\">mietvertrag.pdf</li>"))
    }

    @Test func thread_escapesMessageTextAndNames_andKeepsLineBreaks() {
        let html = Pages.inboxThread(PageSamples.context(path: "/inbox", inbox: true), thread: InboxSamples.thread(), limits: PageSamples.limits).markup
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("Antwort des Teams: &lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;</p>"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;.png"))
        #expect(html.contains("<p class=\"message-text\" dir=\"auto\">Erste Meldung\nZweite Zeile\n\n  eingerückt</p>"))
        #expect(Stylesheet.css.contains(".message-text { white-space: pre-wrap;"))
    }

    @Test func thread_showsTheVisitTokenOnlyInHiddenFields_andNeverAskForTheCode() {
        let html = Pages.inboxThread(PageSamples.context(path: "/inbox", inbox: true), thread: InboxSamples.thread(), limits: PageSamples.limits).markup
        let hidden = "<input type=\"hidden\" name=\"visit\" value=\"\(InboxSamples.token)\">"
        #expect(Markup.count(of: hidden, in: html) == 2, "the follow-up form and the leave form")
        #expect(Markup.count(of: InboxSamples.token, in: html) == 2)
        #expect(!Markup.text(html).contains(InboxSamples.token))
        for attribute in ["href", "action"] {
            for value in Markup.values(attribute, in: html) { #expect(!value.contains(InboxSamples.token)) }
        }
        #expect(!html.contains("name=\"code\""))
        let sent = Pages.inboxSent(PageSamples.context(path: "/inbox/messages", inbox: true), visitToken: InboxSamples.token).markup
        #expect(Markup.count(of: InboxSamples.token, in: sent) == 1 && sent.contains(hidden))
        let hostileToken = Pages.inboxSent(PageSamples.context(inbox: true), visitToken: "\"><script>").markup
        #expect(hostileToken.contains("value=\"&quot;&gt;&lt;script&gt;\""))
    }

    @Test func thread_showsStatusDaysAndWhenToExpectAnAnswer() {
        let received = Pages.inboxThread(PageSamples.context(.german, path: "/inbox", inbox: true),
                                         thread: InboxSamples.thread(status: "received", acknowledged: nil), limits: PageSamples.limits).markup
        #expect(received.contains("<span class=\"case-reference\" dir=\"ltr\" translate=\"no\">7KQM-3XWP</span>"))
        #expect(received.contains(Localiser(.german)["inbox.status.received"]))
        #expect(received.contains("<dt>Eingegangen am</dt><dd><time datetime=\"2026-11-24\">24. November 2026</time></dd>"))
        #expect(!received.contains("Bestätigt am"))
        #expect(received.contains("Eine erste Antwort bekommen Sie spätestens am <bdi>1. Dezember 2026</bdi>."))
        #expect(received.contains("spätestens am <bdi>24. Februar 2027</bdi>."))

        let acknowledged = Pages.inboxThread(PageSamples.context(.english, path: "/inbox", inbox: true),
                                             thread: InboxSamples.thread(), limits: PageSamples.limits).markup
        #expect(acknowledged.contains("<dt>Acknowledged on</dt><dd><time datetime=\"2026-11-27\">27 November 2026</time></dd>"))
        #expect(!acknowledged.contains("first answer"), "the acknowledgement is no longer pending")
        #expect(acknowledged.contains("by <bdi>24 February 2027</bdi> at the latest"))

        let closed = Pages.inboxThread(PageSamples.context(.english, path: "/inbox", inbox: true),
                                       thread: InboxSamples.thread(status: "closed"), limits: PageSamples.limits).markup
        #expect(closed.contains(Localiser(.english)["inbox.status.closed"]))
        #expect(!closed.contains("at the latest"))

        let unknown = Pages.inboxThread(PageSamples.context(.english, path: "/inbox", inbox: true),
                                        thread: InboxSamples.thread(status: "<x>"), limits: PageSamples.limits).markup
        #expect(unknown.contains("status-received") && !unknown.contains("&lt;x&gt;") && !unknown.contains("<x>"))
    }

    @Test(arguments: Language.all)
    func thread_eachStatusHasItsOwnPlainText(language: Language) {
        let texts = Pages.caseStatuses.map { status in
            let html = Pages.inboxThread(PageSamples.context(language, path: "/inbox", inbox: true),
                                         thread: InboxSamples.thread(status: status), limits: PageSamples.limits).markup
            let text = rendered(Localiser(language), "inbox.status.\(status)")
            #expect(html.contains("<p class=\"lead status status-\(status)\">\(text)</p>"))
            return text
        }
        #expect(Set(texts).count == Pages.caseStatuses.count)
    }

    @Test(arguments: Language.all)
    func thread_saysThePageIsNotSaved_andEndsAfterFifteenIdleMinutes(language: Language) {
        let html = Pages.inboxThread(PageSamples.context(language, path: "/inbox", inbox: true), thread: InboxSamples.thread(), limits: PageSamples.limits).markup
        let notice = rendered(Localiser(language), "inbox.thread.notice")
        #expect(html.contains("<p class=\"notice\">\(notice)</p>"))
        #expect(notice.contains("15"))
        if language == .german || language == .english {
            #expect(notice.contains(language == .german ? "15 Minuten" : "15 minutes"))
            #expect(notice.contains(language == .german ? "nicht gespeichert" : "not saved"))
        }
    }

    @Test func thread_followUpForm_worksWithoutJavaScript() {
        let html = Pages.inboxThread(PageSamples.context(.english, fromQuery: true, path: "/inbox", inbox: true), thread: InboxSamples.thread(), limits: PageSamples.limits).markup
        #expect(html.contains("<form method=\"post\" enctype=\"multipart/form-data\" action=\"/inbox/messages?lang=en\""))
        #expect(html.contains("<textarea id=\"field-text\" name=\"text\" rows=\"6\" required"))
        #expect(html.contains("<input type=\"file\" id=\"field-attachment\" name=\"attachment\" multiple aria-describedby=\"hint-attachment\">"))
        #expect(Markup.text(html).contains("At most 5 files. Each file can be at most 10 MB, all together at most 25 MB."))
        #expect(Markup.text(html).contains("At most 20,000 characters."))
        #expect(html.contains("<form method=\"post\" action=\"/inbox/leave?lang=en\""))
        #expect(!html.contains("error-summary") && !html.contains("aria-invalid") && !html.contains("autofocus"))
        // The leave form comes after the follow-up form and explains itself.
        let followUp = html.firstRange(of: "/inbox/messages")!, leave = html.firstRange(of: "/inbox/leave")!
        #expect(followUp.lowerBound < leave.lowerBound)
        #expect(html.contains(escaped(Localiser(.english)["inbox.leave.text"])))
    }

    @Test func thread_reRendered_summarisesErrors_keepsTheText_andSaysWhyTheThreadIsMissing() throws {
        let html = Pages.inboxThread(PageSamples.context(.german, path: "/inbox/messages", inbox: true), thread: InboxSamples.failedThread, limits: PageSamples.limits).markup
        let summary = try #require(html.firstRange(of: "id=\"error-summary\" autofocus"))
        let form = try #require(html.firstRange(of: "<form "))
        #expect(summary.lowerBound < form.lowerBound)
        #expect(html.contains("<title>Fehler: Ihre Nachrichten"))
        #expect(html.contains("<a href=\"#field-text\">Bitte schreiben Sie Ihre Nachricht.</a>"), "the follow-up's own wording")
        #expect(html.contains("<a href=\"#field-attachment\">"))
        #expect(html.matches(of: /<textarea id="field-text"[^>]*aria-describedby="hint-text error-text" aria-invalid="true">&lt;b&gt;halb&lt;\/b&gt; geschrieben<\/textarea>/).count == 1)
        #expect(html.matches(of: /<input type="file" id="field-attachment"[^>]*aria-describedby="hint-attachment error-attachment" aria-invalid="true">/).count == 1)
        #expect(html.contains("Bitte wählen Sie Ihre Dateien noch einmal aus."))
        #expect(!html.contains("<ol class=\"thread\">"))
        #expect(html.contains(Localiser(.german)["inbox.thread.hidden"]))
        #expect(Markup.count(of: "name=\"visit\" value=\"\(InboxSamples.token)\"", in: html) == 2)
    }

    @Test func thread_errorOfAnUnknownField_isListedWithoutALink() {
        let view = InboxSamples.thread(errors: [FieldError(field: "contact", messageKey: "error.field_too_long")])
        let html = Pages.inboxThread(PageSamples.context(.english, inbox: true), thread: view, limits: PageSamples.limits).markup
        #expect(html.contains("<li>\(escaped(Localiser(.english)["error.field_too_long"]))</li>"))
        #expect(!html.contains("aria-invalid"))
    }

    // MARK: After sending, after leaving

    @Test(arguments: Language.all)
    func sent_confirms_andOffersTheWayBackAndLeave(language: Language) {
        let l = Localiser(language)
        let html = Pages.inboxSent(PageSamples.context(language, fromQuery: true, path: "/inbox/messages", inbox: true), visitToken: InboxSamples.token).markup
        #expect(html.contains("<h1>\(escaped(l["inbox.sent.title"]))</h1>"))
        #expect(html.contains("role=\"status\""))
        #expect(html.contains("<a class=\"button\" href=\"/inbox?lang=\(language.tag)\">\(escaped(l["inbox.sent.again"]))</a>"))
        #expect(html.contains("<form method=\"post\" action=\"/inbox/leave?lang=\(language.tag)\""))
        #expect(html.contains("<input type=\"hidden\" name=\"visit\" value=\"\(InboxSamples.token)\">"))
        #expect(!html.contains("name=\"code\""))
    }

    @Test(arguments: Language.all)
    func left_saysToCloseTheWindow_andLinksHome(language: Language) {
        let l = Localiser(language)
        let html = Pages.inboxLeft(PageSamples.context(language, path: "/inbox/leave", inbox: true)).markup
        #expect(html.contains(rendered(l, "inbox.left.text")))
        if language == .german || language == .english {
            #expect(l["inbox.left.text"].contains(language == .german ? "Browserfenster" : "browser window"))
        }
        #expect(html.contains("<a class=\"button\" href=\"/\">\(escaped(l["inbox.left.home"]))</a>"))
        #expect(!html.contains("<form") && !html.contains("name=\"visit\""))
    }

    // MARK: Landing and errors

    @Test func landingAndNavigation_linkToTheInbox_whenItIsAvailable() {
        let html = Pages.landing(PageSamples.context(.german, inbox: true)).markup
        #expect(html.contains("<p><a href=\"/inbox\">\(escaped(Localiser(.german)["landing.return.link"]))</a></p>"))
        #expect(html.contains("<li><a href=\"/inbox\">\(escaped(Localiser(.german)["nav.inbox"]))</a></li>"))
        #expect(!Pages.landing(PageSamples.context(.german)).markup.contains("/inbox"))
    }

    @Test(arguments: [403, 429])
    func errorPage_hasItsOwnTitle(status: Int) {
        for language in Language.all {
            let html = Pages.error(PageSamples.context(language), status: status).markup
            #expect(html.contains("<h1>\(escaped(Localiser(language)["error.\(status).title"]))</h1>"))
            #expect(!html.contains("⟦"))
        }
        #expect(Localiser(.english)["error.403.title"] != Localiser(.english)["error.400.title"])
    }
}
