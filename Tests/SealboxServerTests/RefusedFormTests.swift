import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SealboxCore
import SealboxL10n
import Testing
@testable import SealboxServer
import SealboxHTML

/// Every refusal of the web form gives it back filled (never with files), names the files
/// to choose again, puts the message first with the focus on it, and keeps its status.
struct RefusedFormTests {
    static let fields: [(String, String)] = [
        ("text", "Der Vermieter sagte <nein> & ging."), ("grounds", "age"), ("area", "housing"),
        ("when", "letzte Woche"), ("where", "Hannover"), ("contact", "a@example.org"),
    ]
    static let evilName = "<img src=x onerror=alert(1)>.jpg"

    static func refused(_ error: PublicError, files: [String] = ["brief.pdf", evilName], language: Language = .english) -> (Response, String) {
        let echo = FormEcho()
        for (name, value) in fields { echo.fields.add(name, value) }
        echo.fileNames = files
        let ctx = PageSamples.context(language, path: "/report")
        let page = Pages.reportForm(ctx, state: ReportFormState(echo, refusal: error), limits: PageSamples.limits)
        let pages = PageFactory(office: Office(name: "Stelle"), limits: .init(), inboxAvailable: true)
        return (pages.refusal(page, error, leftUnread: false, context: ctx), page.markup)
    }

    static func expectFilledForm(_ html: String) throws {
        #expect(html.contains(">Der Vermieter sagte &lt;nein&gt; &amp; ging.</textarea>"))
        #expect(html.contains("value=\"age\" checked"))
        #expect(html.contains("value=\"housing\" checked"))
        #expect(html.contains("value=\"letzte Woche\""))
        #expect(html.contains("value=\"Hannover\""))
        #expect(html.contains(">a@example.org</textarea>"))
        let summary = try #require(html.firstRange(of: "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"error-summary\" autofocus"))
        let form = try #require(html.firstRange(of: "<form "))
        #expect(summary.lowerBound < form.lowerBound, "the message comes before the form")
    }

    @Test func tooManyRequests_givesTheFormBackFilled_with429AndRetryAfter() throws {
        let (response, html) = Self.refused(PublicError(.tooManyRequests, "error.rate_limited", retryAfter: 60))
        #expect(response.status == .tooManyRequests)
        #expect(response.headers[.retryAfter] == "60")
        #expect(response.headers[.contentType] == "text/html; charset=utf-8")
        try Self.expectFilledForm(html)
        #expect(html.contains("<h2 id=\"error-summary-title\">Too many attempts</h2>"))
        #expect(html.contains("<li>There were too many attempts."))
        #expect(html.contains("Your report has not been sent yet."))
    }

    @Test func busy_givesTheFormBackFilled_with503AndRetryAfter() throws {
        let (response, html) = Self.refused(.busy(retryAfter: 3))
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] == "3")
        try Self.expectFilledForm(html)
        #expect(html.contains("<h2 id=\"error-summary-title\">Busy right now</h2>"))
    }

    @Test func anyOtherRefusal_givesTheFormBackToo_underItsOwnStatus() throws {
        let (response, html) = Self.refused(.insufficientStorage)
        #expect(response.status.code == 507)
        try Self.expectFilledForm(html)
    }

    @Test func tooLarge_namesTheFilesToChooseAgain_escaped_andClosesTheConnection() throws {
        let (response, html) = Self.refused(.fileTooLarge)
        #expect(response.status == .contentTooLarge)
        #expect(response.headers[.connection] == "close")
        try Self.expectFilledForm(html)
        #expect(html.contains("<a href=\"#field-attachment\">A file is too large."))
        #expect(html.contains("<a href=\"#field-attachment\">Please choose these files again:</a>"))
        #expect(Markup.count(of: "<li><bdi>brief.pdf</bdi></li>", in: html) == 2, "in the summary and at the file field")
        #expect(html.contains("<li><bdi>&lt;img src=x onerror=alert(1)&gt;.jpg</bdi></li>"))
        #expect(!html.contains("<img src=x"))
    }

    @Test func withoutFiles_theFormSaysOnlyThatFilesAreNeverKept() throws {
        let (_, html) = Self.refused(.busy(retryAfter: 3), files: [])
        #expect(!html.contains("file-names"))
        #expect(html.contains("Please choose your files again."))
    }

    @Test(arguments: Language.all)
    func everyLanguage_hasTheTextsOfARefusedForm(language: Language) throws {
        let (_, html) = Self.refused(.busy(retryAfter: 3), language: language)
        let localiser = Localiser(language)
        for key in ["form.refused.kept", "form.attachment.again.named", "error.503.title", "error.busy"] {
            #expect(html.contains(rendered(localiser, key)), "\(key) in \(language.tag)")
        }
    }

    // MARK: Spell checkers

    @Test func everyFreeTextField_isKeptFromSpellCheckers() {
        let form = Pages.reportForm(PageSamples.context(), state: ReportFormState(), limits: PageSamples.limits).markup
        for id in ["field-text", "field-when", "field-where", "field-contact"] {
            #expect(form.matches(of: try! Regex("<(textarea|input)[^>]* id=\"\(id)\"[^>]* autocomplete=\"off\" spellcheck=\"false\"")).count == 1, "\(id)")
        }
        #expect(!form.contains("spellcheck=\"true\""))
        let view = InboxThreadView(
            caseReference: try! CaseReference(parsing: "7KQM-3XWP"), status: "received", receivedDay: Day("2026-11-24")!, acknowledgedDay: nil,
            acknowledgementDue: Day("2026-12-01")!, feedbackDue: Day("2027-02-24")!, messages: [], visitToken: "t",
            followUpErrors: [], followUpText: "")
        let thread = Pages.inboxThread(PageSamples.context(), thread: view, limits: PageSamples.limits).markup
        #expect(thread.matches(of: /<textarea id="field-text"[^>]* autocomplete="off" spellcheck="false"/).count == 1)
        #expect(!thread.contains("spellcheck=\"true\""))
    }

    // MARK: Through the router

    /// POSTs a form to `/report` in English, hands the answer to `check`, and checks that nothing was stored.
    static func post(_ t: TestDaemon, _ form: (HTTPFields, ByteBuffer), declaringLength: Bool = false,
                     check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        let body = form.1
        var declared = form.0
        if declaringLength { declared[.contentLength] = String(body.readableBytes) }
        let headers = declared
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/report?lang=en", method: .post, headers: headers, body: body) { try check($0) }
        }
        #expect(try await t.daemon.database.counts().cases == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.directory.appendingPathComponent("tmp").path).isEmpty)
    }

    @Test func fileOverItsLimit_is413_withTheFieldsReadBeforeIt_andTheFileNamed() async throws {
        let t = try TestDaemon { $0.attachmentSize = 10 }
        defer { t.remove() }
        let form = multipart(fields: Self.fields, files: [("attachment", "foto 1.jpg", "image/jpeg", Array(repeating: 7, count: 64))])
        try await Self.post(t, form) { response in
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.connection] == "close")
            try Self.expectFilledForm(response.text)
            #expect(response.text.contains("<li><bdi>foto 1.jpg</bdi></li>"))
        }
    }

    @Test func declaredBodyOverTheLimit_is413_withTheFieldsItBeganWith() async throws {
        let t = try TestDaemon { $0.attachmentTotal = 100 }
        defer { t.remove() }
        let form = multipart(fields: Self.fields, files: [("attachment", "scan.pdf", "application/pdf", Array(repeating: 1, count: 400_000))])
        try await Self.post(t, form, declaringLength: true) { response in
            #expect(response.status == .contentTooLarge)
            try Self.expectFilledForm(response.text)
            #expect(response.text.contains("<li><bdi>scan.pdf</bdi></li>"))
        }
    }

    @Test func missingText_is422_withTheOtherFieldsAndTheFilesNamed() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let form = multipart(fields: [("text", " "), ("where", "Hannover")], files: [("attachment", "a.png", "image/png", [1, 2, 3])])
        try await Self.post(t, form) { response in
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("value=\"Hannover\""))
            #expect(response.text.contains("<h2 id=\"error-summary-title\">Please check what you entered</h2>"))
            #expect(response.text.contains("<li><bdi>a.png</bdi></li>"))
        }
    }
}
