// Staff request signatures (PROTOCOL §7). The signed message is seven lines
// joined by "\n" without a trailing newline:
//   sealbox-staff-request/v1, METHOD, path-and-query, timestamp, nonce,
//   hex(SHA-256(body)), Sealbox-Key value.

/// Signing and checking staff API requests.
public enum RequestSignature {
    /// The header names.
    public enum Header {
        /// The staff public key, text form.
        public static let key = "Sealbox-Key"
        /// Unix time in seconds, decimal.
        public static let timestamp = "Sealbox-Timestamp"
        /// b64u of 16 random bytes.
        public static let nonce = "Sealbox-Nonce"
        /// b64u of the 64-byte signature.
        public static let signature = "Sealbox-Signature"
    }

    /// How far a timestamp may be from the daemon's clock, in seconds.
    public static let maximumClockSkew: Int64 = 300

    /// The first line of every signed message.
    public static let context = "sealbox-staff-request/v1"

    /// hex(SHA-256) of the empty body.
    public static let emptyBodySHA256Hex = Hex.encode(Hash.sha256([UInt8]()))

    /// The bytes that are signed. `method` is upper-cased here.
    public static func message(method: String, pathAndQuery: String, timestamp: Int64, nonce: String,
                               bodySHA256Hex: String, keyText: String) -> [UInt8] {
        let lines = [context, method.uppercased(), pathAndQuery, String(timestamp), nonce, bodySHA256Hex, keyText]
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// A fresh nonce: b64u of 16 random bytes.
    public static func makeNonce() -> String {
        Base64URL.encode(Random.bytes(16))
    }

    /// Whether `nonce` is b64u of exactly 16 bytes.
    public static func isWellFormedNonce(_ nonce: String) -> Bool {
        nonce.utf8.count == 22 && Base64URL.decode(nonce)?.count == 16
    }

    /// The four headers for a request whose body hashes to `bodySHA256Hex`.
    public static func sign(with key: SigningSecretKey, method: String, pathAndQuery: String, bodySHA256Hex: String,
                            timestamp: Int64, nonce: String? = nil) -> [(name: String, value: String)] {
        let nonce = nonce ?? makeNonce()
        let keyText = key.publicKey.text
        let signed = message(method: method, pathAndQuery: pathAndQuery, timestamp: timestamp, nonce: nonce,
                             bodySHA256Hex: bodySHA256Hex, keyText: keyText)
        return [
            (Header.key, keyText),
            (Header.timestamp, String(timestamp)),
            (Header.nonce, nonce),
            (Header.signature, Base64URL.encode(key.signature(for: signed))),
        ]
    }

    /// The four headers for a request with `body` (empty when there is none).
    public static func sign(with key: SigningSecretKey, method: String, pathAndQuery: String, body: some Collection<UInt8>,
                            timestamp: Int64, nonce: String? = nil) -> [(name: String, value: String)] {
        sign(with: key, method: method, pathAndQuery: pathAndQuery, bodySHA256Hex: Hex.encode(Hash.sha256(body)),
             timestamp: timestamp, nonce: nonce)
    }

    /// Whether `signature` (b64u) is `keyText`'s valid signature of the request.
    /// Checks the shapes of key, nonce and signature; not the clock nor replay.
    public static func isValid(signature: String, method: String, pathAndQuery: String, timestamp: Int64,
                               nonce: String, bodySHA256Hex: String, keyText: String) -> Bool {
        guard let key = try? SigningPublicKey(text: keyText), isWellFormedNonce(nonce),
              let sig = Base64URL.decode(signature), sig.count == 64
        else { return false }
        let signed = message(method: method, pathAndQuery: pathAndQuery, timestamp: timestamp, nonce: nonce,
                             bodySHA256Hex: bodySHA256Hex, keyText: keyText)
        return key.isValidSignature(sig, for: signed)
    }
}
