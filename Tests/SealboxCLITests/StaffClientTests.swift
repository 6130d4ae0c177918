import SealboxCore
import Foundation
import SealboxCrypto
import SealboxWorkstation
import Testing
@testable import SealboxCLI

import AsyncHTTPClient
import NIOHTTP1

@Suite struct StaffClientTests {
    let key = SigningSecretKey.generate()

    private func verify(_ request: HTTPClientRequest, pathAndQuery: String, body: [UInt8] = []) -> Bool {
        guard let keyText = request.headers.first(name: "Sealbox-Key"),
              let timestamp = request.headers.first(name: "Sealbox-Timestamp").flatMap({ Int64($0) }),
              let nonce = request.headers.first(name: "Sealbox-Nonce"),
              let signature = request.headers.first(name: "Sealbox-Signature").flatMap(Base64URL.decode)
        else { return false }
        let message = RequestSignature.message(method: request.method.rawValue, pathAndQuery: pathAndQuery,
                                               timestamp: timestamp, nonce: nonce,
                                               bodySHA256Hex: Hex.encode(Hash.sha256(body)), keyText: keyText)
        return (try? SigningPublicKey(text: keyText))?.isValidSignature(signature, for: message) == true
    }

    @Test func aSignedRequest_verifiesWithTheStaffPublicKey() throws {
        var client = StaffClient(server: URL(string: "http://127.0.0.1:8081")!, key: key, keyFileName: "staff.key")
        client.clock = { 1_800_000_000 }
        let path = "/api/v1/staff/items?after=\(Random.identifier())&limit=100"
        let request = try client.request(method: "GET", pathAndQuery: path)
        #expect(request.url == "http://127.0.0.1:8081" + path)
        #expect(request.headers.first(name: "Sealbox-Key") == key.publicKey.text)
        #expect(request.headers.first(name: "Sealbox-Timestamp") == "1800000000")
        #expect(RequestSignature.isWellFormedNonce(request.headers.first(name: "Sealbox-Nonce") ?? ""))
        #expect(verify(request, pathAndQuery: path))
    }

    @Test func aSignedRequest_doesNotVerifyForAnotherPath() throws {
        let client = StaffClient(server: URL(string: "http://127.0.0.1:8081")!, key: key, keyFileName: "staff.key")
        let request = try client.request(method: "GET", pathAndQuery: "/api/v1/staff/items?limit=100")
        #expect(!verify(request, pathAndQuery: "/api/v1/staff/items?limit=500"))
    }

    @Test func aServerBelowAPath_signsTheFullPathAsSent() throws {
        let client = StaffClient(server: URL(string: "https://example.org/sealbox/")!, key: key, keyFileName: "staff.key")
        let request = try client.request(method: "GET", pathAndQuery: "/api/v1/staff/items?limit=100")
        #expect(request.url == "https://example.org/sealbox/api/v1/staff/items?limit=100")
        #expect(verify(request, pathAndQuery: "/sealbox/api/v1/staff/items?limit=100"))
    }

    @Test func aRequestWithABody_signsTheBodyDigest() throws {
        let client = StaffClient(server: URL(string: "http://127.0.0.1:8081")!, key: key, keyFileName: "staff.key")
        let body = Array(#"{"status":"closed"}"#.utf8)
        let request = try client.request(method: "post", pathAndQuery: "/api/v1/staff/cases/7KQM-3XWP/status", body: body)
        #expect(request.method.rawValue == "POST")
        #expect(verify(request, pathAndQuery: "/api/v1/staff/cases/7KQM-3XWP/status", body: body))
        #expect(!verify(request, pathAndQuery: "/api/v1/staff/cases/7KQM-3XWP/status"))
    }

    @Test func twoRequests_carryDifferentNonces() throws {
        let client = StaffClient(server: URL(string: "http://127.0.0.1:8081")!, key: key, keyFileName: "staff.key")
        let a = try client.request(method: "GET", pathAndQuery: "/x")
        let b = try client.request(method: "GET", pathAndQuery: "/x")
        #expect(a.headers.first(name: "Sealbox-Nonce") != b.headers.first(name: "Sealbox-Nonce"))
    }
}
