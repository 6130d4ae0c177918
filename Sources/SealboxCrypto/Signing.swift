// Ed25519 staff keys (PROTOCOL §1): the secret is the 32-byte seed, kept in
// SecureBytes; the 64-byte libsodium secret key exists only while signing.

import CSodium

/// A staff public key (Ed25519).
public struct SigningPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The text prefix of a staff public key.
    public static let textPrefix = "sealbox-staff-v1:"

    /// The 32 bytes.
    public let bytes: [UInt8]

    /// A public key from its 32 bytes.
    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == Int(crypto_sign_PUBLICKEYBYTES) else { throw CryptoError.invalidKey }
        self.bytes = bytes
    }

    /// A public key from its text form `sealbox-staff-v1:<b64u>`.
    public init(text: String) throws(CryptoError) {
        guard text.hasPrefix(Self.textPrefix),
              let raw = Base64URL.decode(String(text.dropFirst(Self.textPrefix.count)))
        else { throw CryptoError.invalidKey }
        try self.init(bytes: raw)
    }

    /// `sealbox-staff-v1:` + b64u(bytes).
    public var text: String { Self.textPrefix + Base64URL.encode(bytes) }

    /// This key's id.
    public var keyID: KeyID { KeyID(publicKey: bytes) }

    /// The text form.
    public var description: String { text }

    /// Whether `sig` is a valid detached signature of `message` by this key.
    public func isValidSignature(_ sig: [UInt8], for message: [UInt8]) -> Bool {
        Sodium.initialize()
        guard sig.count == Int(crypto_sign_BYTES) else { return false }
        return withCBytes(message) { m, mlen in
            crypto_sign_verify_detached(sig, m, UInt64(mlen), bytes) == 0
        }
    }
}

/// A staff secret key: the Ed25519 seed and its public key.
public struct SigningSecretKey: Sendable, CustomStringConvertible {
    /// The 32-byte seed (`crypto_sign_seed_keypair`).
    public let seed: SecureBytes
    /// The matching public key.
    public let publicKey: SigningPublicKey

    /// A fresh random key.
    public static func generate() -> SigningSecretKey {
        try! SigningSecretKey(seed: SecureBytes.random(count: Int(crypto_sign_SEEDBYTES)))
    }

    /// The key derived from a 32-byte seed.
    public init(seed: SecureBytes) throws(CryptoError) {
        Sodium.initialize()
        guard seed.count == Int(crypto_sign_SEEDBYTES) else { throw CryptoError.invalidKey }
        var pk = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
        let expanded = SecureBytes(count: Int(crypto_sign_SECRETKEYBYTES))
        let rc = seed.withBytePointer { s in
            expanded.withMutableBytePointer { sk in crypto_sign_seed_keypair(&pk, sk, s) }
        }
        try check(rc)
        self.seed = seed.copy()
        self.publicKey = try SigningPublicKey(bytes: pk)
    }

    /// The 64-byte detached signature of `message` (`crypto_sign_detached`).
    public func signature(for message: [UInt8]) -> [UInt8] {
        Sodium.initialize()
        var pk = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
        let expanded = SecureBytes(count: Int(crypto_sign_SECRETKEYBYTES))
        var rc = seed.withBytePointer { s in
            expanded.withMutableBytePointer { sk in crypto_sign_seed_keypair(&pk, sk, s) }
        }
        precondition(rc == 0, "crypto_sign_seed_keypair failed")
        let sig = makeBytes(count: Int(crypto_sign_BYTES)) { out in
            rc = withCBytes(message) { m, mlen in
                expanded.withBytePointer { sk in crypto_sign_detached(out, nil, m, UInt64(mlen), sk) }
            }
        }
        precondition(rc == 0, "crypto_sign_detached failed")
        return sig
    }

    /// Only the public key id, never the seed.
    public var description: String { "SigningSecretKey(\(publicKey.keyID.hex))" }
}
