import CSodium

/// Hash functions: BLAKE2b (`crypto_generichash`) and SHA-256 (`crypto_hash_sha256`).
public enum Hash {
    /// `H(length, message, key)` of PROTOCOL §0: BLAKE2b with output length
    /// 16...64 and an optional key of 16...64 bytes.
    public static func generic(_ length: Int, _ message: some Collection<UInt8>, key: SecureBytes? = nil) -> [UInt8] {
        precondition((16...64).contains(length), "BLAKE2b output length must be 16...64")
        return withRawBytes(Array(message)) { input in
            makeBytes(count: length) { out in generic(out, length, input, key: key) }
        }
    }

    /// `generic`, with the output kept in secure storage (for derived secrets).
    public static func genericSecret(_ length: Int, _ message: some Collection<UInt8>, key: SecureBytes? = nil) -> SecureBytes {
        withRawBytes(Array(message)) { input in genericSecret(length, input, key: key) }
    }

    /// `genericSecret` of a message that is itself secret and stays where it is.
    public static func genericSecret(_ length: Int, _ message: UnsafeRawBufferPointer, key: SecureBytes? = nil) -> SecureBytes {
        precondition((16...64).contains(length), "BLAKE2b output length must be 16...64")
        let result = SecureBytes(count: length)
        result.withMutableBytePointer { out in generic(out, length, message, key: key) }
        return result
    }

    private static func generic(_ out: UnsafeMutablePointer<UInt8>, _ length: Int, _ input: UnsafeRawBufferPointer, key: SecureBytes?) {
        Sodium.initialize()
        if let key { precondition((16...64).contains(key.count), "BLAKE2b key length must be 16...64") }
        let rc: Int32 = withCBytes(input) { m, mlen in
            if let key {
                return key.withBytePointer { k in
                    crypto_generichash(out, length, m, UInt64(mlen), k, key.count)
                }
            }
            return crypto_generichash(out, length, m, UInt64(mlen), nil, 0)
        }
        precondition(rc == 0, "crypto_generichash failed")
    }

    /// SHA-256 of `data`.
    public static func sha256(_ data: some Collection<UInt8>) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(Array(data))
        return hasher.finalize()
    }

    /// SHA-256 of the bytes at `data`.
    public static func sha256(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }
}

/// Incremental SHA-256, for bodies that arrive in pieces.
public struct SHA256Hasher: Sendable {
    // A plain value; it hashes public data only.
    private var state = crypto_hash_sha256_state()

    /// A hasher with nothing absorbed yet.
    public init() {
        Sodium.initialize()
        let rc = crypto_hash_sha256_init(&state)
        precondition(rc == 0, "crypto_hash_sha256_init failed")
    }

    /// Absorbs the bytes at `data`.
    public mutating func update(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        withCBytes(data) { p, n in
            let rc = crypto_hash_sha256_update(&state, p, UInt64(n))
            precondition(rc == 0, "crypto_hash_sha256_update failed")
        }
    }

    /// Absorbs `data`.
    public mutating func update(_ data: [UInt8]) {
        data.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest. The hasher must not be used afterwards.
    public mutating func finalize() -> [UInt8] {
        makeBytes(count: 32) { out in
            let rc = crypto_hash_sha256_final(&state, out)
            precondition(rc == 0, "crypto_hash_sha256_final failed")
        }
    }
}
