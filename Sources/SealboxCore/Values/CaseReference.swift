// Case references (PROTOCOL §5): 8 characters drawn uniformly from the
// 31-character alphabet 23456789ABCDEFGHJKMNPQRSTUVWXYZ, shown as XXXX-XXXX.
// Readers accept lower case and a missing dash, nothing else.
import SealboxCrypto

/// A case reference such as `7KQM-3XWP`. It names a case; it does not open one.
public struct CaseReference: TextValue, Comparable {
    /// The alphabet, without 0/O and 1/I/L.
    public static let alphabet: [UInt8] = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ".utf8)

    private let characters: [UInt8]  // 8 upper-case alphabet bytes

    private init(characters: [UInt8]) {
        self.characters = characters
    }

    /// A fresh reference drawn with `randombytes_uniform`.
    public static func generate() -> CaseReference {
        let n = UInt32(alphabet.count)
        return CaseReference(characters: (0..<8).map { _ in alphabet[Int(Random.uniform(n))] })
    }

    /// Parses `XXXX-XXXX` or `XXXXXXXX`, in either case.
    public init(parsing text: String) throws(InvalidValue) {
        var bytes = Array(text.utf8.prefix(10))
        if bytes.count == 9 {
            guard bytes[4] == UInt8(ascii: "-") else { throw InvalidValue("case reference") }
            bytes.remove(at: 4)
        }
        guard bytes.count == 8 else { throw InvalidValue("case reference") }
        let upper = bytes.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
        guard upper.allSatisfy({ Self.alphabet.contains($0) }) else { throw InvalidValue("case reference") }
        self.init(characters: upper)
    }

    /// `7KQM-3XWP`.
    public var text: String {
        String(decoding: characters[0..<4], as: UTF8.self) + "-" + String(decoding: characters[4..<8], as: UTF8.self)
    }

    public static func < (lhs: CaseReference, rhs: CaseReference) -> Bool {
        lhs.characters.lexicographicallyPrecedes(rhs.characters)
    }
}
