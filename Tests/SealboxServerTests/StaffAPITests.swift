import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SealboxCore
import SealboxCrypto
@testable import SealboxServer
import Testing

@Suite struct StaffAPITests {
    func submit(_ t: TestDaemon, _ text: String) async throws {
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"text":"\#(text)"}"#)) { response in
                #expect(response.status == .created)
            }
        }
    }

    @Test func signedRequest_listsSealedItemsAfterACursor() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        for text in ["one", "two", "three"] { try await submit(t, text) }
        try await t.staffApp.test(.router) { client in
            let path = "/api/v1/staff/items?limit=2"
            let next = try await client.execute(uri: path, method: .get, headers: t.signedHeaders(method: "GET", path: path)) { response in
                #expect(response.status == .ok)
                let json = try response.json()
                let items = try #require(json["items"] as? [[String: Any]])
                #expect(items.count == 2)
                let envelope = try #require(Base64URL.decode(items[0]["envelope"] as? String ?? ""))
                let content = try ReportContent.decode(try Envelope.open(Array(envelope), with: t.team).plaintext)
                #expect(content.text == "one")
                #expect(items[0]["case"] as? String == content.case.text)
                return try #require(json["next"] as? String)
            }
            let rest = "/api/v1/staff/items?after=\(next)"
            try await client.execute(uri: rest, method: .get, headers: t.signedHeaders(method: "GET", path: rest)) { response in
                #expect(response.status == .ok)
                let json = try response.json()
                #expect((json["items"] as? [[String: Any]])?.count == 1)
            }
        }
    }

    @Test func replayedNonce_isRefused() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.staffApp.test(.router) { client in
            let path = "/api/v1/staff/items"
            let headers = t.signedHeaders(method: "GET", path: path)
            try await client.execute(uri: path, method: .get, headers: headers) { #expect($0.status == .ok) }
            try await client.execute(uri: path, method: .get, headers: headers) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func staleTimestamp_unknownKey_wrongPathAndBadSignature_areAll401() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.staffApp.test(.router) { client in
            let path = "/api/v1/staff/items"
            let stale = t.signedHeaders(method: "GET", path: path, timestamp: Int64(Date().timeIntervalSince1970) - 400)
            try await client.execute(uri: path, method: .get, headers: stale) { #expect($0.status == .unauthorized) }
            let stranger = t.signedHeaders(method: "GET", path: path, key: .generate())
            try await client.execute(uri: path, method: .get, headers: stranger) { #expect($0.status == .unauthorized) }
            let otherPath = t.signedHeaders(method: "GET", path: "/api/v1/staff/items?limit=1")
            try await client.execute(uri: path, method: .get, headers: otherPath) { #expect($0.status == .unauthorized) }
            var forged = t.signedHeaders(method: "GET", path: path)
            forged[HTTPField.Name("Sealbox-Signature")!] = Base64URL.encode(Random.bytes(64))
            try await client.execute(uri: path, method: .get, headers: forged) { #expect($0.status == .unauthorized) }
            let withBody = t.signedHeaders(method: "GET", path: path, body: Array("a".utf8))
            try await client.execute(uri: path, method: .get, headers: withBody, body: ByteBuffer(string: "b")) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func attachmentBlob_isServedSealed_andUnknownIdsAre404() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let file = Random.bytes(1000)
        let (headers, body) = multipart(fields: [("text", "x")], files: [("attachment", "f.bin", "application/octet-stream", file)])
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: headers, body: body) { #expect($0.status == .created) }
        }
        let item = try await t.daemon.database.items(after: nil, limit: 1)[0]
        let id = item.attachments[0].id
        try await t.staffApp.test(.router) { client in
            let path = "/api/v1/staff/attachments/\(id)"
            try await client.execute(uri: path, method: .get, headers: t.signedHeaders(method: "GET", path: path)) { response in
                #expect(response.status == .ok)
                let blob = Array(response.body.readableBytesView)
                #expect(blob.count == item.attachments[0].size)
                let opened = try AttachmentDecryptor.decrypt(blob: blob, attachmentID: id.text, key: t.team)
                #expect(opened == file)
            }
            let missing = "/api/v1/staff/attachments/\(AttachmentID.generate())"
            try await client.execute(uri: missing, method: .get, headers: t.signedHeaders(method: "GET", path: missing)) { #expect($0.status == .notFound) }
        }
    }
}
