// The language a reporter wrote in (PROTOCOL §3.2, member `lang`): the tag of the page
// language, as in `?lang=` (`de`, `tr`, `de-simple` for Leichte Sprache). Rule: only
// the syntax of a BCP 47 tag is checked (subtags of 1–8 ASCII letters or digits joined
// by hyphens, the first of 2–8 letters, at most 35 characters), so that a tag an office
// added by configuration passes too; lower case is the canonical form.

/// A well-formed BCP 47 language tag.
public struct LanguageTag: TextValue {
    public let text: String

    /// The longest tag accepted (RFC 5646 §4.4.1 advises 35 characters).
    public static let maximumLength = 35

    public init(parsing text: String) throws(InvalidValue) {
        let bytes = Array(text.utf8)
        guard (2...Self.maximumLength).contains(bytes.count) else { throw InvalidValue("language tag") }
        let subtags = bytes.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        func isAlphanumeric(_ b: UInt8) -> Bool { isLetter(b) || (0x30...0x39).contains(b) }
        guard let first = subtags.first, (2...8).contains(first.count), first.allSatisfy(isLetter),
              subtags.allSatisfy({ (1...8).contains($0.count) && $0.allSatisfy(isAlphanumeric) })
        else { throw InvalidValue("language tag") }
        self.text = text.lowercased()
    }
}
