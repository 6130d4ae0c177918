// The sealed item envelope (PROTOCOL §3):
//   "SBX1" || kind || count || recipients || nonce(24) || XChaCha20-Poly1305(padded)
// with every byte before the nonce as additional data. Once our key id has
// matched, every failure is authenticationFailed.

import CSodium

/// What an envelope holds.
public enum EnvelopeKind: UInt8, Sendable, CaseIterable, Codable {
    case report = 1, followUp = 2, reply = 3
    /// The team's own items (PROTOCOL §3.4): sealed to the team only, never to the reporter.
    case note = 4, coding = 5, caseData = 6
    /// A statistic record (PROTOCOL §3.5): a coding without case, text or day, kept after
    /// its case is deleted; never an item of a case, never served to the reporter.
    case statistic = 7

    /// The name used in plaintexts and the API: `report`, `follow-up`, `reply`, `note`,
    /// `coding`, `case-data`, `statistic`.
    public var name: String {
        switch self {
        case .report: "report"
        case .followUp: "follow-up"
        case .reply: "reply"
        case .note: "note"
        case .coding: "coding"
        case .caseData: "case-data"
        case .statistic: "statistic"
        }
    }

    /// Whether this is an item of the team's case work (note, coding, case data), which
    /// belongs to the team alone and never reaches the reporter.
    public var isCaseWork: Bool { (4...6).contains(rawValue) }

    /// The kind with the given `name`, if any.
    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    /// Decodes the name (plaintexts carry `"type": "report"`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let kind = EnvelopeKind(name: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an item kind")
        }
        self = kind
    }

    /// Encodes the name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// Sealing and opening envelopes.
public enum Envelope {
    static let magic: [UInt8] = Array("SBX1".utf8)
    static let nonceSize = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)  // 24
    static let tagSize = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)  // 16

    /// Pads `plaintext` and seals it for `recipients` (1...8 distinct keys).
    public static func seal(_ plaintext: [UInt8], kind: EnvelopeKind, to recipients: [BoxPublicKey]) throws(CryptoError) -> [UInt8] {
        Sodium.initialize()
        let contentKey = SecureBytes.random(count: Int(crypto_aead_xchacha20poly1305_ietf_KEYBYTES))
        var header = magic + [kind.rawValue]
        header += try RecipientBlock.seal(contentKey, to: recipients)
        let nonce = Random.bytes(nonceSize)
        let padded = SecureBytes(copying: Padding.pad(plaintext))
        let ciphertext = try AEAD.encrypt(padded, ad: header, nonce: nonce, key: contentKey)
        return header + nonce + ciphertext
    }

    /// Opens an envelope with `key` and removes the padding.
    ///
    /// Throws `malformed`/`unsupportedVersion` for a broken structure,
    /// `notSealedToThisKey` when no entry carries our key id, and otherwise
    /// `authenticationFailed` for any failure.
    public static func open(_ envelope: [UInt8], with key: BoxSecretKey) throws(CryptoError) -> (kind: EnvelopeKind, plaintext: [UInt8]) {
        let (kind, parsed) = try parseHeader(envelope)
        let contentKey = try RecipientBlock.openKey(parsed, with: key)
        let rest = envelope.count - parsed.end
        guard rest >= nonceSize + tagSize else { throw CryptoError.authenticationFailed }
        let header = Array(envelope[..<parsed.end])
        let nonce = Array(envelope[parsed.end..<(parsed.end + nonceSize)])
        let ciphertext = Array(envelope[(parsed.end + nonceSize)...])
        let padded = try AEAD.decrypt(ciphertext, ad: header, nonce: nonce, key: contentKey)
        let plaintext = try Padding.unpad(padded.unsafeCopyBytes)
        return (kind, plaintext)
    }

    /// The length of the shortest well-formed envelope with `recipients` recipients:
    /// header, nonce, the smallest padded plaintext (§3.1) and the AEAD tag.
    public static func minimumLength(recipients: Int) -> Int {
        magic.count + 2 + recipients * RecipientBlock.entrySize + nonceSize + Padding.minimumBucket + tagSize
    }

    /// The kind and recipient key ids of an envelope, without opening it.
    public static func recipients(of envelope: [UInt8]) throws(CryptoError) -> (kind: EnvelopeKind, keyIDs: [KeyID]) {
        let (kind, parsed) = try parseHeader(envelope)
        return (kind, parsed.entries.map(\.keyID))
    }

    private static func parseHeader(_ envelope: [UInt8]) throws(CryptoError) -> (EnvelopeKind, RecipientBlock.Parsed) {
        try checkMagic(envelope, magic, what: "envelope")
        guard envelope.count > 4 else { throw CryptoError.malformed("envelope too short") }
        guard let kind = EnvelopeKind(rawValue: envelope[4]) else { throw CryptoError.malformed("envelope kind") }
        guard let parsed = try RecipientBlock.parse(envelope, at: 5) else {
            throw CryptoError.malformed("envelope too short")
        }
        return (kind, parsed)
    }
}

/// Checks a 4-byte magic: another version digit is `unsupportedVersion`, anything else `malformed`.
func checkMagic(_ bytes: [UInt8], _ magic: [UInt8], what: StaticString) throws(CryptoError) {
    guard bytes.count >= 4 else { throw CryptoError.malformed("too short for magic") }
    if bytes[0..<4].elementsEqual(magic) { return }
    if bytes[0..<3].elementsEqual(magic[0..<3]) { throw CryptoError.unsupportedVersion }
    throw CryptoError.malformed("bad magic")
}

/// XChaCha20-Poly1305-IETF with length checks before every call.
enum AEAD {
    static func encrypt(_ plaintext: SecureBytes, ad: [UInt8], nonce: [UInt8], key: SecureBytes) throws(CryptoError) -> [UInt8] {
        precondition(nonce.count == Envelope.nonceSize && key.count == 32)
        var rc: Int32 = 0
        let out = makeBytes(count: plaintext.count + Envelope.tagSize) { c in
            rc = plaintext.withBytePointer { m in
                key.withBytePointer { k in
                    withCBytes(ad) { a, alen in
                        crypto_aead_xchacha20poly1305_ietf_encrypt(
                            c, nil, m, UInt64(plaintext.count), a, UInt64(alen), nil, nonce, k)
                    }
                }
            }
        }
        try check(rc)
        return out
    }

    static func decrypt(_ ciphertext: [UInt8], ad: [UInt8], nonce: [UInt8], key: SecureBytes) throws(CryptoError) -> SecureBytes {
        guard nonce.count == Envelope.nonceSize, key.count == 32, ciphertext.count >= Envelope.tagSize else {
            throw CryptoError.authenticationFailed
        }
        let out = SecureBytes(count: ciphertext.count - Envelope.tagSize)
        let rc = out.withMutableBytePointer { m in
            key.withBytePointer { k in
                withCBytes(ad) { a, alen in
                    crypto_aead_xchacha20poly1305_ietf_decrypt(
                        m, nil, nil, ciphertext, UInt64(ciphertext.count), a, UInt64(alen), nonce, k)
                }
            }
        }
        guard rc == 0 else { throw CryptoError.authenticationFailed }
        return out
    }
}
