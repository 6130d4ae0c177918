import CSodium

/// Random values from libsodium's CSPRNG (`randombytes_*`).
public enum Random {
    /// `n` random bytes.
    public static func bytes(_ n: Int) -> [UInt8] {
        precondition(n >= 0)
        Sodium.initialize()
        return makeBytes(count: n) { randombytes_buf($0, n) }
    }

    /// A uniformly distributed value in `0 ..< upperBound` (`randombytes_uniform`).
    public static func uniform(_ upperBound: UInt32) -> UInt32 {
        Sodium.initialize()
        return randombytes_uniform(upperBound)
    }

    /// A fresh item or attachment id: 16 random bytes as 32 lowercase hex characters (PROTOCOL §5).
    public static func identifier() -> String {
        Hex.encode(bytes(16))
    }

    /// Whether `text` has the shape of an identifier: exactly 32 lowercase hex characters.
    public static func isIdentifier(_ text: String) -> Bool {
        let utf8 = text.utf8
        return utf8.count == 32 && utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
