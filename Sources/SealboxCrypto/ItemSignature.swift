// The signature on a follow-up, a reply or an item of case work (PROTOCOL §3.3, §3.4):
// Ed25519 over
//   PAE("sealbox/v2/item-signature", type, case, day, nonce, signer, then the kind's
//       members: text, then id, name, type, size of each attachment (follow-up, reply,
//       note); or the coding's or the case data's members in their fixed order)
// with PAE(p_1 … p_n) = u64le(n) || u64le(len(p_1)) || p_1 || … (PASETO's
// pre-authentication encoding). Signing and checking go through the one signer
// and the one verifier of Signing.swift.

/// The signed message of an item and its checks.
public enum ItemSignature {
    /// The domain-separation label, the first piece of every signed message.
    public static let label = "sealbox/v2/item-signature"
    /// The length of an item's random nonce.
    public static let nonceSize = 16

    /// One attachment as listed in the plaintext.
    public struct Attachment: Sendable, Equatable {
        public let id: String
        public let name: String
        public let type: String
        public let size: Int

        public init(id: String, name: String, type: String, size: Int) {
            self.id = id
            self.name = name
            self.type = type
            self.size = size
        }
    }

    /// The fields of an item that its signature covers.
    public struct Fields: Sendable, Equatable {
        public let type: String
        public let caseReference: String
        public let day: String
        public let nonce: [UInt8]
        public let signer: SigningPublicKey
        /// The pieces after the signer: the text and each attachment's four members, or the
        /// members of a coding or case data in their fixed order (PROTOCOL §3.4).
        public let members: [String]

        public init(type: String, caseReference: String, day: String, nonce: [UInt8], signer: SigningPublicKey,
                    text: String, attachments: [Attachment]) {
            var members = [text]
            for attachment in attachments {
                members += [attachment.id, attachment.name, attachment.type, String(attachment.size)]
            }
            self.init(type: type, caseReference: caseReference, day: day, nonce: nonce, signer: signer, members: members)
        }

        public init(type: String, caseReference: String, day: String, nonce: [UInt8], signer: SigningPublicKey,
                    members: [String]) {
            self.type = type
            self.caseReference = caseReference
            self.day = day
            self.nonce = nonce
            self.signer = signer
            self.members = members
        }
    }

    /// The bytes that are signed.
    public static func message(_ fields: Fields) -> [UInt8] {
        let pieces: [[UInt8]] = [Array(label.utf8), Array(fields.type.utf8), Array(fields.caseReference.utf8),
                                 Array(fields.day.utf8), fields.nonce, fields.signer.bytes]
            + fields.members.map { Array($0.utf8) }
        return preAuthenticationEncoding(pieces)
    }

    /// `u64le(n) || u64le(len(p_1)) || p_1 || …`.
    static func preAuthenticationEncoding(_ pieces: [[UInt8]]) -> [UInt8] {
        var out = littleEndian(UInt64(pieces.count))
        for piece in pieces {
            out += littleEndian(UInt64(piece.count))
            out += piece
        }
        return out
    }

    private static func littleEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// The 64-byte signature of `fields` by `key`, whose public key must be `fields.signer`.
    public static func sign(_ fields: Fields, with key: some MessageSigner) throws(CryptoError) -> [UInt8] {
        guard key.publicKey == fields.signer, fields.nonce.count == nonceSize else { throw CryptoError.invalidKey }
        return try key.signature(for: message(fields))
    }

    /// Checks `signature` on `fields` with `fields.signer`; any failure is `authenticationFailed`.
    public static func verify(_ signature: [UInt8], on fields: Fields) throws(CryptoError) {
        guard fields.nonce.count == nonceSize,
              fields.signer.isValidSignature(signature, for: message(fields))
        else { throw CryptoError.authenticationFailed }
    }
}
