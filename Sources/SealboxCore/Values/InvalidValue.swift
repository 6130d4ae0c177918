// The one error of the value types: a text that is not a case reference, an item id,
// a day, a status… It names the kind of value, never the input (which may be hostile
// or secret), so it is safe to log and to show.

/// A text that does not parse as the value it claims to be.
public struct InvalidValue: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was expected, e.g. "case reference".
    public let expected: String

    public init(_ expected: String) {
        self.expected = expected
    }

    public var description: String { "not a valid \(expected)" }
}

/// A value with one text form that is parsed once at the edge and printed back unchanged:
/// `init(parsing:)` checks, `text` prints. Codable as that text.
public protocol TextValue: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Parses the text form; throws `InvalidValue` for anything else.
    init(parsing text: String) throws(InvalidValue)
    /// The canonical text form.
    var text: String { get }
}

extension TextValue {
    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
