// X25519 keys for crypto_box and their text form (PROTOCOL §1). The secret key
// lives in SecureBytes; a key prints only its key id.

import CSodium

/// The 8-byte id naming a public key in envelopes and blobs:
/// the first 8 bytes of `H(32, "sealbox/v1/key-id" || public_key)`.
public struct KeyID: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The 8 bytes.
    public let bytes: [UInt8]

    /// The key id of `publicKey` (either kind of public key).
    public init(publicKey: [UInt8]) {
        self.bytes = Array(Hash.generic(32, label("sealbox/v1/key-id") + publicKey).prefix(8))
    }

    /// A key id read from a format; must be 8 bytes.
    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == 8 else { throw CryptoError.malformed("key id length") }
        self.bytes = bytes
    }

    /// Parses the 16 lowercase hex characters of `hex`.
    public init(hex text: String) throws(CryptoError) {
        guard text.utf8.count == 16, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
              let bytes = Hex.decode(text)
        else { throw CryptoError.malformed("key id") }
        self.bytes = bytes
    }

    /// The 16 lowercase hex characters.
    public var hex: String { Hex.encode(bytes) }

    /// Same as `hex`.
    public var description: String { hex }

    /// Decodes the hex form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(hex: try container.decode(String.self))
        } catch let error as CryptoError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the hex form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// A team public key (X25519).
public struct BoxPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The text prefix of a team public key.
    public static let textPrefix = "sealbox-team-v1:"

    /// The 32 bytes.
    public let bytes: [UInt8]

    /// A public key from its 32 bytes.
    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == Int(crypto_box_PUBLICKEYBYTES) else { throw CryptoError.invalidKey }
        self.bytes = bytes
    }

    /// A public key from its text form `sealbox-team-v1:<b64u>`.
    public init(teamText: String) throws(CryptoError) {
        guard teamText.hasPrefix(Self.textPrefix),
              let raw = Base64URL.decode(String(teamText.dropFirst(Self.textPrefix.count)))
        else { throw CryptoError.invalidKey }
        try self.init(bytes: raw)
    }

    /// This key's id.
    public var keyID: KeyID { KeyID(publicKey: bytes) }

    /// `sealbox-team-v1:` + b64u(bytes).
    public var teamText: String { Self.textPrefix + Base64URL.encode(bytes) }

    /// The text form.
    public var description: String { teamText }
}

/// A team or reporter secret key (X25519) with its public key.
public struct BoxSecretKey: Sendable, CustomStringConvertible {
    /// The 32-byte secret key.
    public let secret: SecureBytes
    /// The matching public key.
    public let publicKey: BoxPublicKey

    private init(secret: SecureBytes, publicKey: BoxPublicKey) {
        self.secret = secret
        self.publicKey = publicKey
    }

    /// A fresh random key pair (`crypto_box_keypair`).
    public static func generate() -> BoxSecretKey {
        Sodium.initialize()
        let secret = SecureBytes(count: Int(crypto_box_SECRETKEYBYTES))
        var pk = [UInt8](repeating: 0, count: Int(crypto_box_PUBLICKEYBYTES))
        let rc = secret.withMutableBytePointer { sk in crypto_box_keypair(&pk, sk) }
        precondition(rc == 0, "crypto_box_keypair failed")
        return BoxSecretKey(secret: secret, publicKey: try! BoxPublicKey(bytes: pk))
    }

    /// A key pair from a 32-byte secret key; the public key is computed.
    public init(secretBytes: SecureBytes) throws(CryptoError) {
        Sodium.initialize()
        guard secretBytes.count == Int(crypto_box_SECRETKEYBYTES) else { throw CryptoError.invalidKey }
        var pk = [UInt8](repeating: 0, count: Int(crypto_box_PUBLICKEYBYTES))
        let rc = secretBytes.withBytePointer { sk in crypto_scalarmult_base(&pk, sk) }
        guard rc == 0 else { throw CryptoError.invalidKey }
        self.init(secret: secretBytes.copy(), publicKey: try BoxPublicKey(bytes: pk))
    }

    /// The key pair `crypto_box_seed_keypair` derives from a 32-byte seed.
    public init(seed: SecureBytes) throws(CryptoError) {
        Sodium.initialize()
        guard seed.count == Int(crypto_box_SEEDBYTES) else { throw CryptoError.invalidKey }
        let secret = SecureBytes(count: Int(crypto_box_SECRETKEYBYTES))
        var pk = [UInt8](repeating: 0, count: Int(crypto_box_PUBLICKEYBYTES))
        let rc = seed.withBytePointer { s in
            secret.withMutableBytePointer { sk in crypto_box_seed_keypair(&pk, sk, s) }
        }
        try check(rc)
        self.init(secret: secret, publicKey: try BoxPublicKey(bytes: pk))
    }

    /// Only the public key id, never the secret.
    public var description: String { "BoxSecretKey(\(publicKey.keyID.hex))" }
}

extension SecureBytes {
    /// A new SecureBytes holding the same bytes, without an intermediate array.
    /// `guarded`: in a guarded allocation of its own, for a secret that lives long.
    func copy(guarded: Bool = false) -> SecureBytes {
        let result = guarded ? SecureBytes(guardedCount: count) : SecureBytes(count: count)
        withUnsafeBytes { src in
            result.withUnsafeMutableBytes { dst in
                if src.count > 0 { dst.copyMemory(from: src) }
            }
        }
        return result
    }
}
