import Foundation
import SealboxCrypto
import Testing

@Suite("Request signatures")
struct RequestSignatureTests {
    let key = SigningSecretKey.generate()

    @Test("the message is the seven documented lines without a trailing newline")
    func messageLayout() {
        let message = RequestSignature.message(method: "get", pathAndQuery: "/api/v1/staff/items?limit=100",
                                               timestamp: 1_795_996_800, nonce: "AAAAAAAAAAAAAAAAAAAAAA",
                                               bodySHA256Hex: RequestSignature.emptyBodySHA256Hex, keyText: "K")
        #expect(String(decoding: message, as: UTF8.self) == """
            sealbox-staff-request/v1
            GET
            /api/v1/staff/items?limit=100
            1795996800
            AAAAAAAAAAAAAAAAAAAAAA
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            K
            """)
    }

    @Test("signed headers verify, and any changed part fails")
    func signAndVerify() throws {
        let body = Array(#"{"x":1}"#.utf8)
        let headers = RequestSignature.sign(with: key, method: "POST", pathAndQuery: "/a?b=c", body: body, timestamp: 42)
        let h = Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) })
        #expect(h.keys.sorted() == ["Sealbox-Key", "Sealbox-Nonce", "Sealbox-Signature", "Sealbox-Timestamp"])
        let nonce = try #require(h["Sealbox-Nonce"])
        #expect(RequestSignature.isWellFormedNonce(nonce))
        let sig = try #require(h["Sealbox-Signature"])
        let bodyHash = Hex.encode(Hash.sha256(body))
        func valid(method: String = "POST", path: String = "/a?b=c", ts: Int64 = 42, nonce n: String? = nil,
                   hash: String? = nil, keyText: String? = nil) -> Bool {
            RequestSignature.isValid(signature: sig, method: method, pathAndQuery: path, timestamp: ts,
                                     nonce: n ?? nonce, bodySHA256Hex: hash ?? bodyHash, keyText: keyText ?? key.publicKey.text)
        }
        #expect(valid())
        #expect(!valid(method: "PUT"))
        #expect(!valid(path: "/a?b=d"))
        #expect(!valid(ts: 43))
        #expect(!valid(nonce: RequestSignature.makeNonce()))
        #expect(!valid(hash: RequestSignature.emptyBodySHA256Hex))
        #expect(!valid(keyText: SigningSecretKey.generate().publicKey.text))
        #expect(!valid(keyText: "sealbox-staff-v1:garbage"))
    }

    @Test("nonces must be base64url of 16 bytes")
    func nonceShape() {
        #expect(RequestSignature.isWellFormedNonce(RequestSignature.makeNonce()))
        #expect(!RequestSignature.isWellFormedNonce("AAAA"))
        #expect(!RequestSignature.isWellFormedNonce("AAAAAAAAAAAAAAAAAAAAAA=="))
    }

    @Test("timestamps are 1 to 12 ASCII digits; signs, spaces, exponents and huge values are refused",
          arguments: ["-9223372036854775808", "-9223372036854775000", "9223372036854775807", "99999999999999999999999",
                      "+300", " 12", "12 ", "1e9", "", "0x10", "1000000000000", "١٢٣"])
    func timestampRefused(_ text: String) {
        #expect(RequestSignature.parseTimestamp(text) == nil)
    }

    @Test("timestamps in range parse")
    func timestampAccepted() {
        #expect(RequestSignature.parseTimestamp("0") == 0)
        #expect(RequestSignature.parseTimestamp("1795996800") == 1_795_996_800)
        #expect(RequestSignature.parseTimestamp("999999999999") == RequestSignature.maximumTimestamp)
    }

    @Test("freshness is within five minutes either way and never overflows")
    func freshness() {
        let now: Int64 = 1_795_996_800
        #expect(RequestSignature.isFresh(now - 300, now: now))
        #expect(RequestSignature.isFresh(now + 300, now: now))
        #expect(!RequestSignature.isFresh(now - 301, now: now))
        #expect(!RequestSignature.isFresh(now + 301, now: now))
        #expect(!RequestSignature.isFresh(.min, now: now))
        #expect(!RequestSignature.isFresh(.max, now: now))
        #expect(!RequestSignature.isFresh(now, now: .min))
    }

    @Test("signed headers are refused when any value is missing, too long or misshapen")
    func signedHeadersShape() throws {
        let headers = RequestSignature.sign(with: key, method: "GET", pathAndQuery: "/x", body: [UInt8](), timestamp: 42)
        let h = Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) })
        func parse(_ change: (inout [String: String]) -> Void) -> RequestSignature.SignedHeaders? {
            var values = h
            change(&values)
            return RequestSignature.SignedHeaders(
                key: values[RequestSignature.Header.key], timestamp: values[RequestSignature.Header.timestamp],
                nonce: values[RequestSignature.Header.nonce], signature: values[RequestSignature.Header.signature])
        }
        let parsed = try #require(parse { _ in })
        #expect(parsed.verify(method: "GET", pathAndQuery: "/x", bodySHA256Hex: RequestSignature.emptyBodySHA256Hex))
        #expect(!parsed.verify(method: "GET", pathAndQuery: "/y", bodySHA256Hex: RequestSignature.emptyBodySHA256Hex))
        #expect(parse { $0[RequestSignature.Header.timestamp] = "-9223372036854775808" } == nil)
        #expect(parse { $0[RequestSignature.Header.timestamp] = nil } == nil)
        #expect(parse { $0[RequestSignature.Header.nonce] = String(repeating: "A", count: 10_000) } == nil)
        #expect(parse { $0[RequestSignature.Header.nonce] = "AAAAAAAAAAAAAAAAAAAAA!" } == nil)
        #expect(parse { $0[RequestSignature.Header.signature] = String(repeating: "A", count: 10_000) } == nil)
        #expect(parse { $0[RequestSignature.Header.key] = (h[RequestSignature.Header.key] ?? "") + String(repeating: "A", count: 200) } == nil)
    }
}
