// The localisation catalogues: one Swift dictionary per language, compiled
// into the binary (single-binary deployment). Keys are dotted, e.g.
// `form.text.label`. Values are plain text (never markup; pages escape them)
// with `{0}`, `{1}` … placeholders. Every catalogue must hold every key:
// LocalisationTests fail on a missing key or on placeholders that differ.

/// The built-in catalogues.
public struct Catalogue: Sendable {
    /// The strings of a language; empty for a language without a catalogue.
    public static func strings(for language: Language) -> [String: String] {
        if let configured = CatalogueOverrides.installed.strings[language.tag] { return configured }
        return builtInStrings(for: language)
    }

    /// The strings Sealbox ships for a language, without the office's overrides.
    public static func builtInStrings(for language: Language) -> [String: String] {
        switch language.tag {
        case Language.german.tag: return germanComplete
        case Language.easyGerman.tag: return easyGerman
        case Language.english.tag: return englishComplete
        case Language.turkish.tag: return turkishComplete
        case Language.arabic.tag: return arabicComplete
        case Language.ukrainian.tag: return ukrainianComplete
        case Language.russian.tag: return russianComplete
        case Language.polish.tag: return polishComplete
        case Language.persian.tag: return persianComplete
        default: return [:]
        }
    }

    static let germanComplete = merged(german, germanInbox, germanStatement)
    static let englishComplete = merged(english, englishInbox, englishStatement)

    static let turkishComplete = merged(turkish, turkishStatement)
    static let arabicComplete = merged(arabic, arabicStatement)
    static let ukrainianComplete = merged(ukrainian, ukrainianStatement)
    static let russianComplete = merged(russian, russianStatement)
    static let polishComplete = merged(polish, polishStatement)
    static let persianComplete = merged(persian, persianStatement)

    static func merged(_ parts: [String: String]...) -> [String: String] {
        parts.reduce(into: [:]) { all, part in all.merge(part) { first, _ in first } }
    }

    /// Every key some catalogue defines.
    public static var allKeys: Set<String> {
        Language.all.reduce(into: Set<String>()) { keys, language in
            keys.formUnion(strings(for: language).keys)
        }
    }

    /// Message keys for validation and HTTP errors, used by the HTML pages and the JSON API alike.
    public static let messageKeys: [String] = [
        "error.text_missing", "error.text_too_long", "error.field_too_long", "error.invalid_utf8",
        "error.invalid_choice", "error.too_many_files", "error.file_too_large", "error.body_too_large",
        "error.unsupported_media_type", "error.malformed_body", "error.busy", "error.not_found",
        "error.method_not_allowed", "error.internal", "error.unauthorized",
        "error.code_malformed", "error.code_typo", "error.code_unknown", "error.rate_limited", "error.session_expired",
    ]

    /// Keys the code builds at run time (vocabularies, months, statuses), which must exist too.
    public static var derivedKeys: [String] {
        Vocabulary.grounds.map { "ground.\($0)" }
            + Vocabulary.areas.map { "area.\($0)" }
            + (1...12).map { "month.\($0)" }
            + Pages.caseStatuses.map { "inbox.status.\($0)" }
            + Pages.errorStatuses.flatMap { ["error.\($0).title", "error.\($0).message"] }
            + messageKeys
    }
}
