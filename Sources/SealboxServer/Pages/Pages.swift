// The reporter pages. Each function returns a whole HTML document; the
// server adds the headers (CSP, no-store where a code or content is shown).
import SealboxCore
import SealboxL10n
import SealboxHTML

/// Server-rendered pages.
public enum Pages {
    /// The statuses that have their own title and message (`error.<status>.title`, `.message`).
    public static let errorStatuses: [Int] = [400, 403, 404, 405, 413, 415, 422, 429, 500, 503, 507]

    /// `GET /`: who receives reports, what happens to them, what is stored, how to stay safe.
    public static func landing(_ ctx: PageContext) -> HTML {
        let r = PageRenderer(ctx: ctx)
        let comeBack: HTML = ctx.inboxAvailable
            ? "<p><a href=\"\(r.href("/inbox"))\">\(r.t("landing.return.link"))</a></p>"
            : .empty
        let talk: HTML = ctx.office.contact.isEmpty ? .empty : """
            <section aria-labelledby="talk">
            <h2 id="talk">\(r.t("landing.talk.heading"))</h2>
            <p>\(r.f("landing.talk.text", ctx.office.contact))</p>
            </section>
            """
        let promise = promisedPeriods(ctx)
        let main: HTML = """
        <h1>\(r.t("landing.title"))</h1>
        <p class="lead">\(r.f("landing.intro", ctx.office.name))</p>
        <p>\(r.t("landing.anonymous"))</p>
        <p class="call-to-action"><a class="button button-large" href="\(r.href("/report"))">\(r.t("landing.cta"))</a></p>
        \(signLanguageSection(r))
        <section aria-labelledby="who">
        <h2 id="who">\(r.t("landing.who.heading"))</h2>
        <p>\(r.f("landing.who.text", ctx.office.name))</p>
        </section>
        <section aria-labelledby="what-happens">
        <h2 id="what-happens">\(r.t("landing.happens.heading"))</h2>
        \(r.list(["landing.happens.sealed", "landing.happens.server", "landing.happens.read"]))
        <p>\(r.f("landing.happens.code", promise.acknowledgement, promise.feedback))</p>
        </section>
        <section aria-labelledby="law-deadline">
        <h2 id="law-deadline">\(r.t("landing.law.heading"))</h2>
        <p>\(r.t("landing.law.text"))</p>
        </section>
        <section aria-labelledby="stored">
        <h2 id="stored">\(r.t("landing.stored.heading"))</h2>
        <h3>\(r.t("landing.stored.yes.heading"))</h3>
        \(r.list(["landing.stored.yes.content", "landing.stored.yes.day"]))
        <h3>\(r.t("landing.stored.no.heading"))</h3>
        \(r.list(["landing.stored.no.ip", "landing.stored.no.browser", "landing.stored.no.cookies", "landing.stored.no.name"]))
        </section>
        <section aria-labelledby="safe">
        <h2 id="safe">\(r.t("landing.safe.heading"))</h2>
        \(r.list(["landing.safe.device", "landing.safe.tor", "landing.safe.private", "landing.safe.code", "landing.safe.details", "landing.safe.files"]))
        </section>
        <section aria-labelledby="return">
        <h2 id="return">\(r.t("landing.return.heading"))</h2>
        <p>\(r.t("landing.return.text"))</p>
        \(comeBack)
        </section>
        \(talk)
        <p class="call-to-action"><a class="button" href="\(r.href("/report"))">\(r.t("landing.cta"))</a></p>
        """
        return r.document(title: ctx.localiser["landing.title"], main: main, current: .home, pageClass: "page-landing")
    }

    /// The office's deadlines in words ("7 Tage", "3 Monate"), for the landing page.
    static func promisedPeriods(_ ctx: PageContext) -> (acknowledgement: String, feedback: String) {
        func words(_ period: DeadlinePeriod) -> String {
            switch period {
            case .days(let count): ctx.localiser.counted(count, "period.days")
            case .months(let count): ctx.localiser.counted(count, "period.months")
            }
        }
        return (words(ctx.office.notices.deadlines.acknowledgement), words(ctx.office.notices.deadlines.feedback))
    }

    /// An error page for an HTTP status: a fixed, localised title and message
    /// (never anything from the request) and a link home. Unknown statuses read as 500.
    public static func error(_ ctx: PageContext, status: Int) -> HTML {
        let r = PageRenderer(ctx: ctx)
        let known = knownErrorStatus(status)
        let main: HTML = """
        <h1>\(r.t("error.\(known).title"))</h1>
        <p class="lead">\(r.t("error.\(known).message"))</p>
        <p class="status-code">\(r.f("error.status", String(status)))</p>
        <p><a class="button" href="\(r.href("/"))">\(r.t("error.home"))</a></p>
        """
        return r.document(title: ctx.localiser["error.\(known).title"], main: main, current: .none, pageClass: "page-error")
    }
}
