// The document shell shared by every page: head, skip link, header with the
// office name, the language switch and the main navigation, main, footer.
// Rules: no script, no inline style, no external resource; one stylesheet.
import SealboxL10n
import SealboxHTML

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

/// Builds pages; `t` and `f` return catalogue strings as escaped ``HTML``.
///
/// Rules: in a language with sentence lines (Leichte Sprache) each sentence of a text
/// stands on a line of its own (`<br>` between them); every value filled into a
/// placeholder (a number, a date, a phone number, an address, a URL, the office's name)
/// is isolated in `<bdi>`, so that in Arabic or Persian "+49 511 1234" stays in its
/// order and an Arabic office name stays whole in a German sentence.
struct PageRenderer {
    let ctx: PageContext

    /// The string for `key`, escaped, one line per sentence where the language asks for it.
    func t(_ key: String) -> HTML { lines(ctx.localiser.lines(key)) }

    /// The string for `key`, escaped, as a single line: for attribute values.
    func attribute(_ key: String) -> HTML { HTML(escaping: ctx.localiser[key]) }

    /// The string for `key` with placeholders replaced (arguments are plain text, each
    /// isolated in `<bdi>`), escaped.
    func f(_ key: String, _ args: String...) -> HTML {
        let marker = "\u{E000}"
        let marked = args.indices.map { "\(marker)\($0)\(marker)" }
        let filled = ctx.localiser.lines(key, marked).map { line -> HTML in
            var html = HTML.empty
            for (position, piece) in line.split(separator: marker, omittingEmptySubsequences: false).enumerated() {
                if position % 2 == 1, let index = Int(String(piece)), args.indices.contains(index) {
                    html += "<bdi>\(escaping: args[index])</bdi>"
                } else {
                    html += HTML(escaping: String(piece))
                }
            }
            return html
        }
        return filled.joined(separator: "<br>\n")
    }

    /// Lines of text, escaped, separated by line breaks.
    private func lines(_ texts: [String]) -> HTML {
        texts.map { HTML(escaping: $0) }.joined(separator: "<br>\n")
    }

    /// An escaped href for a path in this site, keeping `lang` when it came from the query.
    func href(_ path: String) -> HTML { HTML(escaping: ctx.link(path)) }

    /// The full document; `title` is plain text.
    func document(
        title: String,
        main: HTML,
        current: NavigationItem,
        languageSwitch: LanguageSwitch = .links,
        pageClass: String
    ) -> HTML {
        let language = ctx.language
        let fullTitle: HTML = "\(escaping: title) – \(escaping: ctx.office.name)"
        let logo: HTML = ctx.office.hasLogo ? "<img class=\"logo\" src=\"/media/logo\" alt=\"\">" : .empty
        return """
        <!DOCTYPE html>
        <html lang="\(escaping: language.htmlLang)" dir="\(escaping: language.direction)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(fullTitle)</title>
        <link rel="stylesheet" href="/static/sealbox.css">
        </head>
        <body class="\(escaping: pageClass)">
        <a class="skip-link" href="#main">\(t("layout.skip"))</a>
        <header class="site-header">
        <div class="wrap header-row">
        <p class="office-name"><a href="\(href("/"))">\(logo)\(escaping: ctx.office.name)</a></p>
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

    private func languageNav(_ kind: LanguageSwitch) -> HTML {
        var items = HTML.empty
        for language in Language.all {
            let current: HTML = language == ctx.language ? " aria-current=\"true\"" : .empty
            let name = HTML(escaping: language.nativeName)
            let langAttributes: HTML = "lang=\"\(escaping: language.htmlLang)\" dir=\"\(escaping: language.direction)\""
            switch kind {
            case .links:
                let target = PageContext.link(ctx.switchPath, language: language)
                items += "<li><a href=\"\(escaping: target)\" hreflang=\"\(escaping: language.htmlLang)\" \(langAttributes)\(current)>\(name)</a></li>\n"
            case .receiptForm(let id):
                let target = PageContext.link("/receipt", language: language)
                items += "<li><button type=\"submit\" class=\"link-button\" form=\"\(escaping: id)\" formaction=\"\(escaping: target)\" name=\"\(escaping: ReceiptForm.view)\" value=\"\(escaping: ReceiptForm.viewPage)\" \(langAttributes)\(current)>\(name)</button></li>\n"
            }
        }
        return """
        <nav class="lang-switch" aria-label="\(attribute("layout.languages"))">
        <ul>
        \(items)</ul>
        </nav>
        """
    }

    private func mainNav(_ current: NavigationItem) -> HTML {
        func item(_ path: String, _ key: String, _ item: NavigationItem) -> HTML {
            let mark: HTML = item == current ? " aria-current=\"page\"" : .empty
            return "<li><a href=\"\(href(path))\"\(mark)>\(t(key))</a></li>\n"
        }
        var items = item("/", "nav.home", .home) + item("/report", "nav.report", .report)
        if ctx.inboxAvailable { items += item("/inbox", "nav.inbox", .inbox) }
        return """
        <nav class="site-nav" aria-label="\(attribute("layout.navigation"))">
        <div class="wrap">
        <ul>
        \(items)</ul>
        </div>
        </nav>
        """
    }

    private func footer() -> HTML {
        let contact: HTML = ctx.office.contact.isEmpty ? .empty :
            "<p>\(f("footer.contact", ctx.office.contact))</p>\n"
        let imprint: HTML = ctx.office.notices.hasImprint
            ? "<li><a href=\"\(href("/imprint"))\">\(t("footer.imprint"))</a></li>\n" : .empty
        return """
        <footer class="site-footer">
        <div class="wrap">
        <p>\(escaping: ctx.office.name)</p>
        \(contact)<p>\(t("footer.privacy"))</p>
        <ul class="footer-links">
        <li><a href="\(href("/privacy"))">\(t("footer.privacy_notice"))</a></li>
        \(imprint)<li><a href="\(href("/accessibility"))">\(t("footer.accessibility"))</a></li>
        </ul>
        </div>
        </footer>
        """
    }

    /// A paragraph per catalogue key.
    func paragraphs(_ keys: String...) -> HTML {
        keys.map { "<p>\(t($0))</p>" }.joined(separator: "\n")
    }

    /// A bulleted list of catalogue strings.
    func list(_ keys: [String], class listClass: String? = nil) -> HTML {
        let attribute: HTML = listClass.map { " class=\"\(escaping: $0)\"" } ?? .empty
        let items: [HTML] = keys.map { "<li>\(t($0))</li>\n" }
        return "<ul\(attribute)>\n\(items.joined())</ul>"
    }
}
