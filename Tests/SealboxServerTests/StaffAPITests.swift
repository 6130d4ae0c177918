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

    @Test func signedRequest_listsSealedItemsByDayAndIDAfterACursor() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        for text in ["one", "two", "three"] { try await submit(t, text) }
        try await t.staffApp.test(.router) { client in
            func page(_ path: String) async throws -> (items: [[String: Any]], next: String?) {
                try await client.execute(uri: path, method: .get, headers: t.signedHeaders(method: "GET", path: path)) { response in
                    #expect(response.status == .ok)
                    let json = try response.json()
                    return (try #require(json["items"] as? [[String: Any]]), json["next"] as? String)
                }
            }
            let first = try await page("/api/v1/staff/items?limit=2")
            #expect(first.items.count == 2)
            let rest = try await page("/api/v1/staff/items?after=\(try #require(first.next))")
            #expect(rest.items.count == 1)
            let items = first.items + rest.items
            let ids = items.compactMap { $0["id"] as? String }
            #expect(ids == ids.sorted())  // one day: by id, not by arrival
            var texts: [String] = []
            for item in items {
                let envelope = try #require(Base64URL.decode(item["envelope"] as? String ?? ""))
                let content = try ReportContent.decode(try Envelope.open(Array(envelope), with: t.team).plaintext)
                #expect(item["case"] as? String == content.case.text)
                #expect(item["position"] as? Int == 1)
                texts.append(content.text)
            }
            #expect(texts.sorted() == ["one", "three", "two"])
            let today = Day.today()
            #expect(try await page("/api/v1/staff/items?from=\(today.text)").items.count == 3)
            #expect(try await page("/api/v1/staff/items?from=\(today.adding(days: 1).text)").items.isEmpty)
            #expect(try await page("/api/v1/staff/items?from=\(today.text)&after=\(ids[0])").items.count == 2)
        }
    }

    @Test(arguments: ["from=2026-13-01", "from=yesterday", "from=2026-11-240", "from="])
    func anItemsRequestWithAMalformedDay_is400(query: String) async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.staffApp.test(.router) { client in
            let path = "/api/v1/staff/items?" + query
            try await client.execute(uri: path, method: .get, headers: t.signedHeaders(method: "GET", path: path)) { response in
                #expect(response.status == .badRequest)
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
