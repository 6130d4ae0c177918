import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SealboxServer
import Testing

@Suite struct SecurityHeaderTests {
    func expectSecured(_ response: TestResponse) {
        let csp = response.headers[.contentSecurityPolicy] ?? ""
        #expect(csp.contains("frame-ancestors 'none'"))
        #expect(csp.contains("form-action 'self'"))
        #expect(csp.contains("default-src 'none'"))
        #expect(response.headers[.xContentTypeOptions] == "nosniff")
        #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
        #expect(response.headers[.server] == nil)
        #expect(response.headers[.eTag] == nil)
        #expect(response.headers[.setCookie] == nil)
    }

    @Test(arguments: ["/", "/report", "/healthz", "/static/sealbox.css", "/no-such-page", "/report?lang=en"])
    func everyPublicAnswer_carriesTheSecurityHeaders(path: String) async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                expectSecured(response)
                if path == "/no-such-page" { #expect(response.status == .notFound) }
            }
        }
    }

    @Test func pages_loadNoScriptAndNoExternalResource() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            for path in ["/", "/report", "/?lang=en", "/report?lang=en", "/missing"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(!response.text.contains("<script"))
                    #expect(!response.text.contains("src=\"http"))
                    #expect(!response.text.contains("href=\"http"))
                    #expect(!response.text.contains("style=\""))
                }
            }
        }
    }

    @Test func languageFromTheQuery_winsOverAcceptLanguage_andLinksKeepIt() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            var headers = HTTPFields()
            headers[.acceptLanguage] = "de"
            try await client.execute(uri: "/?lang=en", method: .get, headers: headers) { response in
                #expect(response.text.contains("<html lang=\"en\""))
                #expect(response.text.contains("/report?lang=en"))
            }
            headers[.acceptLanguage] = "en-GB,en;q=0.8"
            try await client.execute(uri: "/", method: .get, headers: headers) { response in
                #expect(response.text.contains("<html lang=\"en\""))
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.text.contains("<html lang=\"de\""))
            }
        }
    }

    @Test func staffErrors_carryTheSecurityHeadersToo() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.staffApp.test(.router) { client in
            try await client.execute(uri: "/api/v1/staff/items", method: .get) { response in
                #expect(response.status == .unauthorized)
                expectSecured(response)
            }
        }
    }

    @Test func aConfiguredOnionAddress_isAdvertisedOnPages_butNotOnTheAPI() async throws {
        let t = try TestDaemon(configure: { $0.onionAddress = "http://sealboxexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxx.onion" })
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/report", method: .get) { response in
                #expect(response.headers[HTTPField.Name("Onion-Location")!]
                    == "http://sealboxexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxx.onion/report")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.headers[HTTPField.Name("Onion-Location")!] == nil)
            }
        }
    }

    @Test func withoutAnOnionAddress_noOnionLocationIsSent() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.headers[HTTPField.Name("Onion-Location")!] == nil)
            }
        }
    }
}
