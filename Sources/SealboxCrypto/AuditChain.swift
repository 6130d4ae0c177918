// The hash chain of the audit log (docs/PROTOCOL.md §11, docs/design/TEAM.md §10), one
// definition for the daemon that writes it and the workstation that verifies it:
//   request = H(32, signed message of the staff request (PROTOCOL §7))   (or empty)
//   hash    = H(32, "sealbox/v2/audit" || PAE(day, member, action, case, request, prev))
// with PAE as in PROTOCOL §3.3, every text as its UTF-8 bytes, `member` the signer's key
// id in hex (empty for the daemon's own entries), `case` empty for entries without one,
// and `prev` the previous entry's hash (32 zero bytes before the first entry).

/// The audit chain's hash and the digest of a signed staff request.
public enum AuditChain {
    /// The domain-separation label hashed before every entry.
    public static let label = "sealbox/v2/audit"
    /// The `prev` of the first entry: 32 zero bytes.
    public static let start = [UInt8](repeating: 0, count: 32)
    /// The length of a hash, a request digest and `prev`.
    public static let hashSize = 32

    /// `H(32, message)` of a staff request's signed message (PROTOCOL §7).
    public static func requestDigest(_ signedMessage: [UInt8]) -> [UInt8] {
        Hash.generic(hashSize, signedMessage)
    }

    /// The hash of one entry.
    public static func hash(day: String, member: String, action: String, case reference: String,
                            request: [UInt8], prev: [UInt8]) -> [UInt8] {
        let encoded = ItemSignature.preAuthenticationEncoding([
            Array(day.utf8), Array(member.utf8), Array(action.utf8), Array(reference.utf8), request, prev,
        ])
        return Hash.generic(hashSize, Array(label.utf8) + encoded)
    }
}

extension RequestSignature.SignedHeaders {
    /// The signed message of this request (PROTOCOL §7), the input of `AuditChain.requestDigest`.
    public func message(method: String, pathAndQuery: String, bodySHA256Hex: String) -> [UInt8] {
        RequestSignature.message(method: method, pathAndQuery: pathAndQuery, timestamp: timestamp, nonce: nonce,
                                 bodySHA256Hex: bodySHA256Hex, keyText: keyText)
    }

    /// The signed message when the signature is the key's over this request (the check of
    /// `verify`), nil otherwise.
    public func verifiedMessage(method: String, pathAndQuery: String, bodySHA256Hex: String) -> [UInt8]? {
        let signed = message(method: method, pathAndQuery: pathAndQuery, bodySHA256Hex: bodySHA256Hex)
        return key.isValidSignature(signature, for: signed) ? signed : nil
    }
}
