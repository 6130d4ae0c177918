// The accessibility statement (Erklärung zur Barrierefreiheit, NBGG §9b) with its
// feedback channel, and the slot for a German Sign Language video on the landing page.
import SealboxL10n
import SealboxHTML

extension Pages {
    /// `GET /accessibility`.
    public static func accessibilityStatement(_ ctx: PageContext) -> HTML {
        let r = PageRenderer(ctx: ctx)
        let contact = !ctx.office.accessibilityContact.isEmpty ? ctx.office.accessibilityContact
            : !ctx.office.contact.isEmpty ? ctx.office.contact : ctx.office.name
        let main: HTML = """
        <h1>\(r.t("a11y.title"))</h1>
        <p class="lead">\(r.f("a11y.intro", ctx.office.name))</p>
        <section aria-labelledby="a11y-status">
        <h2 id="a11y-status">\(r.t("a11y.status.heading"))</h2>
        <p>\(r.t("a11y.status.text"))</p>
        </section>
        <section aria-labelledby="a11y-limits">
        <h2 id="a11y-limits">\(r.t("a11y.limits.heading"))</h2>
        <p>\(r.t("a11y.limits.text"))</p>
        </section>
        <section aria-labelledby="a11y-feedback">
        <h2 id="a11y-feedback">\(r.t("a11y.feedback.heading"))</h2>
        <p>\(r.f("a11y.feedback.text", contact))</p>
        </section>
        <section aria-labelledby="a11y-enforcement">
        <h2 id="a11y-enforcement">\(r.t("a11y.enforcement.heading"))</h2>
        <p>\(r.t("a11y.enforcement.text"))</p>
        </section>
        """
        return r.document(title: ctx.localiser["a11y.title"], main: main, current: .none, pageClass: "page-statement")
    }

    /// The German Sign Language video with captions, on German pages when one is configured.
    static func signLanguageSection(_ r: PageRenderer) -> HTML {
        guard let type = r.ctx.office.signLanguageVideoType, r.ctx.language.htmlLang == "de" else { return .empty }
        return """
        <section aria-labelledby="dgs">
        <h2 id="dgs">\(r.t("dgs.heading"))</h2>
        <p>\(r.t("dgs.text"))</p>
        <video class="dgs-video" controls preload="none" aria-labelledby="dgs">
        <source src="/media/sign-language" type="\(escaping: type)">
        <track kind="captions" src="/media/sign-language.vtt" srclang="de" label="Deutsch" default>
        </video>
        </section>
        """
    }
}
