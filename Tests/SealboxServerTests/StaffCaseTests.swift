import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SealboxCore
import SealboxCrypto
@testable import SealboxServer
import Testing

@Suite struct StaffCaseTests {
    /// Submits a report and returns its case reference and the reporter key sealed inside it.
    func submit(_ t: TestDaemon) async throws -> (CaseReference, BoxPublicKey) {
        let before = Set(try await t.daemon.database.items(after: nil, limit: 100).map(\.id))
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"text":"x"}"#)) {
                #expect($0.status == .created)
            }
        }
        // The feed is by (day, id), not by arrival: the new item is the one not there before.
        let item = try #require(try await t.daemon.database.items(after: nil, limit: 100).first { !before.contains($0.id) })
        let content = try ReportContent.decode(try Envelope.open(item.envelope, with: t.team).plaintext)
        return (item.caseReference, try #require(content.reporterPublicKey))
    }

    func replyBody(_ reference: CaseReference, to recipients: [BoxPublicKey], kind: EnvelopeKind = .reply) throws -> ByteBuffer {
        let plaintext = try ReportContent(type: kind, caseReference: reference, day: .today(),
                                          reporterKey: nil, text: "Antwort").encoded()
        let envelope = try Envelope.seal(plaintext, kind: kind, to: recipients)
        return ByteBuffer(string: #"{"envelope":"\#(Base64URL.encode(envelope))"}"#)
    }

    func post(_ t: TestDaemon, _ client: some TestClientProtocol, _ path: String, _ body: ByteBuffer) async throws -> TestResponse {
        var headers = t.signedHeaders(method: "POST", path: path, body: Array(body.readableBytesView))
        headers[.contentType] = "application/json"
        return try await client.execute(uri: path, method: .post, headers: headers, body: body)
    }

    @Test func aReplySealedToReporterAndTeam_isStoredAndAcknowledgesTheCase() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let (reference, reporterKey) = try await submit(t)
        try await t.staffApp.test(.router) { client in
            let response = try await post(t, client, "/api/v1/staff/cases/\(reference)/replies",
                                          try replyBody(reference, to: [reporterKey, t.team.publicKey]))
            #expect(response.status == .created)
            let json = try response.json()
            #expect(json["status"] as? String == "acknowledged")
            let audit = "/api/v1/staff/audit"
            try await client.execute(uri: audit, method: .get, headers: t.signedHeaders(method: "GET", path: audit)) { response in
                let json = try response.json()
                let entries = try #require(json["entries"] as? [[String: Any]])
                #expect(entries.count == 1)
                #expect(entries[0]["action"] as? String == "reply")
                #expect(entries[0]["case"] as? String == reference.text)
                #expect(entries[0]["member"] as? String == t.staff.publicKey.keyID.hex)
                // The digest of the signed request (PROTOCOL §11): 32 bytes, base64url.
                #expect(Base64URL.decode(entries[0]["request"] as? String ?? "")?.count == 32)
            }
        }
        let record = try #require(try await t.daemon.database.caseRecord(reference: reference))
        #expect(record.status == .acknowledged)
    }

    @Test func aReplyNotSealedToTheReportersKey_isRefused() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let (reference, reporterKey) = try await submit(t)
        try await t.staffApp.test(.router) { client in
            for recipients in [[t.team.publicKey], [BoxSecretKey.generate().publicKey, t.team.publicKey],
                               [reporterKey, BoxSecretKey.generate().publicKey]] {
                let response = try await post(t, client, "/api/v1/staff/cases/\(reference)/replies", try replyBody(reference, to: recipients))
                #expect(response.status == .unprocessableContent)
            }
            let followUp = try await post(t, client, "/api/v1/staff/cases/\(reference)/replies",
                                          try replyBody(reference, to: [reporterKey, t.team.publicKey], kind: .followUp))
            #expect(followUp.status == .unprocessableContent)
            let unknown = try await post(t, client, "/api/v1/staff/cases/ZZZZ-ZZZZ/replies",
                                         try replyBody(try CaseReference(parsing: "ZZZZ-ZZZZ"), to: [reporterKey, t.team.publicKey]))
            #expect(unknown.status == .notFound)
        }
        #expect(try await t.daemon.database.items(ofCase: reference).count == 1)
    }

    @Test func statusChanges_areListedAndInvalidOnesRefused() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let (reference, _) = try await submit(t)
        try await t.staffApp.test(.router) { client in
            let path = "/api/v1/staff/cases/\(reference)/status"
            #expect(try await post(t, client, path, ByteBuffer(string: #"{"status":"in-progress"}"#)).status == .ok)
            #expect(try await post(t, client, path, ByteBuffer(string: #"{"status":"lost"}"#)).status == .unprocessableContent)
            let cases = "/api/v1/staff/cases"
            try await client.execute(uri: cases, method: .get, headers: t.signedHeaders(method: "GET", path: cases)) { response in
                let json = try response.json()
                let list = try #require(json["cases"] as? [[String: Any]])
                #expect(list.first?["status"] as? String == "in-progress")
            }
            let items = "/api/v1/staff/items"
            try await client.execute(uri: items, method: .get, headers: t.signedHeaders(method: "GET", path: items)) { response in
                let json = try response.json()
                let list = try #require(json["items"] as? [[String: Any]])
                // One day: by id, not by arrival; the status change is the case's second item.
                #expect(list.count == 2)
                let change = try #require(list.first { $0["kind"] as? String == "status" })
                #expect(change["position"] as? Int == 2)
                #expect(change["status"] as? String == "in-progress")
                #expect(change["envelope"] is NSNull)
                #expect(list.first { $0["kind"] as? String == "report" }?["position"] as? Int == 1)
            }
        }
    }

    @Test func deletingACase_removesEveryRow_andASecondDeleteIs404() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let (reference, _) = try await submit(t)
        try await t.staffApp.test(.router) { client in
            let path = "/api/v1/staff/cases/\(reference)"
            try await client.execute(uri: path, method: .delete, headers: t.signedHeaders(method: "DELETE", path: path)) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: path, method: .delete, headers: t.signedHeaders(method: "DELETE", path: path)) {
                #expect($0.status == .notFound)
            }
        }
        let counts = try await t.daemon.database.counts()
        #expect(counts.cases == 0 && counts.items == 0)
        #expect(try await t.daemon.database.auditEntries().map(\.action) == [.delete])
    }
}
