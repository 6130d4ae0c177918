import SealboxCore
import SealboxL10n
import Testing
@testable import SealboxServer
import SealboxHTML

/// Sample pages in every state, shared by the page and localisation tests.
enum PageSamples {
    static let receipt = Receipt(caseReference: try! CaseReference(parsing: "7KQM-3XWP"), groupedCode: "4721 0938 5562 1170", receivedDay: Day("2026-11-24")!)
    static let limits = FormLimits(textLength: 20000, attachmentCount: 5, attachmentSize: 10 * 1024 * 1024, attachmentTotal: 25 * 1024 * 1024)

    static func context(_ language: Language = .german, fromQuery: Bool = false, path: String = "/", inbox: Bool = false) -> PageContext {
        PageContext(localiser: Localiser(language), langFromQuery: fromQuery, path: path,
                    office: Office(name: "Antidiskriminierungsstelle Musterstadt", contact: "Telefon 0511 000000",
                                   publicAddress: "https://melden.example.org"),
                    inboxAvailable: inbox)
    }

    static func failedState() -> ReportFormState {
        var state = ReportFormState()
        state.text = ""
        state.when = "letzte Woche"
        state.whereText = "<script>alert(1)</script>"
        state.contact = "a@example.org\" onfocus=\"x"
        state.grounds = ["age", "language"]
        state.area = "housing"
        state.errors = [FieldError(field: "text", messageKey: "error.text_missing"),
                        FieldError(field: "grounds", messageKey: "error.invalid_choice"),
                        FieldError(field: "attachment", messageKey: "error.too_many_files")]
        return state
    }

    static func all(language: Language, fromQuery: Bool = false) -> [(name: String, html: String)] {
        var pages: [(String, String)] = [
            ("landing", Pages.landing(context(language, fromQuery: fromQuery)).markup),
            ("landing+inbox", Pages.landing(context(language, fromQuery: fromQuery, inbox: true)).markup),
            ("form", Pages.reportForm(context(language, fromQuery: fromQuery, path: "/report"), state: ReportFormState(), limits: limits).markup),
            ("form+errors", Pages.reportForm(context(language, fromQuery: fromQuery, path: "/report"), state: failedState(), limits: limits).markup),
            ("confirmation", Pages.confirmation(context(language, fromQuery: fromQuery, path: "/report"), receipt: receipt).markup),
        ]
        for status in Pages.errorStatuses + [418, 502] {
            pages.append(("error \(status)", Pages.error(context(language, fromQuery: fromQuery), status: status).markup))
        }
        return pages
    }
}

/// Small helpers to read rendered markup in tests.
enum Markup {
    /// Text content of an HTML string (tags removed, the five escapes undone).
    static func text(_ html: String) -> String {
        html.replacing(/<[^>]*>/, with: "")
            .replacing("&lt;", with: "<").replacing("&gt;", with: ">")
            .replacing("&quot;", with: "\"").replacing("&#39;", with: "'").replacing("&amp;", with: "&")
    }

    static func count(of needle: String, in haystack: String) -> Int {
        haystack.ranges(of: needle).count
    }

    static func values(_ name: String, in html: String) -> [String] {
        html.matches(of: try! Regex<(Substring, Substring)>(" \(name)=\"([^\"]*)\"")).map { String($0.output.1) }
    }
}

@Suite struct PagesTests {
    // MARK: Rules for every page

    @Test(arguments: Language.all)
    func everyPage_followsTheContentSecurityRules(language: Language) {
        for (name, html) in PageSamples.all(language: language) {
            #expect(!html.lowercased().contains("<script"), "\(name)")
            #expect(!html.contains(" style="), "\(name) has an inline style")
            #expect(!html.lowercased().contains("<style"), "\(name)")
            #expect(html.matches(of: /<[^>]*\son[a-z]+=/).isEmpty, "\(name) has an event handler")
            for attribute in ["href", "src", "action", "formaction"] {
                for value in Markup.values(attribute, in: html) {
                    #expect((value.hasPrefix("/") && !value.hasPrefix("//")) || value.hasPrefix("#"), "\(name): \(attribute)=\(value) is not local")
                }
            }
            #expect(!html.contains("src="), "\(name) loads a resource")
            #expect(Markup.count(of: "<link ", in: html) == 1 && html.contains("<link rel=\"stylesheet\" href=\"/static/sealbox.css\">"))
        }
    }

    @Test(arguments: Language.all)
    func everyPage_isOneDocumentWithLandmarksAndOneHeading(language: Language) {
        for (name, html) in PageSamples.all(language: language) {
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language.htmlLang)\" dir=\"\(language.direction)\">"), "\(name)")
            #expect(Markup.count(of: "<h1", in: html) == 1, "\(name)")
            #expect(Markup.count(of: "<main id=\"main\"", in: html) == 1, "\(name)")
            #expect(html.contains("<header") && html.contains("<footer") && html.contains("<nav"), "\(name)")
            #expect(html.contains("<a class=\"skip-link\" href=\"#main\">"), "\(name)")
            #expect(html.contains("<meta name=\"viewport\""), "\(name)")
            #expect(HTMLCheck.problems(html).isEmpty, "\(name): \(HTMLCheck.problems(html))")
        }
    }

    @Test(arguments: Language.all)
    func everyPage_hasALanguageSwitchNamingEachLanguageInItself(language: Language) {
        for (name, html) in PageSamples.all(language: language) {
            for other in Language.all {
                #expect(html.contains("lang=\"\(other.htmlLang)\" dir=\"\(other.direction)\"") , "\(name)")
                #expect(html.contains(">\(other.nativeName)</"), "\(name) lacks \(other.nativeName)")
            }
            #expect(html.contains("class=\"lang-switch\""), "\(name)")
        }
    }

    @Test(arguments: Language.all)
    func everyPage_idsAreUnique_andEveryReferenceResolves(language: Language) {
        for (name, html) in PageSamples.all(language: language) {
            let ids = Markup.values("id", in: html)
            #expect(Set(ids).count == ids.count, "\(name) repeats an id")
            let references = Markup.values("for", in: html) + Markup.values("aria-describedby", in: html).flatMap { $0.split(separator: " ").map(String.init) }
                + Markup.values("aria-labelledby", in: html) + Markup.values("form", in: html)
                + Markup.values("href", in: html).filter { $0.hasPrefix("#") }.map { String($0.dropFirst()) }
            for reference in references { #expect(ids.contains(reference), "\(name): #\(reference) does not exist") }
        }
    }

    @Test func links_keepTheLanguage_whenItCameFromTheQuery() {
        let html = Pages.landing(PageSamples.context(.english, fromQuery: true)).markup
        #expect(html.contains("href=\"/report?lang=en\""))
        #expect(html.contains("href=\"/?lang=en\""))
        let form = Pages.reportForm(PageSamples.context(.english, fromQuery: true, path: "/report"), state: ReportFormState(), limits: PageSamples.limits).markup
        #expect(form.contains("action=\"/report?lang=en\""))
        #expect(form.contains("<html lang=\"en\""))
    }

    @Test func links_carryNoLanguage_whenItCameFromTheBrowser() {
        let form = Pages.reportForm(PageSamples.context(.english, path: "/report"), state: ReportFormState(), limits: PageSamples.limits).markup
        #expect(form.contains("action=\"/report\""))
        #expect(!form.contains("href=\"/?lang=en\""))
        // The language switch always names its language.
        #expect(form.contains("href=\"/report?lang=de\""))
        #expect(form.contains("href=\"/report?lang=en\""))
    }

    @Test(arguments: ["//evil.example/x", "/\\evil.example", "https://evil.example", "/a\"b", "javascript:x", ""])
    func languageSwitch_neverLinksOffTheSite_whateverThePath(path: String) {
        let html = Pages.error(PageSamples.context(.english, path: path), status: 404).markup
        #expect(html.contains("href=\"/?lang=de\""))
        for value in Markup.values("href", in: html) where !value.hasPrefix("#") {
            #expect(value.hasPrefix("/") && !value.hasPrefix("//") && !value.contains("evil"), "\(value)")
        }
    }

    @Test func contextLink_appendsToAnExistingQuery() {
        #expect(PageSamples.context(.english, fromQuery: true).link("/a?b=1") == "/a?b=1&lang=en")
        #expect(PageSamples.context(.english).link("/a") == "/a")
    }

    // MARK: Escaping

    @Test func escape_replacesTheFiveSpecialCharacters() {
        #expect(escaped("<a href=\"x\">Tom & Jerry's</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(escaped("Grüße ٤٧٢١") == "Grüße ٤٧٢١")
    }

    @Test func form_reRendered_escapesWhatTheReporterTyped() {
        var state = ReportFormState()
        state.text = "</textarea><script>alert(1)</script>"
        state.when = "\"><script>x</script>"
        state.whereText = "<img src=x onerror=alert(1)>"
        state.contact = "</textarea><script>"
        let html = Pages.reportForm(PageSamples.context(), state: state, limits: PageSamples.limits).markup
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"))
        #expect(html.contains("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""))
    }

    @Test func form_givesTheIncidentDateBack_escaped_andMarksItsInputsInvalid() {
        var state = ReportFormState()
        state.incidentDay = "\"><b>"
        state.incidentMonth = "13"
        state.incidentYear = "2026"
        state.errors = [FieldError(field: "incident", messageKey: "error.incident_invalid")]
        let html = Pages.reportForm(PageSamples.context(.english), state: state, limits: PageSamples.limits).markup
        #expect(!html.contains("<b>") && html.contains("value=\"&quot;&gt;&lt;b&gt;\""))
        #expect(html.contains("name=\"incident_month\" value=\"13\""))
        #expect(html.contains("<a href=\"#field-incident\">We cannot read this date."))
        #expect(html.contains("aria-describedby=\"hint-incident error-incident\""))
        #expect(Markup.count(of: "aria-invalid=\"true\"", in: html) == 3)
    }

    @Test func configuredOfficeName_isEscaped() {
        var ctx = PageSamples.context()
        ctx.office.name = "<b>Stelle</b> & Co"
        ctx.office.contact = "<i>mail</i>"
        let html = Pages.landing(ctx).markup
        #expect(html.contains("&lt;b&gt;Stelle&lt;/b&gt; &amp; Co"))
        #expect(!html.contains("<b>") && !html.contains("<i>"))
    }

    // MARK: Report form

    @Test func form_hasEveryFieldWithALabel_andWorksWithoutJavaScript() {
        let html = Pages.reportForm(PageSamples.context(path: "/report"), state: ReportFormState(), limits: PageSamples.limits).markup
        #expect(html.contains("<form method=\"post\" enctype=\"multipart/form-data\" action=\"/report\""))
        #expect(html.contains("<textarea id=\"field-text\" name=\"text\""))
        #expect(html.contains(" required"))
        #expect(html.contains("<input type=\"file\" id=\"field-attachment\" name=\"attachment\" multiple"))
        for name in ["when", "where"] { #expect(html.contains("<input type=\"text\" id=\"field-\(name)\" name=\"\(name)\"")) }
        #expect(html.contains("<textarea id=\"field-contact\" name=\"contact\""))
        #expect(Markup.count(of: "name=\"grounds\"", in: html) == Vocabulary.grounds.count)
        #expect(Markup.count(of: "name=\"area\"", in: html) == Vocabulary.areas.count + 1)
        // Grounds, area, and the incident date's three inputs (day, month, year).
        #expect(Markup.count(of: "<fieldset", in: html) == 3 && Markup.count(of: "<legend>", in: html) == 3)
        for part in ["day", "month", "year"] {
            #expect(html.contains("name=\"incident_\(part)\" value=\"\" inputmode=\"numeric\""))
        }
        #expect(!html.contains("type=\"date\"") && !html.contains("type=\"month\""))
        #expect(Markup.count(of: "name=\"area\" value=\"\" checked", in: html) == 1)
        // Every control has a label.
        for id in Markup.values("id", in: html) where id.hasPrefix("field-") {
            #expect(html.contains("<label for=\"\(id)\">"), "\(id) has no label")
        }
        #expect(!html.contains("error-summary"))
        #expect(!html.contains("aria-invalid"))
    }

    @Test func form_explainsTheLimitsItWasGiven() {
        let html = Pages.reportForm(PageSamples.context(.english), state: ReportFormState(), limits: PageSamples.limits).markup
        #expect(Markup.text(html).contains("At most 5 files. Each file can be at most 10 MB, all together at most 25 MB."))
        #expect(Markup.text(html).contains("At most 20,000 characters."))
        #expect(html.contains("At most <bdi>5</bdi> files."), "numbers are isolated for right to left")
    }

    @Test func form_reRendered_keepsTheValues() {
        let html = Pages.reportForm(PageSamples.context(), state: PageSamples.failedState(), limits: PageSamples.limits).markup
        #expect(html.contains("value=\"letzte Woche\""))
        #expect(html.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
        #expect(html.contains(">a@example.org&quot; onfocus=&quot;x</textarea>"))
        #expect(html.contains("value=\"age\" checked"))
        #expect(html.contains("value=\"language\" checked"))
        #expect(html.matches(of: /name="grounds" value="[a-z-]+" checked/).count == 2)
        #expect(html.contains("value=\"housing\" checked"))
        #expect(!html.contains("name=\"area\" value=\"\" checked"))
    }

    @Test func form_reRendered_summarisesErrorsAndLinksThemToTheirFields() throws {
        let html = Pages.reportForm(PageSamples.context(), state: PageSamples.failedState(), limits: PageSamples.limits).markup
        let summaryStart = try #require(html.firstRange(of: "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"error-summary\""))
        let formStart = try #require(html.firstRange(of: "<form "))
        #expect(summaryStart.lowerBound < formStart.lowerBound, "the summary comes before the form")
        #expect(html.contains("<a href=\"#field-text\">Bitte beschreiben Sie, was passiert ist."))
        #expect(html.contains("<a href=\"#field-grounds\">"))
        #expect(html.contains("<a href=\"#field-attachment\">"))
        #expect(!html.contains("<a href=\"#field-when\">"))
        #expect(html.contains("<title>Fehler: Meldung schreiben"))
        // The fields themselves.
        #expect(html.matches(of: /<textarea id="field-text"[^>]*aria-describedby="hint-text error-text" aria-invalid="true"/).count == 1)
        #expect(html.matches(of: /<input type="file" id="field-attachment"[^>]*aria-describedby="hint-attachment error-attachment" aria-invalid="true"/).count == 1)
        #expect(html.matches(of: /name="grounds"[^>]*aria-invalid="true"/).count == Vocabulary.grounds.count)
        #expect(html.contains("<fieldset class=\"field field-has-error\" aria-describedby=\"hint-grounds error-grounds\">"))
        #expect(html.contains("<p class=\"field-error\" id=\"error-text\">"))
        #expect(html.matches(of: /id="field-when"[^>]*aria-invalid/).isEmpty)
        // Files cannot be kept across a re-render; the reporter is told.
        #expect(html.contains("Bitte wählen Sie Ihre Dateien noch einmal aus."))
    }

    // MARK: Confirmation

    @Test(arguments: Language.all)
    func confirmation_showsTheGroupedCodeExactlyOnceAsText(language: Language) {
        let html = Pages.confirmation(PageSamples.context(language, path: "/report"), receipt: PageSamples.receipt).markup
        let code = PageSamples.receipt.groupedCode
        #expect(Markup.count(of: code, in: Markup.text(html)) == 1)
        #expect(html.contains("<p class=\"code\" dir=\"ltr\" translate=\"no\">"))
        #expect(html.contains("<span>4721</span> <span>0938</span> <span>5562</span> <span>1170</span>"))
        #expect(html.contains("4 7 2 1, 0 9 3 8, 5 5 6 2, 1 1 7 0"), "spoken digit by digit")
        // In the markup the groups are separate spans; the only contiguous copy is the
        // hidden field of the receipt form, which is not text content.
        #expect(Markup.count(of: code, in: html) == 1)
        #expect(Markup.count(of: "<input type=\"hidden\" name=\"code\" value=\"\(code)\">", in: html) == 1)
        #expect(Markup.count(of: "7KQM-3XWP", in: Markup.text(html)) == 1)
    }

    @Test func confirmation_neverPutsTheCodeInAURL() {
        let html = Pages.confirmation(PageSamples.context(.english, fromQuery: true, path: "/report"), receipt: PageSamples.receipt).markup
        for attribute in ["href", "action", "formaction"] {
            for value in Markup.values(attribute, in: html) {
                #expect(!value.contains("4721") && !value.contains("7KQM"), "\(attribute)=\(value)")
            }
        }
        #expect(html.contains("<form method=\"post\" action=\"/receipt?lang=en\" id=\"receipt-form\""))
        #expect(html.contains("<input type=\"hidden\" name=\"case\" value=\"7KQM-3XWP\">"))
        #expect(html.contains("<input type=\"hidden\" name=\"received\" value=\"2026-11-24\">"))
        #expect(html.contains(">Save as text file</button>"))
        // The language switch re-posts the same form instead of leaving the page.
        #expect(html.contains("form=\"receipt-form\" formaction=\"/receipt?lang=de\" name=\"view\" value=\"page\""))
    }

    @Test func confirmation_saysWhenHowToComeBackAndThatALostCodeIsLost() {
        let html = Pages.confirmation(PageSamples.context(.german), receipt: PageSamples.receipt).markup
        #expect(html.contains("24. November 2026"))
        #expect(html.contains("https://melden.example.org"))
        #expect(html.contains("kann ihn niemand wiederherstellen"))
        #expect(html.contains("Strg+P"))
        #expect(html.contains("class=\"print-only\""))
        #expect(html.contains("class=\"no-print\""))
    }

    @Test func receiptText_holdsCodeCaseDayAndTheWayBack() {
        let text = Pages.receiptText(PageSamples.context(.english), receipt: PageSamples.receipt)
        #expect(text.contains("Your code: 4721 0938 5562 1170\n"))
        #expect(text.contains("Case reference: 7KQM-3XWP\n"))
        #expect(text.contains("Received on: 24 November 2026\n"))
        #expect(text.contains("Open https://melden.example.org and enter your code."))
        #expect(text.contains("nobody can restore it"))
        #expect(text.contains("The counselling team does not know who you are."))
        #expect(text.hasSuffix("\n") && !text.contains("<"))
        let bare = Pages.receiptText(Localiser(.german), receipt: PageSamples.receipt)
        #expect(bare.contains("Öffnen Sie diese Website"))
        #expect(Pages.receiptFileName(PageSamples.receipt) == "sealbox-7KQM-3XWP.txt")
    }

    // MARK: Landing and errors

    @Test func landing_linksToTheInboxOnlyWhenItExists() {
        let without = Pages.landing(PageSamples.context()).markup
        #expect(!without.contains("/inbox"))
        #expect(without.contains("Mit Ihrem Code zurückkommen"))
        let with = Pages.landing(PageSamples.context(.english, fromQuery: true, inbox: true)).markup
        #expect(with.contains("href=\"/inbox?lang=en\""))
    }

    @Test func landing_explainsWhoWhatIsStoredAndHowToStaySafe() {
        let html = Pages.landing(PageSamples.context(.english)).markup
        let text = Markup.text(html)
        for phrase in ["Antidiskriminierungsstelle Musterstadt", "counselling team's key", "cannot read your report",
                       "IP address", "necessary cookie", "Tor Browser", "private window", "Telefon 0511 000000"] {
            #expect(text.contains(phrase), "\(phrase)")
        }
        #expect(html.contains("class=\"button button-large\" href=\"/report\""))
    }

    @Test(arguments: Pages.errorStatuses)
    func errorPage_hasItsOwnLocalisedTitleAndALinkHome(status: Int) {
        let de = Pages.error(PageSamples.context(.german), status: status).markup
        let en = Pages.error(PageSamples.context(.english), status: status).markup
        #expect(de.contains("<h1>\(Localiser(.german)["error.\(status).title"])</h1>"))
        #expect(en.contains("<h1>\(Localiser(.english)["error.\(status).title"])</h1>"))
        #expect(de != en)
        #expect(en.contains("<a class=\"button\" href=\"/\">Go to the start page</a>"))
    }

    @Test func errorPage_unknownStatus_readsAsTheNearestKnownOne() {
        #expect(Pages.error(PageSamples.context(.english), status: 418).markup.contains("<h1>That did not work</h1>"))
        #expect(Pages.error(PageSamples.context(.english), status: 502).markup.contains("<h1>An error on our side</h1>"))
    }

    // MARK: Stylesheet

    @Test func stylesheet_textColoursMeetContrastAA() {
        #expect(Palette.standard.failingPairs.isEmpty)
        for pair in Palette.standard.pairs {
            let ratio = Contrast.ratio(pair.foreground, pair.background)
            #expect(ratio >= 4.5, "\(pair.name): \(ratio)")
        }
    }

    @Test func stylesheet_coversPrintMotionAndForcedColours_andLoadsNothing() {
        let css = Stylesheet.css
        for needle in ["@media print", "prefers-reduced-motion: reduce", "forced-colors: active", ":focus", ".visually-hidden", ".code"] {
            #expect(css.contains(needle), "\(needle)")
        }
        for forbidden in ["url(", "@import", "http:", "https:", "@font-face"] { #expect(!css.contains(forbidden)) }
        #expect(Markup.count(of: "{", in: css) == Markup.count(of: "}", in: css))
    }
}

/// WCAG 2.1 relative luminance contrast.
enum Contrast {
    static func ratio(_ a: String, _ b: String) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    static func luminance(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16)!
        let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map { channel -> Double in
            let c = Double(channel) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }

    static func pow(_ x: Double, _ y: Double) -> Double { exp(y * log(x)) }
    static func exp(_ x: Double) -> Double {
        // Enough precision for contrast checks without Foundation.
        var term = 1.0, sum = 1.0
        for n in 1..<60 { term *= x / Double(n); sum += term }
        return sum
    }
    static func log(_ x: Double) -> Double {
        // ln(x) = 2 atanh((x-1)/(x+1)), converging for x > 0.
        let y = (x - 1) / (x + 1), y2 = y * y
        var term = y, sum = 0.0
        for k in stride(from: 1, to: 400, by: 2) { sum += term / Double(k); term *= y2 }
        return 2 * sum
    }
}

/// A small structural check: tags balance, void elements stay void, no block inside <p>.
enum HTMLCheck {
    static let void: Set<String> = ["meta", "link", "input", "br", "hr", "img"]
    static let block: Set<String> = ["div", "p", "ul", "ol", "dl", "section", "form", "fieldset", "h1", "h2", "h3", "table", "header", "footer", "main", "nav"]

    static func problems(_ html: String) -> [String] {
        var stack: [String] = []
        var problems: [String] = []
        for match in html.matches(of: /<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>/) {
            let closing = !match.output.1.isEmpty
            let name = match.output.2.lowercased()
            if void.contains(name) { if closing { problems.append("</\(name)>") }; continue }
            if closing {
                if stack.last == name { stack.removeLast() } else { problems.append("unexpected </\(name)> in \(stack.last ?? "-")") }
            } else {
                if stack.last == "p", block.contains(name) { problems.append("<\(name)> inside <p>") }
                stack.append(name)
            }
        }
        if !stack.isEmpty { problems.append("unclosed \(stack)") }
        return problems
    }
}
