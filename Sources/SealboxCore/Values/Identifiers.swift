// Item and attachment ids (PROTOCOL §5): 16 random bytes written as 32 lowercase hex
// characters. Anything else is refused where it enters.
import SealboxCrypto

/// The shape shared by item and attachment ids.
public protocol RandomIdentifier: TextValue {
    /// How errors name this kind of id.
    static var valueName: String { get }
    init(checkedText: String)
}

extension RandomIdentifier {
    /// A fresh id from libsodium's generator.
    public static func generate() -> Self { Self(checkedText: Random.identifier()) }

    /// Accepts exactly 32 lowercase hex characters.
    public init(parsing text: String) throws(InvalidValue) {
        guard Random.isIdentifier(text) else { throw InvalidValue(Self.valueName) }
        self.init(checkedText: text)
    }
}

/// The id of a stored item (report, follow-up, reply or status change).
public struct ItemID: RandomIdentifier {
    public static let valueName = "item id"
    public let text: String
    public init(checkedText: String) { self.text = checkedText }
}

/// The id of a sealed attachment blob.
public struct AttachmentID: RandomIdentifier {
    public static let valueName = "attachment id"
    public let text: String
    public init(checkedText: String) { self.text = checkedText }
}
