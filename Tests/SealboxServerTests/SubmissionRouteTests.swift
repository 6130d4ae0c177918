import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SealboxCore
import SealboxCrypto
@testable import SealboxServer
import Testing

@Suite struct SubmissionRouteTests {
    @Test func jsonReport_isCreatedWithCaseCodeAndDay_andStoredSealed() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            let body = #"{"text":"Im Bus beleidigt","grounds":["ethnic-origin"],"area":"public-space","where":"Linie 10"}"#
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .created)
                let json = try response.json()
                let caseText = try #require(json["case"] as? String)
                let code = try #require(json["code"] as? String)
                #expect(try CaseReference(parsing: caseText).text == caseText)
                #expect(code.count == 19)
                #expect((try? ReporterCode(normalising: code)) != nil)
                #expect(json["received"] as? String == Day.today().text)
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
        let items = try await t.daemon.database.items(after: nil, limit: 10)
        let content = try ReportContent.decode(try Envelope.open(items[0].envelope, with: t.team).plaintext)
        #expect(content.text == "Im Bus beleidigt")
        #expect(content.where == "Linie 10")
        #expect(content.area == "public-space")
    }

    @Test func multipartReport_sealsAttachmentsThatTheTeamKeyOpens() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let file = Random.bytes(150_000)
        let (headers, body) = multipart(fields: [("text", "Brief anbei"), ("grounds", "age"), ("grounds", "gender")],
                                        files: [("attachment", "../../etc/Brief.pdf", "application/pdf", file)])
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .created)
            }
        }
        let items = try await t.daemon.database.items(after: nil, limit: 10)
        let content = try ReportContent.decode(try Envelope.open(items[0].envelope, with: t.team).plaintext)
        #expect(content.grounds == ["age", "gender"])
        #expect(content.attachments.count == 1)
        let manifest = content.attachments[0]
        #expect(manifest.name == "Brief.pdf")
        #expect(manifest.type == "application/pdf")
        #expect(manifest.size == file.count)
        let blob = try #require(try await t.daemon.database.blob(id: manifest.id))
        #expect(try AttachmentDecryptor.decrypt(blob: blob, attachmentID: manifest.id.text, key: t.team) == file)
        let staged = try FileManager.default.contentsOfDirectory(atPath: t.directory.appendingPathComponent("tmp").path)
        #expect(staged.isEmpty)
    }

    @Test func missingText_is422WithALocalisedMessage_andNothingStored() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/api/v1/reports?lang=en", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"text":"  "}"#)) { response in
                #expect(response.status == .unprocessableContent)
                let error = try #require(try response.json()["error"] as? [String: Any])
                #expect(error["code"] as? String == "text_missing")
                #expect((error["message"] as? String)?.isEmpty == false)
            }
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: jsonHeaders([("Accept-Language", "de-DE,de;q=0.9")]), body: ByteBuffer(string: #"{}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.headers[.contentLanguage] == "de")
            }
        }
        #expect(try await t.daemon.database.counts().cases == 0)
    }

    @Test func declaredBodyOverTheLimit_is413() async throws {
        let t = try TestDaemon { $0.jsonBody = 100 }
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            let body = ByteBuffer(string: #"{"text":"\#(String(repeating: "a", count: 200))"}"#)
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: jsonHeaders(), body: body) { response in
                #expect(response.status == .contentTooLarge)
                let json = try response.json()
                #expect(json["error"] != nil)
            }
        }
    }

    @Test func invalidUTF8_is400() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            var body = ByteBuffer(string: #"{"text":""#)
            body.writeBytes([0xC3, 0x28])
            body.writeString(#""}"#)
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: jsonHeaders(), body: body) { response in
                #expect(response.status == .badRequest)
                let json = try response.json()
                #expect((json["error"] as? [String: Any])?["code"] as? String == "invalid_utf8")
            }
        }
    }

    @Test func tooManyFiles_is422_andNoStagingFileRemains() async throws {
        let t = try TestDaemon { $0.attachmentCount = 1 }
        defer { t.remove() }
        let (headers, body) = multipart(fields: [("text", "x")], files: [
            ("attachment", "a.txt", "text/plain", Array("one".utf8)),
            ("attachment", "b.txt", "text/plain", Array("two".utf8)),
        ])
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.directory.appendingPathComponent("tmp").path).isEmpty)
        #expect(try await t.daemon.database.counts().cases == 0)
    }

    @Test func wrongContentType_is415() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain"
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: headers, body: ByteBuffer(string: "hi")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test func htmlForm_answersTheConfirmationPage_withTheCodeOnce() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(uri: "/report?lang=en", method: .post, headers: headers, body: ByteBuffer(string: "text=Hello+there%21&grounds=age")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[.setCookie] == nil)
                #expect(response.text.contains("<html lang=\"en\""))
            }
        }
        #expect(try await t.daemon.database.counts().cases == 1)
    }

    @Test func htmlFormWithoutText_isShownAgainWithItsValuesAndA422() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(uri: "/report", method: .post, headers: headers, body: ByteBuffer(string: "text=&where=Hannover+%3Cb%3E")) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("aria-invalid=\"true\""))
                #expect(response.text.contains("Hannover &lt;b&gt;"))
                #expect(!response.text.contains("Hannover <b>"))
            }
        }
    }

    @Test func receiptDownload_isATextAttachment_andRefusesATypo() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let code = ReporterCode.generate()
        let reference = CaseReference.generate()
        try await t.publicApp.test(.router) { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-www-form-urlencoded"
            let good = "code=\(code.grouped.replacingOccurrences(of: " ", with: "+"))&case=\(reference.text)&received=2026-11-24"
            try await client.execute(uri: "/receipt", method: .post, headers: headers, body: ByteBuffer(string: good)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
                #expect(response.text.contains(code.grouped))
                #expect(response.text.contains(reference.text))
            }
            var digits = Array(code.grouped.replacingOccurrences(of: " ", with: ""))
            digits[0] = digits[0] == "1" ? "2" : "1"
            try await client.execute(uri: "/receipt", method: .post, headers: headers, body: ByteBuffer(string: "code=\(String(digits))&case=\(reference.text)&received=2026-11-24")) { response in
                #expect(response.status == .unprocessableContent)
            }
        }
    }
}
