import Foundation
import Testing
@testable import SealboxWorkstation

@Suite struct ReplyTemplatesTests {
    /// The one placeholder the shipped templates may hold (docs/REPLY-TEMPLATES.md).
    static let referralPlaceholder = "[[Name und Kontakt der Stelle / name and contact of the service]]"

    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
        return url
    }

    func file(_ tag: String, _ templates: [String: String]) -> String {
        let body = try! JSONSerialization.data(withJSONObject: ["format": ReplyTemplates.format, "language": tag,
                                                                 "templates": templates])
        return String(decoding: body, as: UTF8.self)
    }

    static let four = ["acknowledgement": "Hallo, danke.", "more-detail": "Mehr?", "referral": "Dort: [[Stelle]]",
                       "closing": "Ende."]

    @Test func everyShippedLanguage_hasTheFourTemplates() throws {
        let templates = try ReplyTemplates.load()
        #expect(Set(templates.languages.keys) == Set(ReplyTemplates.shippedLanguages))
        #expect(ReplyTemplates.shippedLanguages.count == 9)
        for tag in ReplyTemplates.shippedLanguages {
            #expect(Set(templates.languages[tag].map { Array($0.keys) } ?? []) == Set(ReplyTemplates.names), "\(tag)")
        }
    }

    @Test func shippedTemplates_holdNoPlaceholderButTheReferralsService() throws {
        let templates = try ReplyTemplates.load()
        for (tag, texts) in templates.languages {
            for (name, text) in texts {
                let expected = name == "referral" ? [Self.referralPlaceholder] : []
                #expect(ReplyTemplates.placeholders(in: text) == expected, "\(tag) \(name)")
                #expect(!text.contains("{") && !text.contains("}"), "\(tag) \(name)")
            }
        }
    }

    @Test func theReportersLanguage_choosesItsTemplates() throws {
        let choice = try ReplyTemplates.load().choose(for: "ar")
        #expect(choice.language == "ar" && !choice.fellBack)
        #expect(choice.texts["acknowledgement"]?.hasPrefix("مرحبًا") == true)
    }

    @Test(arguments: [nil, "it", "xx-yy"] as [String?])
    func aLanguageWithoutTemplates_fallsBackToGerman(_ tag: String?) throws {
        let choice = try ReplyTemplates.load().choose(for: tag)
        #expect(choice.language == "de" && choice.fellBack)
        #expect(choice.texts["closing"]?.contains("Fall") == true)
    }

    @Test func anOfficeFile_replacesOneLanguage_andAddsAnother() throws {
        let url = try folder(["de.json": file("de", Self.four), "it.json": file("it", Self.four), "notes.txt": "x"])
        let templates = try ReplyTemplates.load(officeFolder: url)
        #expect(templates.languages["de"]?["closing"] == "Ende.")
        #expect(templates.choose(for: "it").fellBack == false)
        #expect(templates.languages["en"]?["closing"]?.hasPrefix("Hello") == true)
    }

    @Test(arguments: [
        ("de.json", "{not json", "de.json: not a JSON object"),
        ("de.json", #"{"format":"other","language":"de","templates":{}}"#, #"de.json: "format" must be"#),
        ("de.json", #"{"format":"sealbox-reply-templates/1","language":"en","templates":{}}"#, #""language" must be "de""#),
        ("De.json", #"{}"#, "the file name must be a language tag"),
    ])
    func aBrokenOfficeFile_isRefusedWithItsName(_ name: String, _ text: String, _ expected: String) throws {
        let url = try folder([name: text])
        #expect(throws: ReplyTemplateError.self) { try ReplyTemplates.load(officeFolder: url) }
        do {
            _ = try ReplyTemplates.load(officeFolder: url)
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.message.contains(url.path))
        }
    }

    @Test func anOfficeFile_missingATemplate_orWithAnUnknownOne_isRefused() throws {
        var missing = Self.four
        missing["closing"] = nil
        var extra = Self.four
        extra["greeting"] = "Hi"
        var empty = Self.four
        empty["closing"] = "  \n"
        var unbalanced = Self.four
        unbalanced["referral"] = "Dort: [[Stelle"
        for (templates, expected) in [(missing, #"template "closing" is missing"#), (extra, #"unknown template "greeting""#),
                                      (empty, #""closing" must be a text that is not empty"#),
                                      (unbalanced, #""referral" has a "[[" without"#)] {
            let url = try folder(["de.json": file("de", templates)])
            do {
                _ = try ReplyTemplates.load(officeFolder: url)
                Issue.record("accepted \(expected)")
            } catch {
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
    }

    @Test func aMissingOfficeFolder_isAClearError() {
        let url = URL(fileURLWithPath: "/nonexistent/sealbox-templates")
        do {
            _ = try ReplyTemplates.load(officeFolder: url)
            Issue.record("accepted a missing folder")
        } catch {
            #expect(error.message == "cannot read the reply templates folder /nonexistent/sealbox-templates")
        }
    }

    @Test func placeholders_areFoundInOrder() {
        #expect(ReplyTemplates.placeholders(in: "a [[x]] b [[y z]] c") == ["[[x]]", "[[y z]]"])
        #expect(ReplyTemplates.placeholders(in: "no brackets [x]") == [])
    }
}
