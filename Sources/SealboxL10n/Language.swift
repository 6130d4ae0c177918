// Languages the reporter pages speak. Their names and directions are data: the
// "_language" object of each catalogue file (Catalogues/TAG.json, or an office's
// l10n.directory). Swift names only the tags, in the order of the language switch.
// A language is only offered when its catalogue is complete (the loader enforces it).

/// A language the pages can be shown in.
public struct Language: Hashable, Sendable {
    /// The tag used in `?lang=` and in catalogue lookups, e.g. `de`, `en`, `de-simple`.
    public let tag: String
    /// The language's name in itself, shown in the language switch ("Deutsch", "English").
    public let nativeName: String
    /// Whether pages in this language are laid out right to left (`dir="rtl"`).
    public let isRightToLeft: Bool
    /// The value of `<html lang>`; usually the tag (Leichte Sprache is `de`).
    public let htmlLang: String
    /// Whether each sentence of a text is shown on a line of its own (Leichte Sprache).
    public let sentenceLines: Bool

    /// A language; `htmlLang` defaults to the tag.
    public init(tag: String, nativeName: String, isRightToLeft: Bool = false, htmlLang: String? = nil,
                sentenceLines: Bool = false) {
        self.tag = tag
        self.nativeName = nativeName
        self.isRightToLeft = isRightToLeft
        self.htmlLang = htmlLang ?? tag
        self.sentenceLines = sentenceLines
    }

    /// The value of the `dir` attribute.
    public var direction: String { isRightToLeft ? "rtl" : "ltr" }

    /// German, the reference language: every other catalogue is checked against it.
    public static let german = shipped("de")
    /// English.
    public static let english = shipped("en")
    /// Leichte Sprache (Easy German): German pages in the rules of the Netzwerk Leichte Sprache.
    public static let easyGerman = shipped("de-simple")
    /// Turkish.
    public static let turkish = shipped("tr")
    /// Arabic (right to left).
    public static let arabic = shipped("ar")
    /// Ukrainian.
    public static let ukrainian = shipped("uk")
    /// Russian.
    public static let russian = shipped("ru")
    /// Polish.
    public static let polish = shipped("pl")
    /// Persian (right to left).
    public static let persian = shipped("fa")

    /// The languages Sealbox ships, in the order of the language switch.
    public static var builtIn: [Language] { Catalogue.shipped.languages }

    /// The shipped language with this tag, as its catalogue file describes it.
    static func shipped(_ tag: String) -> Language {
        guard let language = Catalogue.shipped.languages.first(where: { $0.tag == tag }) else {
            preconditionFailure("no shipped catalogue \(tag).json")
        }
        return language
    }

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
