// The reporter code (PROTOCOL §6): 15 uniform digits and a Damm check digit.
// Normalisation refuses input over 64 characters before anything else, maps
// full-width, Arabic-Indic and Persian digits to ASCII, drops white space, dashes
// and direction marks, and demands exactly 16 digits with a valid check digit. The digits
// are a secret: they live in SecureBytes and are never printed.

/// Why typed input is not a reporter code. Neither case triggers a key derivation.
public enum CodeInputError: Error, Sendable, Equatable {
    /// Longer than 64 characters.
    case tooLong
    /// Not 16 digits after normalisation.
    case malformed
    /// 16 digits whose check digit fails: probably a typo.
    case typo
}

/// A reporter code.
public struct ReporterCode: Sendable, Equatable, CustomStringConvertible {
    /// Longest input considered at all.
    public static let maximumInputLength = 64

    /// The 16 ASCII digits.
    public let digits: SecureBytes

    private init(digits: SecureBytes) {
        self.digits = digits
    }

    /// A code from 16 ASCII digits kept in secure memory (e.g. a code derived ahead);
    /// the digits are copied.
    public init(checking digits: SecureBytes) throws(CodeInputError) {
        guard digits.count == 16 else { throw CodeInputError.malformed }
        let valid = digits.withUnsafeBytes { d in d.allSatisfy { (0x30...0x39).contains($0) } }
        guard valid else { throw CodeInputError.malformed }
        guard digits.withUnsafeBytes({ Self.dammInterim($0) }) == 0 else { throw CodeInputError.typo }
        self.init(digits: digits.copy())
    }

    /// A fresh code: 15 digits from `randombytes_uniform(10)` and a check digit.
    public static func generate() -> ReporterCode {
        let digits = SecureBytes(count: 16)
        digits.withUnsafeMutableBytes { d in
            for i in 0..<15 { d[i] = 0x30 + UInt8(Random.uniform(10)) }
            d[15] = 0x30 + dammCheckDigit(UnsafeRawBufferPointer(rebasing: d[0..<15]))
        }
        return ReporterCode(digits: digits)
    }

    /// Normalises what a reporter typed (PROTOCOL §6) and checks the check digit.
    public init(normalising input: String) throws(CodeInputError) {
        let scalars = input.unicodeScalars
        var seen = 0
        for _ in scalars {
            seen += 1
            if seen > Self.maximumInputLength { throw CodeInputError.tooLong }
        }
        let digits = SecureBytes(count: 16)
        var n = 0
        for scalar in scalars {
            if let value = Self.digitValue(scalar) {
                guard n < 16 else { throw CodeInputError.malformed }
                digits.withUnsafeMutableBytes { $0[n] = 0x30 + value }
                n += 1
            } else if !Self.isIgnorable(scalar) {
                throw CodeInputError.malformed
            }
        }
        guard n == 16 else { throw CodeInputError.malformed }
        let check = digits.withUnsafeBytes { Self.dammInterim($0) }
        guard check == 0 else { throw CodeInputError.typo }
        self.init(digits: digits)
    }

    /// `4721 0938 5562 1170`: for showing to the reporter only.
    public var grouped: String {
        digits.withUnsafeBytes { d in
            stride(from: 0, to: 16, by: 4)
                .map { String(decoding: d[$0..<($0 + 4)], as: UTF8.self) }
                .joined(separator: " ")
        }
    }

    /// Never shows the digits.
    public var description: String { "ReporterCode(****)" }

    /// The Damm check digit (0...9) of `digits`, each either a value 0...9 or an ASCII digit.
    public static func dammCheckDigit(_ digits: some Collection<UInt8>) -> UInt8 {
        dammInterim(digits)
    }

    /// Runs Damm's quasigroup over `digits`; 0 for a sequence ending in its check digit.
    static func dammInterim(_ digits: some Collection<UInt8>) -> UInt8 {
        var interim = 0
        for d in digits {
            let value = d >= 0x30 ? Int(d) - 0x30 : Int(d)
            precondition((0...9).contains(value), "not a digit")
            interim = Int(dammTable[interim * 10 + value])
        }
        return UInt8(interim)
    }

    /// The weakly totally anti-symmetric quasigroup of order 10 (Damm, 2004).
    private static let dammTable: [UInt8] = [
        0, 3, 1, 7, 5, 9, 8, 6, 4, 2,
        7, 0, 9, 2, 1, 5, 4, 8, 6, 3,
        4, 2, 0, 6, 8, 7, 1, 3, 5, 9,
        1, 7, 5, 0, 9, 8, 3, 4, 2, 6,
        6, 1, 2, 3, 0, 4, 5, 9, 7, 8,
        3, 6, 7, 4, 2, 0, 9, 5, 8, 1,
        5, 8, 6, 9, 7, 2, 0, 1, 3, 4,
        8, 9, 4, 5, 3, 6, 2, 0, 1, 7,
        9, 4, 3, 8, 6, 1, 7, 2, 0, 5,
        2, 5, 8, 1, 4, 3, 6, 7, 9, 0,
    ]

    private static func digitValue(_ s: Unicode.Scalar) -> UInt8? {
        let v = s.value
        switch v {
        case 0x30...0x39: return UInt8(v - 0x30)
        case 0xFF10...0xFF19: return UInt8(v - 0xFF10)  // full-width
        case 0x0660...0x0669: return UInt8(v - 0x0660)  // Arabic-Indic
        case 0x06F0...0x06F9: return UInt8(v - 0x06F0)  // Extended Arabic-Indic / Persian
        default: return nil
        }
    }

    private static func isIgnorable(_ s: Unicode.Scalar) -> Bool {
        if s.properties.isWhitespace { return true }
        switch s.value {
        case 0x2D, 0x2010...0x2015, 0x2212: return true
        // Direction marks and isolates (LRM, RLM, ALM, embeddings, isolates): the
        // receipt of a right-to-left language holds the code between U+2066 and U+2069.
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
