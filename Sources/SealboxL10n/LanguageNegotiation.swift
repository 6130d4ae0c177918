// How one language is chosen for a request.
//
// Rule: a language the query names (`?lang=TAG`) wins; otherwise the best
// q-weighted match in Accept-Language; otherwise the default.

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
