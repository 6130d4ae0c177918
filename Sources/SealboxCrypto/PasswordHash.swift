// Argon2id key derivation (`crypto_pwhash`, ARGON2ID13) for key files
// (PROTOCOL §2) and reporter codes (§6.1). Costs are validated against
// libsodium's limits before any call; the output lives in SecureBytes.

import CSodium

/// The cost of one Argon2id derivation.
public struct KDFCost: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Passes over memory.
    public let opslimit: UInt64
    /// Memory in bytes.
    public let memlimit: Int

    /// libsodium's INTERACTIVE (opslimit 2, 64 MiB): the default for reporter codes.
    public static let interactive = KDFCost(
        unchecked: UInt64(crypto_pwhash_argon2id_opslimit_interactive()),
        Int(crypto_pwhash_argon2id_memlimit_interactive()))
    /// libsodium's MODERATE (opslimit 3, 256 MiB): the default for key files.
    public static let moderate = KDFCost(
        unchecked: UInt64(crypto_pwhash_argon2id_opslimit_moderate()),
        Int(crypto_pwhash_argon2id_memlimit_moderate()))
    /// libsodium's SENSITIVE (opslimit 4, 1 GiB).
    public static let sensitive = KDFCost(
        unchecked: UInt64(crypto_pwhash_argon2id_opslimit_sensitive()),
        Int(crypto_pwhash_argon2id_memlimit_sensitive()))
    /// The smallest cost libsodium accepts (opslimit 1, 8 KiB): for tests only.
    public static let minimum = KDFCost(
        unchecked: UInt64(crypto_pwhash_argon2id_opslimit_min()),
        Int(crypto_pwhash_argon2id_memlimit_min()))

    private init(unchecked opslimit: UInt64, _ memlimit: Int) {
        self.opslimit = opslimit
        self.memlimit = memlimit
    }

    /// A cost within libsodium's Argon2id limits, else `malformed`.
    public init(opslimit: UInt64, memlimit: Int) throws(CryptoError) {
        guard opslimit >= UInt64(crypto_pwhash_argon2id_opslimit_min()),
              opslimit <= UInt64(crypto_pwhash_argon2id_opslimit_max()),
              memlimit >= Int(crypto_pwhash_argon2id_memlimit_min()),
              UInt64(memlimit) <= UInt64(crypto_pwhash_argon2id_memlimit_max())
        else { throw CryptoError.malformed("KDF cost outside libsodium's limits") }
        self.init(unchecked: opslimit, memlimit)
    }

    /// `opslimit=N memlimit=M`.
    public var description: String { "opslimit=\(opslimit) memlimit=\(memlimit)" }
}

/// Argon2id13 password hashing.
public enum PasswordHash {
    /// The salt length, 16 bytes.
    public static let saltSize = Int(crypto_pwhash_argon2id_SALTBYTES)

    /// `crypto_pwhash(length, password, salt, cost, ARGON2ID13)`.
    /// `length` must be at least 16, `salt` exactly 16 bytes.
    public static func derive(length: Int, password: SecureBytes, salt: [UInt8], cost: KDFCost) throws(CryptoError) -> SecureBytes {
        try password.withUnsafeBytes { raw throws(CryptoError) in
            try derive(length: length, password: raw, salt: salt, cost: cost)
        }
    }

    /// `crypto_pwhash(length, password, salt, cost, ARGON2ID13)` for password bytes at a pointer.
    public static func derive(length: Int, password: UnsafeRawBufferPointer, salt: [UInt8], cost: KDFCost) throws(CryptoError) -> SecureBytes {
        Sodium.initialize()
        guard length >= Int(crypto_pwhash_argon2id_BYTES_MIN), length <= 1 << 20 else {
            throw CryptoError.malformed("derived key length")
        }
        guard salt.count == saltSize else { throw CryptoError.malformed("salt length") }
        guard UInt64(password.count) <= UInt64(crypto_pwhash_argon2id_passwd_max()) else {
            throw CryptoError.malformed("password length")
        }
        let out = SecureBytes(count: length)
        let rc = out.withMutableBytePointer { o in
            withCBytes(password) { p, plen in
                p.withMemoryRebound(to: CChar.self, capacity: max(plen, 1)) { pc in
                    crypto_pwhash(o, UInt64(length), pc, UInt64(plen), salt,
                                  cost.opslimit, cost.memlimit, crypto_pwhash_ALG_ARGON2ID13)
                }
            }
        }
        try check(rc)  // only out of memory or bad limits, checked above
        return out
    }
}
