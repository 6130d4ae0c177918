// Member keys (docs/PROTOCOL.md §12.1): one X25519 key for sealing and one Ed25519 key
// for signing, under one passphrase. The public text form is
// `sealbox-member-v1:` + b64u(x25519_pk || ed25519_pk) (64 bytes); a member's id is the
// key id of her X25519 public key. The secret half prints only that id.

/// A member's public keys: X25519 (items are sealed to it) and Ed25519 (her signatures).
public struct MemberPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The text prefix of a member public key.
    public static let textPrefix = "sealbox-member-v1:"

    /// The sealing key.
    public let boxKey: BoxPublicKey
    /// The signing key.
    public let signingKey: SigningPublicKey

    /// A member key from its two halves.
    public init(boxKey: BoxPublicKey, signingKey: SigningPublicKey) {
        self.boxKey = boxKey
        self.signingKey = signingKey
    }

    /// A member key from its 64 bytes: x25519_pk || ed25519_pk.
    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == 64 else { throw CryptoError.invalidKey }
        self.init(boxKey: try BoxPublicKey(bytes: Array(bytes[0..<32])),
                  signingKey: try SigningPublicKey(bytes: Array(bytes[32..<64])))
    }

    /// A member key from its text form `sealbox-member-v1:<b64u of 64 bytes>`.
    public init(text: String) throws(CryptoError) {
        guard text.hasPrefix(Self.textPrefix), text.utf8.count == Self.textPrefix.utf8.count + 86,
              let raw = Base64URL.decode(String(text.dropFirst(Self.textPrefix.count)))
        else { throw CryptoError.invalidKey }
        try self.init(bytes: raw)
    }

    /// The 64 bytes.
    public var bytes: [UInt8] { boxKey.bytes + signingKey.bytes }

    /// `sealbox-member-v1:` + b64u(bytes).
    public var text: String { Self.textPrefix + Base64URL.encode(bytes) }

    /// The member id: the key id of the X25519 public key.
    public var memberID: KeyID { boxKey.keyID }

    /// The text form.
    public var description: String { text }
}

/// A member's secret keys, as held in her key file.
public struct MemberSecretKey: Sendable, CustomStringConvertible {
    /// The X25519 key pair.
    public let boxKey: BoxSecretKey
    /// The Ed25519 key.
    public let signingKey: SigningSecretKey

    /// A fresh random member key.
    public static func generate() -> MemberSecretKey {
        MemberSecretKey(boxKey: .generate(), signingKey: .generate())
    }

    private init(boxKey: BoxSecretKey, signingKey: SigningSecretKey) {
        self.boxKey = boxKey
        self.signingKey = signingKey
    }

    /// The member key held in 64 secret bytes: x25519_sk (32) || ed25519_seed (32).
    public init(secretBytes: SecureBytes) throws(CryptoError) {
        guard secretBytes.count == 64 else { throw CryptoError.invalidKey }
        let box = SecureBytes(count: 32)
        let seed = SecureBytes(count: 32)
        secretBytes.withUnsafeBytes { src in
            box.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<32])) }
            seed.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[32..<64])) }
        }
        self.init(boxKey: try BoxSecretKey(secretBytes: box), signingKey: try SigningSecretKey(seed: seed))
    }

    /// The 64 secret bytes of the key file: x25519_sk || ed25519_seed.
    public var secretBytes: SecureBytes {
        let out = SecureBytes(count: 64)
        out.withUnsafeMutableBytes { dst in
            boxKey.secret.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: dst[0..<32]).copyMemory(from: $0) }
            signingKey.seed.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: dst[32..<64]).copyMemory(from: $0) }
        }
        return out
    }

    /// The public half.
    public var publicKey: MemberPublicKey {
        MemberPublicKey(boxKey: boxKey.publicKey, signingKey: signingKey.publicKey)
    }

    /// Only the member id, never a secret.
    public var description: String { "MemberSecretKey(\(publicKey.memberID.hex))" }
}

/// PASETO's pre-authentication encoding (PROTOCOL §3.3), the framing of every signed list:
/// `u64le(n) || u64le(len(p_1)) || p_1 || …`.
public enum PAE {
    /// The encoding of `pieces`.
    public static func encode(_ pieces: [[UInt8]]) -> [UInt8] {
        ItemSignature.preAuthenticationEncoding(pieces)
    }
}
