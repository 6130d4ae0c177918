// The office's recovery key (docs/PROTOCOL.md §12.6): an X25519 key pair whose public
// half is `sealbox-recovery-v1:` + b64u(32) and whose secret exists only on paper, in two
// parts kept by two people: A = random(32), B = secret ⊕ A. Each part is written in
// Crockford base32 (52 characters, grouped by four) followed by two check characters
//   check = first 2 characters of base32(H(16, "sealbox/v2/recovery-check" || letter || part))
// so that a typo is caught (with probability 1 − 1/1024, and the 4 unused bits of the last
// character must be zero) before any key is derived. Nothing here prints a secret except
// `paperLine`, which exists to be printed once.

/// What is wrong with a typed part of the recovery key. Never carries the input.
public enum RecoveryPartError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not 54 characters of Crockford base32 (52 and 2 check characters) after removing spaces and dashes.
    case length(Int)
    /// A character that is not Crockford base32.
    case character
    /// The check characters do not match: a typo, or the other part.
    case check
    /// The two parts do not make the recovery key the office announced.
    case wrongKey

    public var description: String {
        switch self {
        case .length(let n): "a part has 52 characters and 2 check characters; this one has \(n)"
        case .character: "a part holds only the characters 0-9 and A-Z without I, L, O and U"
        case .check: "the check characters do not match: there is a typo in this part (or it is the other part)"
        case .wrongKey: "the two parts do not make the office's recovery key"
        }
    }
}

extension BoxPublicKey {
    /// The text prefix of a recovery public key.
    public static let recoveryTextPrefix = "sealbox-recovery-v1:"

    /// A recovery public key from `sealbox-recovery-v1:<b64u>`.
    public init(recoveryText text: String) throws(CryptoError) {
        guard text.hasPrefix(Self.recoveryTextPrefix), text.utf8.count == Self.recoveryTextPrefix.utf8.count + 43,
              let raw = Base64URL.decode(String(text.dropFirst(Self.recoveryTextPrefix.count)))
        else { throw CryptoError.invalidKey }
        try self.init(bytes: raw)
    }

    /// `sealbox-recovery-v1:` + b64u(bytes).
    public var recoveryText: String { Self.recoveryTextPrefix + Base64URL.encode(bytes) }
}

extension BoxPublicKey {
    /// The text prefix of a restricted case's public key (PROTOCOL §12.7).
    public static let caseTextPrefix = "sealbox-case-v1:"

    /// A case public key from `sealbox-case-v1:<b64u>`.
    public init(caseText text: String) throws(CryptoError) {
        guard text.hasPrefix(Self.caseTextPrefix), text.utf8.count == Self.caseTextPrefix.utf8.count + 43,
              let raw = Base64URL.decode(String(text.dropFirst(Self.caseTextPrefix.count)))
        else { throw CryptoError.invalidKey }
        try self.init(bytes: raw)
    }

    /// `sealbox-case-v1:` + b64u(bytes).
    public var caseText: String { Self.caseTextPrefix + Base64URL.encode(bytes) }
}

/// The paper form of the recovery key: splitting, writing, reading and joining its parts.
public enum RecoveryPaper {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    static let checkLabel = "sealbox/v2/recovery-check"
    /// Characters of one part: 52 of data, 2 of check.
    public static let dataCharacters = 52

    /// Splits `secret` into part A (random) and part B (secret ⊕ A).
    public static func split(_ secret: BoxSecretKey) -> (a: SecureBytes, b: SecureBytes) {
        let a = SecureBytes.random(count: 32)
        let b = SecureBytes(count: 32)
        b.withUnsafeMutableBytes { out in
            a.withUnsafeBytes { x in
                secret.secret.withUnsafeBytes { s in
                    for i in 0..<32 { out[i] = x[i] ^ s[i] }
                }
            }
        }
        return (a, b)
    }

    /// The secret key whose parts are `a` and `b`.
    public static func join(_ a: SecureBytes, _ b: SecureBytes) throws(CryptoError) -> BoxSecretKey {
        guard a.count == 32, b.count == 32 else { throw .invalidKey }
        let s = SecureBytes(count: 32)
        s.withUnsafeMutableBytes { out in
            a.withUnsafeBytes { x in
                b.withUnsafeBytes { y in
                    for i in 0..<32 { out[i] = x[i] ^ y[i] }
                }
            }
        }
        return try BoxSecretKey(secretBytes: s)
    }

    /// `XXXX-XXXX-…-XXXX  check CC` for part `letter` ("A" or "B").
    public static func paperLine(_ part: SecureBytes, letter: String) -> String {
        let bytes = part.unsafeCopyBytes
        let data = encode(bytes)
        var groups: [String] = []
        var index = data.startIndex
        while index < data.endIndex {
            let end = data.index(index, offsetBy: 4, limitedBy: data.endIndex) ?? data.endIndex
            groups.append(String(data[index..<end]))
            index = end
        }
        return groups.joined(separator: "-") + "  check " + check(bytes, letter: letter)
    }

    /// Reads a typed part `letter`: spaces, dashes and the word "check" are ignored, lower
    /// case is upper case, I and L are 1, O is 0.
    public static func read(_ typed: String, letter: String) throws(RecoveryPartError) -> SecureBytes {
        let words = typed.uppercased().split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        let text = words.filter { $0 != "CHECK" }.joined()
        var values: [UInt8] = []
        for c in text.utf8 {
            switch c {
            case 0x49, 0x4C: values.append(1)  // I, L
            case 0x4F: values.append(0)  // O
            default:
                guard let v = alphabet.firstIndex(of: c) else { throw .character }
                values.append(UInt8(v))
            }
        }
        guard values.count == dataCharacters + 2 else { throw .length(values.count) }
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for v in values.prefix(dataCharacters) {
            buffer = (buffer << 5) | UInt32(v)
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits - 8)))
                bits -= 8
            }
        }
        defer { SecureMemory.wipe(&bytes) }
        guard bytes.count == 32, buffer & ((1 << UInt32(bits)) - 1) == 0 else { throw .check }
        let typedCheck = String(decoding: values.suffix(2).map { alphabet[Int($0)] }, as: UTF8.self)
        guard typedCheck == check(bytes, letter: letter) else { throw .check }
        return SecureBytes(copying: bytes)
    }

    static func check(_ part: [UInt8], letter: String) -> String {
        String(encode(Hash.generic(16, Array(checkLabel.utf8) + Array(letter.utf8) + part)).prefix(2))
    }

    /// Crockford base32 of `bytes`, most significant bit first, the last character padded with zero bits.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
