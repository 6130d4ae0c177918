// Reply templates (issue 11, docs/REPLY-TEMPLATES.md): data, not code (STYLE.md 19).
// The shipped files are Resources/reply-templates/replies-TAG.json, one per language of
// the reporters' pages; an office may put its own TAG.json files into a folder named by
// the `reply_templates` setting, each replacing (or adding) one language whole.
//
// Rules this file enforces: one loader for shipped and office files; the format tag; the
// four templates and no others, each a non-empty text of at most 60,000 characters; the
// only placeholder is [[ … ]], which the counsellor fills in (the composer flags it); a
// language tag of letters and hyphens that matches the file's name.
import Foundation

/// The reply templates of every language, shipped and the office's.
public struct ReplyTemplates: Sendable, Equatable {
    /// The templates every language has, in the order the composer offers them.
    public static let names = ["acknowledgement", "more-detail", "referral", "closing"]
    /// The format tag of a template file.
    public static let format = "sealbox-reply-templates/1"
    /// The language used when the reporter's has no templates (or is not known).
    public static let fallbackLanguage = "de"
    /// The languages shipped: those of the reporters' pages.
    public static let shippedLanguages = ["de", "de-simple", "en", "tr", "ar", "uk", "ru", "pl", "fa"]
    /// The longest template text, in characters (the desk's longest reply).
    public static let maximumLength = 60_000

    /// Template texts by language tag, then by name.
    public let languages: [String: [String: String]]

    /// The templates chosen for a reporter's language.
    public struct Choice: Sendable, Equatable {
        /// The language of the templates (the reporter's, or the fallback).
        public let language: String
        /// True when the reporter's language was unknown or has no templates.
        public let fellBack: Bool
        /// The texts by template name.
        public let texts: [String: String]
    }

    /// The templates for `language` (the tag sealed in a report), else German.
    public func choose(for language: String?) -> Choice {
        if let language, let texts = languages[language] {
            return Choice(language: language, fellBack: false, texts: texts)
        }
        return Choice(language: Self.fallbackLanguage, fellBack: true, texts: languages[Self.fallbackLanguage] ?? [:])
    }

    /// The shipped templates, with the office's folder's files over them when given.
    public static func load(officeFolder: URL? = nil) throws(ReplyTemplateError) -> ReplyTemplates {
        var languages: [String: [String: String]] = [:]
        for (tag, bytes) in shippedFiles {
            languages[tag] = try parse(bytes, file: "replies-\(tag).json", expecting: tag)
        }
        if let officeFolder {
            for (tag, texts) in try officeFiles(officeFolder) { languages[tag] = texts }
        }
        return ReplyTemplates(languages: languages)
    }

    /// The embedded files by language tag.
    static var shippedFiles: [(String, [UInt8])] {
        [("de", PackageResources.replies_de_json), ("de-simple", PackageResources.replies_de_simple_json),
         ("en", PackageResources.replies_en_json), ("tr", PackageResources.replies_tr_json),
         ("ar", PackageResources.replies_ar_json), ("uk", PackageResources.replies_uk_json),
         ("ru", PackageResources.replies_ru_json), ("pl", PackageResources.replies_pl_json),
         ("fa", PackageResources.replies_fa_json)]
    }

    /// Every `TAG.json` of the office's folder; other files are ignored.
    static func officeFiles(_ folder: URL) throws(ReplyTemplateError) -> [(String, [String: String])] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw ReplyTemplateError("cannot read the reply templates folder \(folder.path)")
        }
        var found: [(String, [String: String])] = []
        for name in names where name.hasSuffix(".json") {
            let tag = String(name.dropLast(5))
            let path = folder.appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ReplyTemplateError("cannot read the reply templates file \(path)")
            }
            found.append((tag, try parse(Array(data), file: path, expecting: tag)))
        }
        return found
    }

    /// The texts of one file, checked.
    public static func parse(_ bytes: [UInt8], file: String, expecting tag: String) throws(ReplyTemplateError) -> [String: String] {
        guard isLanguageTag(tag) else {
            throw ReplyTemplateError("\(file): the file name must be a language tag such as de.json or de-simple.json")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            throw ReplyTemplateError("\(file): not a JSON object")
        }
        for key in object.keys where !["format", "language", "templates"].contains(key) {
            throw ReplyTemplateError("\(file): unknown member \"\(key)\"")
        }
        guard object["format"] as? String == format else {
            throw ReplyTemplateError("\(file): \"format\" must be \"\(format)\"")
        }
        guard object["language"] as? String == tag else {
            throw ReplyTemplateError("\(file): \"language\" must be \"\(tag)\", as the file's name says")
        }
        guard let templates = object["templates"] as? [String: Any] else {
            throw ReplyTemplateError("\(file): \"templates\" must be an object of texts")
        }
        var texts: [String: String] = [:]
        for (name, value) in templates {
            guard names.contains(name) else {
                throw ReplyTemplateError("\(file): unknown template \"\(name)\" (the templates are \(names.joined(separator: ", ")))")
            }
            guard let text = value as? String,
                  !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ReplyTemplateError("\(file): template \"\(name)\" must be a text that is not empty")
            }
            guard text.count <= maximumLength else {
                throw ReplyTemplateError("\(file): template \"\(name)\" is longer than \(maximumLength) characters")
            }
            guard placeholdersBalanced(text) else {
                throw ReplyTemplateError("\(file): template \"\(name)\" has a \"[[\" without \"]]\" (or the reverse)")
            }
            texts[name] = text
        }
        for name in names where texts[name] == nil {
            throw ReplyTemplateError("\(file): template \"\(name)\" is missing")
        }
        return texts
    }

    /// The placeholders `[[ … ]]` left in `text`, for the counsellor to fill in.
    public static func placeholders(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "[["), let close = rest[open.upperBound...].range(of: "]]") {
            found.append(String(rest[open.lowerBound..<close.upperBound]))
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func placeholdersBalanced(_ text: String) -> Bool {
        text.components(separatedBy: "[[").count == text.components(separatedBy: "]]").count
            && placeholders(in: text).count == text.components(separatedBy: "[[").count - 1
    }

    /// `de`, `de-simple`, `pt-br`: lower-case letters, groups joined by single hyphens.
    static func isLanguageTag(_ tag: String) -> Bool {
        let groups = tag.split(separator: "-", omittingEmptySubsequences: false)
        return !tag.isEmpty && tag.count <= 35 && groups.allSatisfy { group in
            !group.isEmpty && group.allSatisfy { $0.isASCII && $0.isLowercase && $0.isLetter }
        }
    }
}

/// Why a template file was refused; the message names the file and the place.
public struct ReplyTemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
