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

    /// The largest timestamp accepted: 12 decimal digits (the year 33658), so that no
    /// arithmetic on a timestamp can overflow.
    public static let maximumTimestamp: Int64 = 999_999_999_999

    /// A timestamp header: 1 to 12 ASCII digits, nothing else (no sign, no space).
    public static func parseTimestamp(_ text: String) -> Int64? {
        let utf8 = text.utf8
        guard (1...12).contains(utf8.count), utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }

    /// Whether `timestamp` is within `maximumClockSkew` of `now`. Both are bounded, so
    /// the comparison cannot overflow.
    public static func isFresh(_ timestamp: Int64, now: Int64) -> Bool {
        guard (0...maximumTimestamp).contains(timestamp), (0...maximumTimestamp).contains(now) else { return false }
        return timestamp >= now - maximumClockSkew && timestamp <= now + maximumClockSkew
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

    /// The four headers for a request with `body`, signed by `signer` (the key in this
    /// process or the unlock agent); fails only when the signer cannot sign.
    public static func sign(by signer: any MessageSigner, method: String, pathAndQuery: String, body: some Collection<UInt8>,
                            timestamp: Int64, nonce: String? = nil) throws(CryptoError) -> [(name: String, value: String)] {
        let nonce = nonce ?? makeNonce()
        let keyText = signer.publicKey.text
        let signed = message(method: method, pathAndQuery: pathAndQuery, timestamp: timestamp, nonce: nonce,
                             bodySHA256Hex: Hex.encode(Hash.sha256(body)), keyText: keyText)
        return [
            (Header.key, keyText),
            (Header.timestamp, String(timestamp)),
            (Header.nonce, nonce),
            (Header.signature, Base64URL.encode(try signer.signature(for: signed))),
        ]
    }

    /// Whether `signature` (b64u) is `keyText`'s valid signature of the request: the
    /// header parser and verifier the daemon runs, without the clock and replay checks.
    public static func isValid(signature: String, method: String, pathAndQuery: String, timestamp: Int64,
                               nonce: String, bodySHA256Hex: String, keyText: String) -> Bool {
        guard let headers = SignedHeaders(key: keyText, timestamp: String(timestamp), nonce: nonce, signature: signature)
        else { return false }
        return headers.verify(method: method, pathAndQuery: pathAndQuery, bodySHA256Hex: bodySHA256Hex)
    }
}

extension RequestSignature {
    /// The four signature headers of a request, parsed with limits before any work: the
    /// key text (at most 100 bytes, a valid Ed25519 key), the timestamp (`parseTimestamp`),
    /// the nonce (b64u of 16 bytes) and the signature (b64u of 64 bytes).
    public struct SignedHeaders: Sendable {
        public let key: SigningPublicKey
        public let keyText: String
        public let timestamp: Int64
        public let nonce: String
        let signature: [UInt8]

        /// Nil when a header is missing, too long, or not of its shape.
        public init?(key keyText: String?, timestamp timestampText: String?, nonce: String?, signature signatureText: String?) {
            guard let keyText, keyText.utf8.count <= 100, let key = try? SigningPublicKey(text: keyText),
                  let timestampText, let timestamp = RequestSignature.parseTimestamp(timestampText),
                  let nonce, RequestSignature.isWellFormedNonce(nonce),
                  let signatureText, signatureText.utf8.count == 86,
                  let signature = Base64URL.decode(signatureText), signature.count == 64
            else { return nil }
            self.key = key
            self.keyText = keyText
            self.timestamp = timestamp
            self.nonce = nonce
            self.signature = signature
        }

        /// Whether the signature is the key's over this request (PROTOCOL §7).
        public func verify(method: String, pathAndQuery: String, bodySHA256Hex: String) -> Bool {
            let signed = RequestSignature.message(method: method, pathAndQuery: pathAndQuery, timestamp: timestamp,
                                                  nonce: nonce, bodySHA256Hex: bodySHA256Hex, keyText: keyText)
            return key.isValidSignature(signature, for: signed)
        }
    }
}
