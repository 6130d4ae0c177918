import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SealboxL10n
@testable import SealboxServer
import Testing

@Suite struct AccessibilityStatementTests {
    @Test(arguments: Language.all)
    func theStatement_namesTheFeedbackContact_andEveryPageLinksToIt(language: Language) async throws {
        let t = try TestDaemon(configure: { $0.accessibilityContact = "barrierefrei@example.org, 0511 616-0" })
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/accessibility?lang=\(language.tag)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("barrierefrei@example.org, 0511 616-0"))
                // Leichte Sprache names no abbreviation; every other language names the standard.
                #expect(response.text.contains("WCAG 2.1") || language == .easyGerman)
                #expect(!response.text.contains("⟦"))
            }
            for path in ["/", "/report", "/inbox", "/no-such-page"] {
                try await client.execute(uri: path + "?lang=\(language.tag)", method: .get) { response in
                    #expect(response.text.contains("href=\"/accessibility?lang=\(language.tag)\""), "\(path)")
                }
            }
        }
    }

    @Test func aSignLanguageVideo_isServedWithCaptions_andShownOnGermanPagesOnly() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dgs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let video = Data((0..<200_000).map { UInt8($0 % 251) })
        try video.write(to: dir.appendingPathComponent("dgs.webm"))
        try Data("WEBVTT\n\n00:00.000 --> 00:02.000\nWillkommen\n".utf8).write(to: dir.appendingPathComponent("dgs.vtt"))
        let t = try TestDaemon(configure: {
            $0.signLanguageVideo = dir.appendingPathComponent("dgs.webm").path
            $0.signLanguageCaptions = dir.appendingPathComponent("dgs.vtt").path
        })
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/?lang=de", method: .get) { response in
                #expect(response.text.contains("<video"))
                #expect(response.text.contains("<track kind=\"captions\" src=\"/media/sign-language.vtt\" srclang=\"de\""))
                #expect(response.headers[.contentSecurityPolicy]?.contains("media-src 'self'") == true)
            }
            try await client.execute(uri: "/?lang=en", method: .get) { response in
                #expect(!response.text.contains("<video"))
            }
            try await client.execute(uri: "/media/sign-language", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "video/webm")
                #expect(Data(response.body.readableBytesView) == video)
            }
            try await client.execute(uri: "/media/sign-language.vtt", method: .get) { response in
                #expect(response.text.hasPrefix("WEBVTT"))
            }
        }
    }

    @Test func withoutAVideo_thereIsNoVideoAndNoMediaRoute() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/?lang=de", method: .get) { #expect(!$0.text.contains("<video")) }
            try await client.execute(uri: "/media/sign-language", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func anOfficeLogo_isShownInEveryHeader_andServedByTheDaemon() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("logo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = Data(#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#.utf8)
        try svg.write(to: dir.appendingPathComponent("logo.svg"))
        let t = try TestDaemon(configure: { $0.logo = dir.appendingPathComponent("logo.svg").path })
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            for path in ["/", "/report", "/inbox", "/accessibility"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.text.contains("<img class=\"logo\" src=\"/media/logo\" alt=\"\">"), "\(path)")
                }
            }
            try await client.execute(uri: "/media/logo", method: .get) { response in
                #expect(response.headers[.contentType] == "image/svg+xml")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(Data(response.body.readableBytesView) == svg)
            }
        }
    }
}
