// The reporter's inbox: the code form, the thread with a follow-up form, and the pages
// after sending and after leaving. Rules: the code is never in a URL, a link or a
// hidden field (nor echoed back into the code field); forms that change state carry
// the visit's token in a hidden field; message text is escaped and keeps its line
// breaks through CSS; no script.
import SealboxCore
import SealboxL10n
import SealboxHTML

/// One message of the thread as the page shows it.
public struct InboxMessageView: Sendable {
    /// True for the counselling team's replies, false for the reporter's report and follow-ups.
    public var fromTeam: Bool
    public var day: Day
    public var text: String
    /// File names only: attachments are sealed to the team, the reporter cannot open them.
    public var attachmentNames: [String]

    public init(fromTeam: Bool, day: Day, text: String, attachmentNames: [String]) {
        self.fromTeam = fromTeam
        self.day = day
        self.text = text
        self.attachmentNames = attachmentNames
    }
}

/// What the thread page shows.
public struct InboxThreadView: Sendable {
    public var caseReference: CaseReference
    /// One of `Pages.caseStatuses`; anything else reads as `received`.
    public var status: String
    public var receivedDay: Day
    public var acknowledgedDay: Day?
    public var acknowledgementDue: Day
    public var feedbackDue: Day
    /// In stored order. Empty when the page is shown again after a refused follow-up
    /// (the thread cannot be opened without the code); the page then says so.
    public var messages: [InboxMessageView]
    /// The visit's token for the state-changing forms (only ever in hidden fields).
    public var visitToken: String
    public var followUpErrors: [FieldError]
    public var followUpText: String
    /// The HTTP status of a refused follow-up (422 for problems with its fields).
    public var followUpStatus = 422
    /// The names of the files of a refused follow-up, to be chosen again.
    public var followUpFiles: [String] = []

    public init(
        caseReference: CaseReference, status: String, receivedDay: Day, acknowledgedDay: Day?,
        acknowledgementDue: Day, feedbackDue: Day, messages: [InboxMessageView], visitToken: String,
        followUpErrors: [FieldError], followUpText: String
    ) {
        self.caseReference = caseReference
        self.status = status
        self.receivedDay = receivedDay
        self.acknowledgedDay = acknowledgedDay
        self.acknowledgementDue = acknowledgementDue
        self.feedbackDue = feedbackDue
        self.messages = messages
        self.visitToken = visitToken
        self.followUpErrors = followUpErrors
        self.followUpText = followUpText
    }
}

extension Pages {
    /// The statuses a case can have; each has `inbox.status.<status>` in the catalogues.
    public static let caseStatuses = ["received", "acknowledged", "in-progress", "closed"]

    /// The fields of the follow-up form, in page order (also the order of its error summary).
    static let followUpFields = ["text", "attachment"]

    /// Messages that read wrongly under the follow-up form get the inbox's own wording.
    static let followUpMessageKeys = ["error.text_missing": "inbox.followup.missing"]

    /// `GET /inbox`, and again after a refused code (the code is not filled in again).
    public static func inboxLogin(_ ctx: PageContext, errorKey: String?, limits: FormLimits) -> HTML {
        let r = PageRenderer(ctx: ctx)
        let summary: HTML = errorKey.map { key -> HTML in
            """
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary" autofocus aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">\(r.t("form.errors.heading"))</h2>
            <ul>
            <li><a href="#field-code">\(r.t(key))</a></li>
            </ul>
            </div>
            """
        } ?? .empty
        let fieldError: HTML = errorKey.map { key -> HTML in
            "<p class=\"field-error\" id=\"error-code\"><span class=\"visually-hidden\">\(r.t("form.error.prefix")) </span>\(r.t(key))</p>\n"
        } ?? .empty
        let describedBy: HTML = errorKey == nil ? "hint-code" : "hint-code error-code"
        let invalid: HTML = errorKey == nil ? .empty : " aria-invalid=\"true\""
        let main: HTML = """
        <h1>\(r.t("inbox.title"))</h1>
        \(summary)
        <p class="lead">\(r.t("inbox.intro"))</p>
        <form method="post" action="\(r.href("/inbox"))" accept-charset="UTF-8" autocomplete="off" novalidate>
        <div class="\(errorKey == nil ? "field" : "field field-has-error")">
        <label for="field-code">\(r.t("inbox.code.label"))</label>
        <p class="hint" id="hint-code">\(r.t("inbox.code.hint"))</p>
        \(fieldError)<input type="text" id="field-code" name="code" class="input-code" inputmode="numeric" autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="64" required aria-describedby="\(describedBy)"\(invalid)>
        </div>
        <p>\(r.t("inbox.code.private"))</p>
        <p><button type="submit" class="button button-large">\(r.t("inbox.code.submit"))</button></p>
        </form>
        <section aria-labelledby="lost-heading">
        <h2 id="lost-heading">\(r.t("inbox.lost.heading"))</h2>
        <p>\(r.t("inbox.lost.text"))</p>
        <p><a href="\(r.href("/report"))">\(r.t("inbox.lost.link"))</a></p>
        </section>
        """
        let l = ctx.localiser
        let title = errorKey == nil ? l["inbox.title"] : l.format("form.title.errors", l["inbox.title"])
        return r.document(title: title, main: main, current: .inbox, pageClass: "page-inbox")
    }

    /// The thread of a case, with a follow-up form and a way to leave.
    public static func inboxThread(_ ctx: PageContext, thread: InboxThreadView, limits: FormLimits) -> HTML {
        let page = InboxThreadRenderer(r: PageRenderer(ctx: ctx), thread: thread, limits: limits)
        let l = ctx.localiser
        let title = thread.followUpErrors.isEmpty
            ? l["inbox.thread.title"]
            : l.format("form.title.errors", l["inbox.thread.title"])
        return page.r.document(title: title, main: page.main(), current: .inbox, pageClass: "page-thread")
    }

    /// The "leave" form: ends the visit (and its cookie) on the server.
    static func leaveSection(_ r: PageRenderer, visitToken: String) -> HTML {
        """
        <section aria-labelledby="leave-heading" class="leave">
        <h2 id="leave-heading">\(r.t("inbox.leave.heading"))</h2>
        <p>\(r.t("inbox.leave.text"))</p>
        <form method="post" action="\(r.href("/inbox/leave"))" accept-charset="UTF-8">
        <input type="hidden" name="visit" value="\(escaping: visitToken)">
        <p><button type="submit" class="button button-secondary">\(r.t("inbox.leave.submit"))</button></p>
        </form>
        </section>
        """
    }

    /// After a follow-up was sent: a confirmation, the way back to the thread (the code
    /// again) and the leave form.
    public static func inboxSent(_ ctx: PageContext, visitToken: String) -> HTML {
        let r = PageRenderer(ctx: ctx)
        let main: HTML = """
        <h1>\(r.t("inbox.sent.title"))</h1>
        <p class="lead" role="status">\(r.t("inbox.sent.text"))</p>
        <p>\(r.t("inbox.sent.next"))</p>
        <p><a class="button" href="\(r.href("/inbox"))">\(r.t("inbox.sent.again"))</a></p>
        \(leaveSection(r, visitToken: visitToken))
        """
        return r.document(title: ctx.localiser["inbox.sent.title"], main: main, current: .inbox, pageClass: "page-sent")
    }

    /// After leaving.
    public static func inboxLeft(_ ctx: PageContext) -> HTML {
        let r = PageRenderer(ctx: ctx)
        let main: HTML = """
        <h1>\(r.t("inbox.left.title"))</h1>
        <p class="lead" role="status">\(r.t("inbox.left.text"))</p>
        <p>\(r.t("inbox.left.again"))</p>
        <p><a class="button" href="\(r.href("/"))">\(r.t("inbox.left.home"))</a></p>
        """
        return r.document(title: ctx.localiser["inbox.left.title"], main: main, current: .none, pageClass: "page-left")
    }
}

private struct InboxThreadRenderer {
    let r: PageRenderer
    let thread: InboxThreadView
    let limits: FormLimits

    var l: Localiser { r.ctx.localiser }

    var status: String { Pages.caseStatuses.contains(thread.status) ? thread.status : "received" }

    /// The first error of each field of the follow-up form.
    var errorsByField: [String: FieldError] {
        var result: [String: FieldError] = [:]
        for error in thread.followUpErrors where result[error.field] == nil { result[error.field] = error }
        return result
    }

    func message(_ error: FieldError) -> HTML {
        r.t(Pages.followUpMessageKeys[error.messageKey] ?? error.messageKey)
    }

    /// A day in the reader's form, marked up as a `<time>`.
    func day(_ day: Day) -> HTML {
        "<time datetime=\"\(escaping: day.text)\">\(escaping: l.day(day))</time>"
    }

    func main() -> HTML {
        """
        <h1>\(r.t("inbox.thread.title"))</h1>
        \(errorSummary())
        <p class="notice">\(r.t("inbox.thread.notice"))</p>
        \(statusSection())
        \(threadSection())
        \(followUpSection())
        \(Pages.leaveSection(r, visitToken: thread.visitToken))
        """
    }

    func errorSummary() -> HTML {
        let kept: HTML = thread.followUpText.isEmpty ? .empty : "<p>\(r.t("inbox.followup.kept"))</p>\n"
        return Pages.errorSummary(
            r, status: thread.followUpStatus, errors: thread.followUpErrors, fields: Pages.followUpFields,
            message: message, files: thread.followUpFiles, kept: kept)
    }

    func statusSection() -> HTML {
        var facts = fact("inbox.case", "<span class=\"case-reference\" dir=\"ltr\" translate=\"no\">\(escaping: thread.caseReference.text)</span>")
        facts += fact("inbox.received", day(thread.receivedDay))
        if let acknowledged = thread.acknowledgedDay {
            facts += fact("inbox.acknowledged", day(acknowledged))
        }
        var expect: [HTML] = []
        if thread.acknowledgedDay == nil && status == "received" {
            expect.append("<li>\(r.f("inbox.expect.acknowledgement", l.day(thread.acknowledgementDue)))</li>\n")
        }
        if status != "closed" {
            expect.append("<li>\(r.f("inbox.expect.feedback", l.day(thread.feedbackDue)))</li>\n")
        }
        let expectList: HTML = expect.isEmpty ? .empty : "<ul class=\"expect\">\n\(expect.joined())</ul>\n"
        return """
        <section aria-labelledby="status-heading">
        <h2 id="status-heading">\(r.t("inbox.status.heading"))</h2>
        <p class="lead status status-\(escaping: status)">\(r.t("inbox.status.\(status)"))</p>
        <dl class="facts">
        \(facts)</dl>
        \(expectList)</section>
        """
    }

    func fact(_ key: String, _ value: HTML) -> HTML {
        "<div><dt>\(r.t(key))</dt><dd>\(value)</dd></div>\n"
    }

    func threadSection() -> HTML {
        let body: HTML
        if thread.messages.isEmpty {
            body = "<p>\(r.t("inbox.thread.hidden"))</p>"
        } else {
            body = "<ol class=\"thread\">\n\(thread.messages.map(messageItem).joined())</ol>"
        }
        return """
        <section aria-labelledby="thread-heading">
        <h2 id="thread-heading">\(r.t("inbox.thread.heading"))</h2>
        \(body)
        </section>
        """
    }

    func messageItem(_ message: InboxMessageView) -> HTML {
        let author = message.fromTeam ? r.t("inbox.author.team") : r.t("inbox.author.you")
        let kind: HTML = message.fromTeam ? "message-team" : "message-reporter"
        var files = HTML.empty
        if !message.attachmentNames.isEmpty {
            let names: [HTML] = message.attachmentNames.map { "<li dir=\"auto\">\(escaping: $0)</li>\n" }
            files = "<p class=\"attachments\">\(r.t("inbox.attachments"))</p>\n<ul>\n\(names.joined())</ul>\n"
        }
        return """
        <li>
        <article class="message \(kind)">
        <h3><span class="message-author">\(author)</span> <span class="message-day">\(day(message.day))</span></h3>
        <p class="message-text" dir="auto">\(escaping: message.text)</p>
        \(files)</article>
        </li>

        """
    }

    func described(_ field: String) -> HTML {
        guard errorsByField[field] != nil else { return " aria-describedby=\"hint-\(escaping: field)\"" }
        return " aria-describedby=\"hint-\(escaping: field) error-\(escaping: field)\" aria-invalid=\"true\""
    }

    func errorMessage(_ field: String) -> HTML {
        guard let error = errorsByField[field] else { return .empty }
        return "<p class=\"field-error\" id=\"error-\(escaping: field)\"><span class=\"visually-hidden\">\(r.t("form.error.prefix")) </span>\(message(error))</p>\n"
    }

    func groupClass(_ field: String) -> HTML {
        errorsByField[field] == nil ? "field" : "field field-has-error"
    }

    func followUpSection() -> HTML {
        let again = thread.followUpErrors.isEmpty ? .empty : Pages.chooseFilesAgain(r, files: thread.followUpFiles)
        let limitsText = r.f("form.attachment.limits", l.number(limits.attachmentCount), l.size(limits.attachmentSize), l.size(limits.attachmentTotal))
        return """
        <section aria-labelledby="followup-heading">
        <h2 id="followup-heading">\(r.t("inbox.followup.heading"))</h2>
        <p>\(r.t("inbox.followup.intro"))</p>
        <form method="post" enctype="multipart/form-data" action="\(r.href("/inbox/messages"))" accept-charset="UTF-8" autocomplete="off" novalidate>
        <input type="hidden" name="visit" value="\(escaping: thread.visitToken)">
        <div class="\(groupClass("text"))">
        <label for="field-text">\(r.t("inbox.followup.label"))</label>
        <p class="hint" id="hint-text">\(r.f("form.text.limit", l.number(limits.textLength)))</p>
        \(errorMessage("text"))<textarea id="field-text" name="text" rows="6" required autocomplete="off" spellcheck="false"\(described("text"))>\(escaping: thread.followUpText)</textarea>
        </div>
        <div class="\(groupClass("attachment"))">
        <label for="field-attachment">\(r.t("form.attachment.label"))</label>
        <div class="hint" id="hint-attachment">
        <p>\(limitsText)</p>
        <p>\(r.t("form.attachment.metadata"))</p>
        </div>
        \(again)\(errorMessage("attachment"))<input type="file" id="field-attachment" name="attachment" multiple\(described("attachment"))>
        </div>
        <p><button type="submit" class="button">\(r.t("inbox.followup.submit"))</button></p>
        </form>
        </section>
        """
    }
}
