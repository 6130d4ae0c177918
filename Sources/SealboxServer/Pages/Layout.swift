// The document shell shared by every page: head, skip link, header with the
// office name, the language switch and the main navigation, main, footer.
// Rules: no script, no inline style, no external resource; one stylesheet.

/// How the language switch of a page is made.
enum LanguageSwitch {
    /// Links to `ctx.path?lang=TAG` (every ordinary page).
    case links
    /// Submit buttons of the form with this id, posting to `/receipt?lang=TAG` with
    /// `view=page`, so the confirmation can be shown again in another language
    /// without the code ever entering a URL.
    case receiptForm(id: String)
}

/// Which item of the main navigation is the current page.
enum NavigationItem {
    case home, report, inbox, none
}

/// Builds pages; `t` and `f` return escaped catalogue strings.
struct PageRenderer {
    let ctx: PageContext

    /// The escaped string for `key`.
    func t(_ key: String) -> String { HTML.escape(ctx.localiser[key]) }

    /// The escaped string for `key` with placeholders replaced (arguments are escaped too).
    func f(_ key: String, _ args: String...) -> String {
        HTML.escape(Localiser.substitute(ctx.localiser[key], args))
    }

    /// An escaped href for a path in this site, keeping `lang` when it came from the query.
    func href(_ path: String) -> String { HTML.escape(ctx.link(path)) }

    /// The full document.
    func document(
        title: String,
        main: String,
        current: NavigationItem,
        languageSwitch: LanguageSwitch = .links,
        pageClass: String
    ) -> String {
        let language = ctx.language
        let fullTitle = HTML.escape(title) + " – " + HTML.escape(ctx.officeName)
        return """
        <!DOCTYPE html>
        <html lang="\(HTML.escape(language.htmlLang))" dir="\(language.direction)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(fullTitle)</title>
        <link rel="stylesheet" href="/static/sealbox.css">
        </head>
        <body class="\(pageClass)">
        <a class="skip-link" href="#main">\(t("layout.skip"))</a>
        <header class="site-header">
        <div class="wrap header-row">
        <p class="office-name"><a href="\(href("/"))">\(ctx.hasLogo ? "<img class=\"logo\" src=\"/media/logo\" alt=\"\">" : "")\(HTML.escape(ctx.officeName))</a></p>
        \(languageNav(languageSwitch))
        </div>
        \(mainNav(current))
        </header>
        <main id="main" tabindex="-1">
        <div class="wrap">
        \(main)
        </div>
        </main>
        \(footer())
        </body>
        </html>

        """
    }

    private func languageNav(_ kind: LanguageSwitch) -> String {
        var items = ""
        for language in Language.all {
            let current = language == ctx.language ? " aria-current=\"true\"" : ""
            let name = HTML.escape(language.nativeName)
            let langAttributes = "lang=\"\(HTML.escape(language.htmlLang))\" dir=\"\(language.direction)\""
            switch kind {
            case .links:
                let target = HTML.escape(PageContext.link(ctx.switchPath, language: language))
                items += "<li><a href=\"\(target)\" hreflang=\"\(HTML.escape(language.htmlLang))\" \(langAttributes)\(current)>\(name)</a></li>\n"
            case .receiptForm(let id):
                let target = HTML.escape(PageContext.link("/receipt", language: language))
                items += "<li><button type=\"submit\" class=\"link-button\" form=\"\(id)\" formaction=\"\(target)\" name=\"\(ReceiptForm.view)\" value=\"\(ReceiptForm.viewPage)\" \(langAttributes)\(current)>\(name)</button></li>\n"
            }
        }
        return """
        <nav class="lang-switch" aria-label="\(t("layout.languages"))">
        <ul>
        \(items)</ul>
        </nav>
        """
    }

    private func mainNav(_ current: NavigationItem) -> String {
        func item(_ path: String, _ key: String, _ item: NavigationItem) -> String {
            let mark = item == current ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(href(path))\"\(mark)>\(t(key))</a></li>\n"
        }
        var items = item("/", "nav.home", .home) + item("/report", "nav.report", .report)
        if ctx.inboxAvailable { items += item("/inbox", "nav.inbox", .inbox) }
        return """
        <nav class="site-nav" aria-label="\(t("layout.navigation"))">
        <div class="wrap">
        <ul>
        \(items)</ul>
        </div>
        </nav>
        """
    }

    private func footer() -> String {
        let contact = ctx.officeContact.isEmpty ? "" :
            "<p>\(f("footer.contact", ctx.officeContact))</p>\n"
        return """
        <footer class="site-footer">
        <div class="wrap">
        <p>\(HTML.escape(ctx.officeName))</p>
        \(contact)<p>\(t("footer.privacy"))</p>
        <p><a href="\(href("/accessibility"))">\(t("footer.accessibility"))</a></p>
        </div>
        </footer>
        """
    }

    /// A paragraph per catalogue key.
    func paragraphs(_ keys: String...) -> String {
        keys.map { "<p>\(t($0))</p>" }.joined(separator: "\n")
    }

    /// A bulleted list of catalogue strings.
    func list(_ keys: [String], class listClass: String? = nil) -> String {
        let attribute = listClass.map { " class=\"\($0)\"" } ?? ""
        return "<ul\(attribute)>\n" + keys.map { "<li>\(t($0))</li>\n" }.joined() + "</ul>"
    }
}
