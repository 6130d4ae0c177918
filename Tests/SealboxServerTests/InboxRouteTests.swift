import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SealboxCore
import SealboxCrypto
@testable import SealboxServer
import Testing

@Suite struct InboxRouteTests {
    func submit(_ client: some TestClientProtocol, _ text: String = "Mein Bericht") async throws -> (reference: String, code: String) {
        try await client.execute(uri: "/api/v1/reports", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"text":"\#(text)"}"#)) { response in
            let json = try response.json()
            return (json["case"] as! String, json["code"] as! String)
        }
    }

    func form(_ fields: String, cookie: String? = nil) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let cookie { headers[.cookie] = cookie }
        return headers
    }

    static func formToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="visit" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func aValidCode_opensTheThread_setsAStrictCookie_andNeverPutsTheCodeInThePage() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            let (reference, code) = try await submit(client, "Text mit <tag>")
            let digits = code.replacingOccurrences(of: " ", with: "")
            try await client.execute(uri: "/inbox", method: .post, headers: form(""), body: ByteBuffer(string: "code=\(digits)")) { response in
                #expect(response.status == .ok)
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/inbox"))
                #expect(!cookie.contains("Max-Age") && !cookie.contains("Expires"))
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.text.contains(reference))
                #expect(response.text.contains("Text mit &lt;tag&gt;"))
                #expect(!response.text.contains(digits))
                #expect(!response.text.contains(code))
            }
        }
    }

    @Test func aTypo_is422_aWellFormedUnknownCode_is404_withTheSameBodyForEveryUnknownCode() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            let (_, code) = try await submit(client)
            var digits = Array(code.replacingOccurrences(of: " ", with: ""))
            digits[3] = digits[3] == "0" ? "1" : "0"
            let typo = #"{"code":"\#(String(digits))"}"#
            try await client.execute(uri: "/api/v1/inbox", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: typo)) { response in
                #expect(response.status == .unprocessableContent)
                let json = try response.json()
                #expect((json["error"] as? [String: Any])?["code"] as? String == "code_typo")
            }
            try await client.execute(uri: "/api/v1/inbox", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"code":"123"}"#)) {
                #expect($0.status == .unprocessableContent)
            }
            var bodies: [String] = []
            for _ in 0..<2 {
                let unknown = ReporterCode.generate().grouped
                try await client.execute(uri: "/api/v1/inbox", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"code":"\#(unknown)"}"#)) { response in
                    #expect(response.status == .notFound)
                    bodies.append(response.text)
                }
            }
            #expect(bodies[0] == bodies[1])
        }
    }

    @Test func codesInOtherScripts_openTheSameCase() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            let (reference, code) = try await submit(client)
            let digits = code.replacingOccurrences(of: " ", with: "")
            func mapped(_ base: UInt32) -> String {
                String(String.UnicodeScalarView(digits.unicodeScalars.map { Unicode.Scalar(base + $0.value - 48)! }))
            }
            for variant in [code.replacingOccurrences(of: " ", with: "-"), mapped(0xFF10), mapped(0x0660), mapped(0x06F0)] {
                try await client.execute(uri: "/api/v1/inbox", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"code":"\#(variant)"}"#)) { response in
                    #expect(response.status == .ok)
                    let json = try response.json()
                    #expect(json["case"] as? String == reference)
                }
            }
        }
    }

    @Test func aFollowUp_needsTheVisitCookieAndToken_andLeavingEndsTheVisit() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            let (reference, code) = try await submit(client)
            let (cookie, token) = try await client.execute(uri: "/inbox", method: .post, headers: form(""), body: ByteBuffer(string: "code=\(code.replacingOccurrences(of: " ", with: "+"))")) { response in
                let setCookie = try #require(response.headers[.setCookie])
                return (String(setCookie.split(separator: ";")[0]), try #require(Self.formToken(in: response.text)))
            }
            let send = { (cookie: String?, token: String) async throws -> HTTPResponse.Status in
                var (headers, body) = multipart(fields: [("visit", token), ("text", "Noch etwas")])
                if let cookie { headers[.cookie] = cookie }
                return try await client.execute(uri: "/inbox/messages", method: .post, headers: headers, body: body) { $0.status }
            }
            #expect(try await send(nil, token) == .forbidden)
            #expect(try await send(cookie, "wrong") == .forbidden)
            #expect(try await send(cookie, token) == .ok)
            try await client.execute(uri: "/inbox/leave", method: .post, headers: form("", cookie: cookie), body: ByteBuffer(string: "visit=\(token)")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.setCookie]?.contains("Expires=Thu, 01 Jan 1970") == true)
            }
            #expect(try await send(cookie, token) == .forbidden)
            _ = reference
        }
        let items = try await t.daemon.database.items(after: nil, limit: 10).sorted { $0.position < $1.position }
        #expect(items.map(\.kind) == [.report, .followUp])
        #expect(items.map(\.position) == [1, 2])
        let content = try ReportContent.decode(try Envelope.open(items[1].envelope, with: t.team).plaintext)
        #expect(content.text == "Noch etwas")
        #expect(content.type == .followUp)
    }

    @Test func tooManyAttempts_are429WithRetryAfter_evenForAValidCode() async throws {
        let t = try TestDaemon(codeAttempts: 2)
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            let (_, code) = try await submit(client)
            for _ in 0..<2 {
                let unknown = ReporterCode.generate().grouped
                try await client.execute(uri: "/api/v1/inbox", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"code":"\#(unknown)"}"#)) {
                    #expect($0.status == .notFound)
                }
            }
            try await client.execute(uri: "/api/v1/inbox", method: .post, headers: jsonHeaders(), body: ByteBuffer(string: #"{"code":"\#(code)"}"#)) { response in
                #expect(response.status == .tooManyRequests)
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
            }
            try await client.execute(uri: "/inbox?lang=en", method: .post, headers: form(""), body: ByteBuffer(string: "code=\(code)")) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.text.contains("too many attempts"))
            }
        }
    }
}
