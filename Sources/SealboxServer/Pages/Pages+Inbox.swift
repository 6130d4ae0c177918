// The reporter's inbox: the code form, the thread with a follow-up form, and the pages
// after sending and after leaving. Rules: the code is never in a URL, a link or a
// hidden field; forms that change state carry the visit's token; no script.

/// One message of the thread as the page shows it.
public struct InboxMessageView: Sendable {
    public var fromTeam: Bool
    public var day: String
    public var text: String
    public var attachmentNames: [String]

    public init(fromTeam: Bool, day: String, text: String, attachmentNames: [String]) {
        self.fromTeam = fromTeam
        self.day = day
        self.text = text
        self.attachmentNames = attachmentNames
    }
}

/// What the thread page shows.
public struct InboxThreadView: Sendable {
    public var caseReference: String
    public var status: String
    public var receivedDay: String
    public var acknowledgedDay: String?
    public var acknowledgementDue: String
    public var feedbackDue: String
    public var messages: [InboxMessageView]
    public var visitToken: String
    public var followUpErrors: [FieldError]
    public var followUpText: String

    public init(
        caseReference: String, status: String, receivedDay: String, acknowledgedDay: String?,
        acknowledgementDue: String, feedbackDue: String, messages: [InboxMessageView], visitToken: String,
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

    /// `GET /inbox`, and again after a refused code.
    public static func inboxLogin(_ ctx: PageContext, errorKey: String?, limits: FormLimits) -> String {
        let r = PageRenderer(ctx: ctx)
        let summary = errorKey.map {
            """
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary" autofocus aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">\(r.t("form.errors.heading"))</h2>
            <ul>
            <li><a href="#field-code">\(r.t($0))</a></li>
            </ul>
            </div>
            """
        } ?? ""
        let fieldError = errorKey.map {
            "<p class=\"field-error\" id=\"error-code\"><span class=\"visually-hidden\">\(r.t("form.error.prefix")) </span>\(r.t($0))</p>\n"
        } ?? ""
        let describedBy = errorKey == nil ? "hint-code" : "hint-code error-code"
        let invalid = errorKey == nil ? "" : " aria-invalid=\"true\""
        let main = """
        <h1>\(r.t("inbox.title"))</h1>
        \(summary)
        <p class="lead">\(r.t("inbox.intro"))</p>
        <form method="post" action="\(r.href("/inbox"))" accept-charset="UTF-8" autocomplete="off" novalidate>
        <div class="\(errorKey == nil ? "field" : "field field-has-error")">
        <label for="field-code">\(r.t("inbox.code.label"))</label>
        <p class="hint" id="hint-code">\(r.t("inbox.code.hint"))</p>
        \(fieldError)<input type="text" id="field-code" name="code" class="input-code" inputmode="numeric" autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="64" required aria-describedby="\(describedBy)"\(invalid)>
        </div>
        <p><button type="submit" class="button button-large">\(r.t("inbox.code.submit"))</button></p>
        </form>
        <h2>\(r.t("inbox.lost.heading"))</h2>
        <p>\(r.t("inbox.lost.text"))</p>
        """
        let title = errorKey == nil ? ctx.localiser["inbox.title"] : ctx.localiser.format("form.title.errors", ctx.localiser["inbox.title"])
        return r.document(title: title, main: main, current: .inbox, pageClass: "page-inbox")
    }

    /// The thread of a case, with a follow-up form and a way to leave.
    public static func inboxThread(_ ctx: PageContext, thread: InboxThreadView, limits: FormLimits) -> String {
        let r = PageRenderer(ctx: ctx)
        let l = ctx.localiser
        let status = caseStatuses.contains(thread.status) ? thread.status : "received"
        var facts = "<dt>\(r.t("inbox.case"))</dt><dd class=\"case-ref\" translate=\"no\">\(HTML.escape(thread.caseReference))</dd>\n"
        facts += "<dt>\(r.t("inbox.received"))</dt><dd>\(HTML.escape(l.day(thread.receivedDay)))</dd>\n"
        if let acknowledged = thread.acknowledgedDay {
            facts += "<dt>\(r.t("inbox.acknowledged"))</dt><dd>\(HTML.escape(l.day(acknowledged)))</dd>\n"
        }
        var expect: [String] = []
        if thread.acknowledgedDay == nil && status == "received" {
            expect.append("<li>\(r.f("inbox.expect.acknowledgement", l.day(thread.acknowledgementDue)))</li>")
        }
        if status != "closed" {
            expect.append("<li>\(r.f("inbox.expect.feedback", l.day(thread.feedbackDue)))</li>")
        }
        let expectList: String = expect.isEmpty ? "" : "<ul>\n" + expect.joined(separator: "\n") + "\n</ul>"
        let items: [String] = thread.messages.map { message in
            let author = message.fromTeam ? r.t("inbox.author.team") : r.t("inbox.author.you")
            let files: String = message.attachmentNames.isEmpty ? "" :
                "<p class=\"attachments\">\(r.t("inbox.attachments"))</p>\n<ul>\n"
                + message.attachmentNames.map { "<li>\(HTML.escape($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
            return """
            <li>
            <article class="message \(message.fromTeam ? "message-team" : "message-reporter")">
            <h3>\(author) <span class="message-day">\(HTML.escape(l.day(message.day)))</span></h3>
            <p class="message-text">\(HTML.escape(message.text))</p>
            \(files)</article>
            </li>
            """
        }
        let errorSummary: String = thread.followUpErrors.isEmpty ? "" : """
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary" autofocus aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">\(r.t("form.errors.heading"))</h2>
            <ul>
            \(thread.followUpErrors.map { "<li><a href=\"#field-\($0.field == "attachment" ? "attachment" : "text")\">\(r.t($0.messageKey))</a></li>" }.joined(separator: "\n"))
            </ul>
            </div>
            """
        let textError = thread.followUpErrors.first { $0.field == "text" }
        let textErrorHTML = textError.map {
            "<p class=\"field-error\" id=\"error-text\"><span class=\"visually-hidden\">\(r.t("form.error.prefix")) </span>\(r.t($0.messageKey))</p>\n"
        } ?? ""
        let textAttributes = textError == nil ? " aria-describedby=\"hint-text\"" : " aria-describedby=\"hint-text error-text\" aria-invalid=\"true\""
        let token = HTML.escape(thread.visitToken)
        let main = """
        <h1>\(r.t("inbox.thread.title"))</h1>
        \(errorSummary)
        <section aria-labelledby="status-heading">
        <h2 id="status-heading">\(r.t("inbox.status.heading"))</h2>
        <p class="lead status status-\(status)">\(r.t("inbox.status.\(status)"))</p>
        <dl class="facts">
        \(facts)</dl>
        \(expectList)
        </section>
        <section aria-labelledby="thread-heading">
        <h2 id="thread-heading">\(r.t("inbox.thread.heading"))</h2>
        <ol class="thread">
        \(items.joined(separator: "\n"))
        </ol>
        </section>
        <section aria-labelledby="followup-heading">
        <h2 id="followup-heading">\(r.t("inbox.followup.heading"))</h2>
        <form method="post" enctype="multipart/form-data" action="\(r.href("/inbox/messages"))" accept-charset="UTF-8" autocomplete="off" novalidate>
        <input type="hidden" name="visit" value="\(token)">
        <div class="\(textError == nil ? "field" : "field field-has-error")">
        <label for="field-text">\(r.t("inbox.followup.label"))</label>
        <p class="hint" id="hint-text">\(r.f("form.text.limit", l.number(limits.textLength)))</p>
        \(textErrorHTML)<textarea id="field-text" name="text" rows="6" required autocomplete="off"\(textAttributes)>\(HTML.escape(thread.followUpText))</textarea>
        </div>
        <div class="field">
        <label for="field-attachment">\(r.t("form.attachment.label"))</label>
        <p class="hint" id="hint-attachment">\(r.f("form.attachment.limits", l.number(limits.attachmentCount), l.size(limits.attachmentSize), l.size(limits.attachmentTotal)))</p>
        <input type="file" id="field-attachment" name="attachment" multiple aria-describedby="hint-attachment">
        </div>
        <p><button type="submit" class="button">\(r.t("inbox.followup.submit"))</button></p>
        </form>
        </section>
        \(leaveSection(r, token: token))
        """
        return r.document(title: l["inbox.thread.title"], main: main, current: .inbox, pageClass: "page-thread")
    }

    static func leaveSection(_ r: PageRenderer, token: String) -> String {
        """
        <section aria-labelledby="leave-heading" class="leave">
        <h2 id="leave-heading">\(r.t("inbox.leave.heading"))</h2>
        <p>\(r.t("inbox.leave.text"))</p>
        <form method="post" action="\(r.href("/inbox/leave"))">
        <input type="hidden" name="visit" value="\(token)">
        <p><button type="submit" class="button button-secondary">\(r.t("inbox.leave.submit"))</button></p>
        </form>
        </section>
        """
    }

    /// After a follow-up was sent.
    public static func inboxSent(_ ctx: PageContext, visitToken: String) -> String {
        let r = PageRenderer(ctx: ctx)
        let main = """
        <h1>\(r.t("inbox.sent.title"))</h1>
        <p class="lead" role="status">\(r.t("inbox.sent.text"))</p>
        <p><a class="button" href="\(r.href("/inbox"))">\(r.t("inbox.sent.again"))</a></p>
        \(leaveSection(r, token: HTML.escape(visitToken)))
        """
        return r.document(title: ctx.localiser["inbox.sent.title"], main: main, current: .inbox, pageClass: "page-sent")
    }

    /// After leaving.
    public static func inboxLeft(_ ctx: PageContext) -> String {
        let r = PageRenderer(ctx: ctx)
        let main = """
        <h1>\(r.t("inbox.left.title"))</h1>
        <p class="lead" role="status">\(r.t("inbox.left.text"))</p>
        <p><a href="\(r.href("/"))">\(r.t("inbox.left.home"))</a></p>
        """
        return r.document(title: ctx.localiser["inbox.left.title"], main: main, current: .none, pageClass: "page-left")
    }
}
