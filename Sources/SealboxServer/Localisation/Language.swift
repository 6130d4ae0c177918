// Languages the reporter pages speak, and how one is chosen for a request.
//
// Rule: a language the query names (`?lang=TAG`) wins; otherwise the best
// q-weighted match in Accept-Language; otherwise the default. A language is
// only offered when its catalogue is complete (LocalisationTests enforce it).

/// A language the pages can be shown in.
public struct Language: Hashable, Sendable {
    /// The tag used in `?lang=` and in catalogue lookups, e.g. `de`, `en`, later `de-simple`.
    public let tag: String
    /// The language's name in itself, shown in the language switch ("Deutsch", "English").
    public let nativeName: String
    /// Whether pages in this language are laid out right to left (`dir="rtl"`).
    public let isRightToLeft: Bool
    /// The value of `<html lang>`; usually the tag (Leichte Sprache will be `de`).
    public let htmlLang: String

    public init(tag: String, nativeName: String, isRightToLeft: Bool = false, htmlLang: String? = nil) {
        self.tag = tag
        self.nativeName = nativeName
        self.isRightToLeft = isRightToLeft
        self.htmlLang = htmlLang ?? tag
    }

    /// The value of the `dir` attribute.
    public var direction: String { isRightToLeft ? "rtl" : "ltr" }

    public static let german = Language(tag: "de", nativeName: "Deutsch")
    public static let english = Language(tag: "en", nativeName: "English")
    /// Leichte Sprache (Easy German): German pages in the rules of the Netzwerk Leichte Sprache.
    public static let easyGerman = Language(tag: "de-simple", nativeName: "Leichte Sprache", htmlLang: "de")
    public static let turkish = Language(tag: "tr", nativeName: "Türkçe")
    public static let arabic = Language(tag: "ar", nativeName: "العربية", isRightToLeft: true)
    public static let ukrainian = Language(tag: "uk", nativeName: "Українська")
    public static let russian = Language(tag: "ru", nativeName: "Русский")
    public static let polish = Language(tag: "pl", nativeName: "Polski")
    public static let persian = Language(tag: "fa", nativeName: "فارسی", isRightToLeft: true)

    /// The languages Sealbox ships, in the order of the language switch.
    public static let builtIn: [Language] = [.german, .easyGerman, .english, .turkish, .arabic, .ukrainian, .russian, .polish, .persian]

    /// Every language offered: the built-in ones and those an office added by configuration.
    public static var all: [Language] { builtIn + CatalogueOverrides.installed.added }

    /// The language used when nothing else matches.
    public static let `default`: Language = .german

    /// The offered language with this tag (case-insensitive), if any.
    public static func named(_ tag: String) -> Language? {
        let wanted = tag.lowercased()
        return all.first { $0.tag == wanted }
    }
}

/// Chooses the language of a response.
public enum LanguageNegotiation {
    /// Accept-Language entries considered at most; the rest are ignored.
    static let maximumEntries = 32

    /// The language for a request: the query's tag if it names an offered language
    /// (`fromQuery` is then true and links keep `?lang=`), else the best
    /// Accept-Language match (exact tag first, then the primary subtag, so
    /// `de-AT` gives `de`), else ``Language/default``.
    public static func choose(query: String?, acceptLanguage: String?) -> (language: Language, fromQuery: Bool) {
        if let query, query.utf8.count <= 35, let language = Language.named(query.trimmingLanguageWhitespace()) {
            return (language, true)
        }
        if let acceptLanguage, let language = bestMatch(acceptLanguage) {
            return (language, false)
        }
        return (.default, false)
    }

    /// The best offered language for an Accept-Language header, or nil.
    static func bestMatch(_ header: String) -> Language? {
        var ranges: [(tag: String, q: Double, position: Int)] = []
        for (position, part) in header.split(separator: ",", omittingEmptySubsequences: true)
            .prefix(maximumEntries).enumerated() {
            let pieces = part.split(separator: ";")
            guard let first = pieces.first else { continue }
            let tag = String(first).trimmingLanguageWhitespace().lowercased()
            guard !tag.isEmpty, tag.utf8.count <= 35 else { continue }
            var q = 1.0
            for parameter in pieces.dropFirst() {
                let kv = parameter.split(separator: "=", maxSplits: 1)
                if kv.count == 2, String(kv[0]).trimmingLanguageWhitespace().lowercased() == "q" {
                    q = Double(String(kv[1]).trimmingLanguageWhitespace()) ?? 0
                }
            }
            guard q > 0, q <= 1 else { continue }
            ranges.append((tag, q, position))
        }
        ranges.sort { $0.q != $1.q ? $0.q > $1.q : $0.position < $1.position }
        for range in ranges {
            if range.tag == "*" { return .default }
            if let exact = Language.named(range.tag) { return exact }
            let primary = range.tag.split(separator: "-").first.map(String.init) ?? range.tag
            if let language = Language.named(primary) { return language }
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingLanguageWhitespace() -> String {
        var scalars = Substring(self)
        while let c = scalars.first, c.isWhitespace { scalars.removeFirst() }
        while let c = scalars.last, c.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
