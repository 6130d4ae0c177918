// What every page needs to know about the request and the office.
import SealboxL10n

/// Per-request rendering context.
public struct PageContext: Sendable {
    /// The strings of the chosen language.
    public var localiser: Localiser
    /// True when the language came from `?lang=`; links and form actions then keep it.
    public var langFromQuery: Bool
    /// The current path (without query), target of the language switch links.
    public var path: String
    /// The office: name, contacts, address, sign language video, logo.
    public var office: Office
    /// Whether `/inbox` exists; until it does, no page links to it.
    public var inboxAvailable: Bool

    public init(localiser: Localiser, langFromQuery: Bool = false, path: String = "/", office: Office,
                inboxAvailable: Bool = false) {
        self.localiser = localiser
        self.langFromQuery = langFromQuery
        self.path = path
        self.office = office
        self.inboxAvailable = inboxAvailable
    }

    /// Paths that only answer POST, and the page a language-switch link goes to instead
    /// (a link to them would answer 405).
    static let postOnlyPaths: [String: String] = ["/inbox/messages": "/inbox", "/inbox/leave": "/", "/receipt": "/"]

    /// `path` if it is a plain local path (`/`, `/report`), else `/`: the request path
    /// of a 404 could be `//elsewhere.example` and must not become a link off the site.
    /// A path that only answers POST gives the page to go to instead.
    public var switchPath: String {
        if let instead = Self.postOnlyPaths[path] { return instead }
        let allowed = path.unicodeScalars.allSatisfy {
            ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A)
                || ($0.value >= 0x61 && $0.value <= 0x7A) || "/-_.".unicodeScalars.contains($0)
        }
        guard allowed, path.hasPrefix("/"), !path.hasPrefix("//"), path.utf8.count <= 200 else { return "/" }
        return path
    }

    /// The language of the page.
    public var language: Language { localiser.language }

    /// `path` with `lang=` appended when the language came from the query (unescaped;
    /// pages escape it when they put it into an attribute).
    public func link(_ path: String) -> String {
        langFromQuery ? Self.link(path, language: language) : path
    }

    /// `path` with `lang=` for the given language, always.
    public static func link(_ path: String, language: Language) -> String {
        let separator = path.contains("?") ? "&" : "?"
        return path + separator + "lang=" + language.tag
    }
}
