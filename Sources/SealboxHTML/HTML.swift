// Markup for server-rendered pages. Rule: escaped HTML and plain text are two
// types. `HTML` is either written in this folder as a literal, or made from plain
// text by escaping it; a `String` (a catalogue text, configuration, anything the
// reporter typed) cannot be interpolated into HTML without `\(escaping:)`, so
// forgetting to escape is a compile error, not an injection.

/// A piece of HTML that is safe to put into a page: literal markup from the page
/// code, escaped text, or a combination of both.
public struct HTML: Sendable, Equatable, CustomStringConvertible {
    /// The markup, ready to be sent.
    public private(set) var markup: String

    private init(trusted markup: String) {
        self.markup = markup
    }

    /// `text` with `& < > " '` escaped, safe in element content and in quoted attribute values.
    public init(escaping text: String) {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\0": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        markup = out
    }

    /// No markup at all.
    public static let empty = HTML(trusted: "")

    /// The markup itself.
    public var description: String { markup }

    /// `lhs` followed by `rhs`.
    public static func + (lhs: HTML, rhs: HTML) -> HTML {
        HTML(trusted: lhs.markup + rhs.markup)
    }

    /// Appends `rhs`.
    public static func += (lhs: inout HTML, rhs: HTML) {
        lhs.markup += rhs.markup
    }
}

extension HTML: ExpressibleByStringInterpolation {
    /// Markup written in the page code: only a literal (a `StaticString`) can be one.
    public init(stringLiteral literal: StaticString) {
        self.init(trusted: literal.description)
    }

    /// Markup built from literal parts and interpolated values.
    public init(stringInterpolation: Interpolation) {
        self.init(trusted: stringInterpolation.markup)
    }

    /// Builds HTML from a literal with `\(html)`, `\(escaping: text)` and `\(number)`.
    public struct Interpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        /// Space for the literal parts.
        public init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        /// A literal part of the page code, taken as markup.
        public mutating func appendLiteral(_ literal: StaticString) {
            markup += literal.description
        }

        /// HTML, as it is.
        public mutating func appendInterpolation(_ html: HTML) {
            markup += html.markup
        }

        /// Plain text, escaped.
        public mutating func appendInterpolation(escaping text: String) {
            markup += HTML(escaping: text).markup
        }

        /// A whole number (digits and a sign need no escaping).
        public mutating func appendInterpolation(_ number: Int) {
            markup += String(number)
        }
    }
}

extension Sequence where Element == HTML {
    /// The elements one after the other, with `separator` between them.
    public func joined(separator: HTML = .empty) -> HTML {
        var result = HTML.empty
        for (index, element) in enumerated() {
            if index > 0 { result += separator }
            result += element
        }
        return result
    }
}
