// What the daemon derives from a reporter code (PROTOCOL §6.1):
//   salt        = H(16, "sealbox/v1/code-salt", key = pepper)
//   master      = Argon2id(32, code_digits, salt, cost)
//   lookup_key  = H(32, "sealbox/v1/lookup", key = master)
//   seed        = H(32, "sealbox/v1/reporter-seed", key = master)
//   reporter    = crypto_box_seed_keypair(seed)
//   signing     = crypto_sign_seed_keypair(H(32, "sealbox/v2/reporter-signing-seed", key = master))
//   lookup_hash = H(32, "sealbox/v1/lookup-hash" || lookup_key, key = pepper)
// Intermediates stay in SecureBytes and are wiped when released.

/// The installation's 32-byte pepper, kept outside the database.
public struct Pepper: Sendable, CustomStringConvertible {
    /// The 32 secret bytes.
    public let secret: SecureBytes

    /// A pepper from its 32 bytes, else `invalidKey`.
    public init(secret: SecureBytes) throws(CryptoError) {
        guard secret.count == 32 else { throw CryptoError.invalidKey }
        self.secret = secret.copy(guarded: true)
    }

    /// A fresh random pepper.
    public static func generate() -> Pepper {
        try! Pepper(secret: SecureBytes.random(count: 32))
    }

    /// Never shows the bytes.
    public var description: String { "Pepper(****)" }
}

/// What the daemon keeps from a code: the lookup hash, and the reporter key pair
/// (of which it stores only the public key).
public struct CodeSecrets: Sendable {
    /// `lookup_hash`, 32 bytes.
    public let lookupHash: [UInt8]
    /// The reporter's X25519 key pair.
    public let reporterKey: BoxSecretKey
    /// The reporter signing key (Ed25519) that signs follow-ups (PROTOCOL §3.3).
    public let reporterSigningKey: SigningSecretKey
}

/// The derivation of §6.1.
public enum CodeDerivation {
    /// Derives the lookup hash and reporter key for `code`. Costs one Argon2id run:
    /// call it off the cooperative thread pool.
    public static func derive(code: ReporterCode, pepper: Pepper, cost: KDFCost) throws(CryptoError) -> CodeSecrets {
        let salt = Hash.generic(16, label("sealbox/v1/code-salt"), key: pepper.secret)
        let master = try PasswordHash.derive(length: 32, password: code.digits, salt: salt, cost: cost)
        let lookupKey = Hash.genericSecret(32, label("sealbox/v1/lookup"), key: master)
        let seed = Hash.genericSecret(32, label("sealbox/v1/reporter-seed"), key: master)
        let reporterKey = try BoxSecretKey(seed: seed)
        let signingSeed = Hash.genericSecret(32, label("sealbox/v2/reporter-signing-seed"), key: master)
        let reporterSigningKey = try SigningSecretKey(seed: signingSeed)
        let prefix = label("sealbox/v1/lookup-hash")
        let message = SecureBytes(count: prefix.count + lookupKey.count)
        message.withUnsafeMutableBytes { m in
            m.copyBytes(from: prefix)
            lookupKey.withUnsafeBytes { k in
                UnsafeMutableRawBufferPointer(rebasing: m[prefix.count...]).copyMemory(from: k)
            }
        }
        let lookupHash = message.withUnsafeBytes { m in
            Hash.genericSecret(32, m, key: pepper.secret).unsafeCopyBytes
        }
        return CodeSecrets(lookupHash: lookupHash, reporterKey: reporterKey, reporterSigningKey: reporterSigningKey)
    }
}
