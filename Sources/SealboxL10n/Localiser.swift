// Looks up catalogue strings for one language. A missing key is shown as
// ⟦key⟧ — visible, never a silent fallback — and the tests render every page
// in every language and fail when such a marker appears.

/// Strings of one language.
public struct Localiser: Sendable {
    /// The language of the strings.
    public let language: Language
    let strings: [String: String]

    /// A localiser over the built-in catalogue of `language`.
    public init(_ language: Language) {
        self.init(language, strings: Catalogue.strings(for: language))
    }

    /// A localiser over the given strings (e.g. a catalogue with an office's overrides applied).
    public init(_ language: Language, strings: [String: String]) {
        self.language = language
        self.strings = strings
    }

    /// The string for `key`, or `⟦key⟧` when the catalogue lacks it.
    public subscript(_ key: String) -> String {
        strings[key] ?? Self.missing(key)
    }

    /// The string for `key` with `{0}`, `{1}` … replaced by `args` in one pass
    /// (an argument that itself contains `{1}` is not expanded again).
    public func format(_ key: String, _ args: String...) -> String {
        format(key, arguments: args)
    }

    /// ``format(_:_:)`` with the arguments as an array.
    public func format(_ key: String, arguments: [String]) -> String {
        Self.substitute(self[key], arguments)
    }

    /// The marker shown for a missing key.
    static func missing(_ key: String) -> String { "⟦\(key)⟧" }

    static func substitute(_ template: String, _ args: [String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"),
               let index = Int(rest[afterOpen..<close]), args.indices.contains(index) {
                result += args[index]
                rest = rest[rest.index(after: close)...]
            } else {
                result += "{"
                rest = rest[afterOpen...]
            }
        }
        result += rest
        return result
    }

    /// The placeholder numbers used in a template, e.g. [0, 1] for "{0} of {1}".
    static func placeholders(in template: String) -> Set<Int> {
        var found = Set<Int>()
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            if let index = Int(rest[afterOpen..<close]) { found.insert(index) }
            rest = rest[rest.index(after: close)...]
        }
        return found
    }
}
