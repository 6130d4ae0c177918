// An office's own texts, without rebuilding: a directory (configuration
// `l10n.directory`) of JSON files named TAG.json. A file for a shipped language
// overrides any of its texts; a file for a new tag adds a language and must hold
// every key, with "_language": {"name": "Italiano", "rtl": false}. Unknown keys
// and placeholders that differ from the German are refused at start, so a typo
// can never silently show the wrong text.
import Foundation
import Synchronization

/// The office's additions and overrides, checked and merged once at start.
public struct CatalogueOverrides: Sendable {
    /// Languages the office added, in file-name order.
    public var added: [Language] = []
    /// The complete strings of every overridden or added language, by tag.
    public var strings: [String: [String: String]] = [:]

    public init() {}

    private static let current = Mutex(CatalogueOverrides())

    /// What the running daemon uses; empty unless `install` was called.
    public static var installed: CatalogueOverrides { current.withLock { $0 } }

    /// Makes `overrides` the daemon's texts. Called once, at start, before serving.
    public static func install(_ overrides: CatalogueOverrides) {
        current.withLock { $0 = overrides }
    }

    /// Why a directory of texts was refused; the message names the file and the key.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The texts of a shipped language as a JSON file an office can start a translation
    /// or its overrides from (`sealboxd --print-texts TAG`).
    public static func exportJSON(tag: String) -> String? {
        guard let language = Language.builtIn.first(where: { $0.tag == tag }) else { return nil }
        var object: [String: Any] = Catalogue.builtInStrings(for: language)
        object["_language"] = ["name": language.nativeName, "rtl": language.isRightToLeft, "html_lang": language.htmlLang]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads and checks every `*.json` file of `directory`.
    public static func load(directory: String) throws -> CatalogueOverrides {
        let url = URL(fileURLWithPath: directory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw LoadError(description: "l10n.directory \(directory) cannot be read")
        }
        let reference = Catalogue.builtInStrings(for: .german)
        var result = CatalogueOverrides()
        for name in names.filter({ $0.hasSuffix(".json") }).sorted() {
            let tag = String(name.dropLast(5)).lowercased()
            guard !tag.isEmpty, tag.count <= 35, tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw LoadError(description: "\(name): the file name must be a language tag such as it.json")
            }
            guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { throw LoadError(description: "\(name) is not a JSON object") }
            var texts: [String: String] = [:]
            var meta: [String: Any]?
            for (key, value) in object {
                if key == "_language" {
                    meta = value as? [String: Any]
                    continue
                }
                guard let text = value as? String else { throw LoadError(description: "\(name): \(key) must be a string") }
                guard let original = reference[key] else { throw LoadError(description: "\(name): \(key) is not a key of Sealbox's texts") }
                guard Localiser.placeholders(in: text) == Localiser.placeholders(in: original) else {
                    throw LoadError(description: "\(name): \(key) must use the placeholders of the original (\(original))")
                }
                texts[key] = text
            }
            if let shipped = Language.builtIn.first(where: { $0.tag == tag }) {
                result.strings[tag] = Catalogue.builtInStrings(for: shipped).merging(texts) { _, office in office }
            } else {
                guard let meta, let nativeName = meta["name"] as? String, !nativeName.isEmpty else {
                    throw LoadError(description: "\(name) adds a language: it needs \"_language\": {\"name\": \"…\"}")
                }
                let missing = reference.keys.filter { texts[$0] == nil }.sorted()
                guard missing.isEmpty else {
                    throw LoadError(description: "\(name) adds a language but lacks \(missing.count) texts, e.g. \(missing.prefix(3).joined(separator: ", "))")
                }
                let htmlLang = meta["html_lang"] as? String ?? tag
                guard htmlLang.count <= 35, htmlLang.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                    throw LoadError(description: "\(name): _language.html_lang must be a language tag")
                }
                result.added.append(Language(
                    tag: tag, nativeName: nativeName, isRightToLeft: meta["rtl"] as? Bool ?? false,
                    htmlLang: htmlLang))
                result.strings[tag] = texts
            }
        }
        return result
    }
}
