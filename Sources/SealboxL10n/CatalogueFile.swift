// One catalogue file, TAG.json: the format of the shipped catalogues and of an
// office's l10n.directory alike.
//
//   {
//     "_language": {"name": "Deutsch", "rtl": false, "html_lang": "de"},
//     "_review": "Not yet reviewed by the office.",
//     "_source_hashes": {"form.title": "9c0d5e8f1a2b3c4d"},
//     "form.title": "Meldung schreiben",
//     "footer.contact": "Kontakt: {0}"
//   }
//
// Keys starting with "_" are metadata; every other key is a text. `_source_hashes`
// (optional) holds, for each translated key, the hash of the source text it was
// translated from (CatalogueReview), so that a check lists what became stale.
// This file only reads the format; whether the texts fit Sealbox is CatalogueLoader's check.
import Foundation

/// The parsed content of one TAG.json file.
public struct CatalogueFile: Sendable {
    /// The file's name, e.g. `de.json`; every error about the file names it.
    public let fileName: String
    /// The language tag, from the file name (lowercased).
    public let tag: String
    /// The texts by key.
    public var texts: [String: String]
    /// The language as `_language` describes it; nil when the file has no `_language`.
    public var language: Language?
    /// The state of review of the translation (`_review`), if the file says.
    public var review: String?
    /// The hash of the source text each key was translated from (`_source_hashes`), by key.
    public var sourceHashes: [String: String] = [:]

    /// Metadata keys a file may hold besides texts.
    static let languageKey = "_language"
    static let reviewKey = "_review"
    static let sourceHashesKey = "_source_hashes"

    /// Reads `data` as the catalogue file `fileName`, checking its form (not its keys).
    public static func parse(_ data: Data, fileName: String) throws(CatalogueError) -> CatalogueFile {
        guard fileName.hasSuffix(".json"), let tag = languageTag(String(fileName.dropLast(5)).lowercased()) else {
            throw CatalogueError(file: fileName, .badFileName)
        }
        let parsed = try? JSONSerialization.jsonObject(with: data)
        guard let object = parsed as? [String: Any] else { throw CatalogueError(file: fileName, .notAnObject) }
        var file = CatalogueFile(fileName: fileName, tag: tag, texts: [:])
        for (key, value) in object {
            switch key {
            case languageKey:
                file.language = try language(value, tag: tag, fileName: fileName)
            case reviewKey:
                guard let note = value as? String else { throw CatalogueError(file: fileName, key: key, .badReview) }
                file.review = note
            case sourceHashesKey:
                guard let hashes = value as? [String: Any] else {
                    throw CatalogueError(file: fileName, key: key, .badSourceHashes)
                }
                for (textKey, hash) in hashes {
                    guard let text = hash as? String, CatalogueReview.isHash(text) else {
                        throw CatalogueError(file: fileName, key: "\(key).\(textKey)", .badSourceHashes)
                    }
                    file.sourceHashes[textKey] = text
                }
            default:
                guard let text = value as? String else { throw CatalogueError(file: fileName, key: key, .notAString) }
                file.texts[key] = text
            }
        }
        return file
    }

    /// The language a `_language` object describes: `name` is required, `rtl` and
    /// `sentence_lines` are false and `html_lang` the tag unless given; any other field is refused.
    private static func language(_ value: Any, tag: String, fileName: String) throws(CatalogueError) -> Language {
        func refuse(_ field: String? = nil) -> CatalogueError {
            CatalogueError(file: fileName, key: field.map { "\(languageKey).\($0)" } ?? languageKey, .badLanguage)
        }
        guard let fields = value as? [String: Any] else { throw refuse() }
        if let unknown = fields.keys.sorted().first(where: { !["name", "rtl", "html_lang", "sentence_lines"].contains($0) }) {
            throw refuse(unknown)
        }
        guard let name = fields["name"] as? String, !name.allSatisfy(\.isWhitespace) else { throw refuse("name") }
        var isRightToLeft = false
        if let rtl = fields["rtl"] {
            guard let flag = rtl as? Bool else { throw refuse("rtl") }
            isRightToLeft = flag
        }
        var sentenceLines = false
        if let flag = fields["sentence_lines"] {
            guard let value = flag as? Bool else { throw refuse("sentence_lines") }
            sentenceLines = value
        }
        var htmlLang = tag
        if let given = fields["html_lang"] {
            guard let text = given as? String, let valid = languageTag(text) else { throw refuse("html_lang") }
            htmlLang = valid
        }
        return Language(tag: tag, nativeName: name, isRightToLeft: isRightToLeft, htmlLang: htmlLang,
                        sentenceLines: sentenceLines)
    }

    /// `text` if it has the form of a language tag (ASCII letters, digits, `-`; at most 35), else nil.
    static func languageTag(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= 35,
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else { return nil }
        return text
    }
}
