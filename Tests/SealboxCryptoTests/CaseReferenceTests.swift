import Foundation
import SealboxCrypto
import Testing

@Suite("Case references")
struct CaseReferenceTests {
    @Test("generated references are two groups of four from the alphabet")
    func generatedShape() {
        let alphabet = Set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        for _ in 0..<200 {
            let text = CaseReference.generate().text
            #expect(text.count == 9)
            #expect(Array(text)[4] == "-")
            #expect(text.replacingOccurrences(of: "-", with: "").allSatisfy { alphabet.contains($0) })
        }
    }

    @Test("parsing accepts lower case and a missing dash", arguments: ["7KQM-3XWP", "7kqm-3xwp", "7KQM3XWP", "7kQm3XwP"])
    func parsingIsLenient(_ text: String) throws {
        #expect(try CaseReference(parsing: text).text == "7KQM-3XWP")
    }

    @Test("parsing refuses other lengths, characters and separators",
          arguments: ["", "7KQM-3XW", "7KQM-3XWPP", "7KQM 3XWP", "7KQM-3XW0", "1KQM-3XWP", "OKQM-3XWP", "IKQM-3XWP",
                      "LKQM-3XWP", "7KQM--XWP", "7KQ-M3XWP", "7KQM–3XWP", "ＫKQM-3XWP"])
    func parsingRefuses(_ text: String) {
        #expect(throws: CryptoError.self) { try CaseReference(parsing: text) }
    }

    @Test("a reference round-trips through Codable as its text")
    func codable() throws {
        let ref = CaseReference.generate()
        let data = try JSONEncoder().encode([ref])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(ref.text)\"]")
        #expect(try JSONDecoder().decode([CaseReference].self, from: data) == [ref])
        #expect(ref.description == ref.text)
    }
}

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
}
