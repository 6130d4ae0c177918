// Why a catalogue file was refused. Rule: every message names the file and,
// where one is at fault, the key, so a translator can find the line to fix.

/// A defect in a catalogue file (shipped or the office's), found by ``CatalogueLoader``.
public struct CatalogueError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What is wrong.
    public enum Problem: Equatable, Sendable {
        /// The directory or file cannot be read.
        case unreadable
        /// The file is not valid JSON, or its top level is not an object.
        case notAnObject
        /// The file name is not a language tag followed by `.json`.
        case badFileName
        /// The value of a text key is not a string.
        case notAString
        /// The key is not one of Sealbox's texts (not in the German catalogue).
        case unknownKey
        /// The text uses other placeholders than the German text of the key.
        case placeholders(expected: Set<Int>, found: Set<Int>)
        /// A complete catalogue (a shipped one, or a language an office adds) lacks these keys.
        case missingKeys([String])
        /// A language without a shipped catalogue comes without its `_language` object.
        case missingLanguage
        /// The `_language` object, or one of its fields, is malformed.
        case badLanguage
        /// `_review` is not a string.
        case badReview
        /// `_source_hashes` is not an object of 16-digit hexadecimal hashes by key.
        case badSourceHashes
    }

    /// The file's name, e.g. `it.json`, or the directory for ``Problem/unreadable``.
    public let file: String
    /// The key at fault, e.g. `footer.contact` or `_language.rtl`; nil when the whole file is.
    public let key: String?
    /// What is wrong.
    public let problem: Problem

    /// An error about `key` (or the whole file) of `file`.
    public init(file: String, key: String? = nil, _ problem: Problem) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    /// One line for a person: the file, the key and what to do.
    public var description: String {
        let at = key.map { "\(file): \($0)" } ?? file
        switch problem {
        case .unreadable:
            return "\(file) cannot be read"
        case .notAnObject:
            return "\(file) is not a JSON object of texts ({\"key\": \"text\", …})"
        case .badFileName:
            return "\(file): the file name must be a language tag such as it.json"
        case .notAString:
            return "\(at) must be a string"
        case .unknownKey:
            return "\(at) is not a key of Sealbox's texts"
        case .placeholders(let expected, let found):
            return "\(at) must use the placeholders of the German text (\(Self.list(expected))), not \(Self.list(found))"
        case .missingKeys(let keys):
            let shown = keys.prefix(5).joined(separator: ", ") + (keys.count > 5 ? ", …" : "")
            return "\(file) lacks \(keys.count) text\(keys.count == 1 ? "" : "s"): \(shown)"
        case .missingLanguage:
            return "\(file) adds a language: it needs \"_language\": {\"name\": \"…\", \"rtl\": false}"
        case .badLanguage:
            return "\(at) is malformed: \"_language\" is {\"name\": non-empty text, \"rtl\": true or false, \"html_lang\": a language tag, \"sentence_lines\": true or false}"
        case .badReview:
            return "\(at) must be a string (the state of review of the translation)"
        case .badSourceHashes:
            return "\(at) must be an object of source hashes by key, each 16 hexadecimal digits (sealboxd check-texts prints them)"
        }
    }

    private static func list(_ placeholders: Set<Int>) -> String {
        placeholders.isEmpty ? "none" : placeholders.sorted().map { "{\($0)}" }.joined(separator: " ")
    }
}
