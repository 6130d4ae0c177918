// The privacy notice (Art. 13 GDPR) and the legal notice (Impressum), both linked from
// every footer. Rules: what the office configured (controller, data protection contact,
// supervisory authority, legal notice) is plain text shown as written, each in its own
// direction (dir="auto"), since it may be in another language than the page; what the
// daemon stores is said in the same words as on the landing page; retention is said
// in words from `office.retention_years`.
import SealboxL10n
import SealboxHTML

extension Pages {
    /// `GET /privacy` when the office has no notice of its own (`office.privacy_url`).
    public static func privacyNotice(_ ctx: PageContext) -> HTML {
        let r = PageRenderer(ctx: ctx)
        let notices = ctx.office.notices
        let localiser = ctx.localiser
        func section(_ id: String, _ heading: String, _ body: HTML) -> HTML {
            """
            <section aria-labelledby="\(escaping: id)">
            <h2 id="\(escaping: id)">\(r.t(heading))</h2>
            \(body)
            </section>
            """
        }
        func configured(_ text: String) -> HTML {
            "<p class=\"configured-text\" dir=\"auto\">\(escaping: text)</p>"
        }
        let retention = localiser.counted(notices.retentionYears, "period.years")
        let main: HTML = """
        <h1>\(r.t("privacy.title"))</h1>
        <p class="lead">\(r.t("privacy.intro"))</p>
        \(section("privacy-controller", "privacy.controller.heading", configured(notices.controller)))
        \(section("privacy-dpo", "privacy.dpo.heading", configured(notices.dataProtectionContact)))
        \(section("privacy-purpose", "privacy.purpose.heading", "<p>\(r.t("privacy.purpose.text"))</p>\n<p>\(r.t("privacy.basis.text"))</p>"))
        \(section("privacy-stored", "privacy.stored.heading", r.list(["privacy.stored.content", "privacy.stored.day", "privacy.stored.lookup", "privacy.stored.no_ip", "privacy.stored.cookie"])))
        \(section("privacy-recipients", "privacy.recipients.heading", "<p>\(r.t("privacy.recipients.text"))</p>"))
        \(section("privacy-retention", "privacy.retention.heading", "<p>\(r.f("privacy.retention.text", retention))</p>"))
        \(section("privacy-rights", "privacy.rights.heading", "<p>\(r.t("privacy.rights.text"))</p>\n<p>\(r.t("privacy.rights.anonymous"))</p>"))
        \(section("privacy-authority", "privacy.authority.heading", "<p>\(r.t("privacy.authority.text"))</p>\n" + configured(notices.supervisoryAuthority)))
        """
        return r.document(title: localiser["privacy.title"], main: main, current: .none, pageClass: "page-privacy")
    }

    /// `GET /imprint` when the office configured the text of its legal notice (`office.imprint`).
    public static func imprint(_ ctx: PageContext) -> HTML {
        let r = PageRenderer(ctx: ctx)
        let main: HTML = """
        <h1>\(r.t("imprint.title"))</h1>
        <p class="lead">\(r.t("imprint.intro"))</p>
        <div class="imprint-text" dir="auto">\(escaping: ctx.office.notices.imprint)</div>
        """
        return r.document(title: ctx.localiser["imprint.title"], main: main, current: .none, pageClass: "page-imprint")
    }
}
