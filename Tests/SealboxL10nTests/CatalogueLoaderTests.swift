import Foundation
import Testing
@testable import SealboxL10n

/// The one loader refuses each kind of defect with a message naming the file and the key,
/// for an office's files and the shipped ones alike, and applies what it accepts.
@Suite struct CatalogueLoaderTests {
    static let shipped: CatalogueSet = Catalogue.shipped

    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }

    /// The English texts as an office would copy them to start a new language.
    static func completeTexts(name: String = "Italiano") -> [String: Any] {
        var object: [String: Any] = Catalogue.builtInStrings(for: .english)
        object["_language"] = ["name": name, "rtl": false]
        return object
    }

    static func refusal(_ name: String, _ object: Any, requiredKeys: [String] = []) -> CatalogueError? {
        refusal(name, raw: json(object), requiredKeys: requiredKeys)
    }

    static func refusal(_ name: String, raw: Data, requiredKeys: [String] = []) -> CatalogueError? {
        do throws(CatalogueError) {
            _ = try CatalogueLoader(requiredKeys: requiredKeys).loadOverrides([(name, raw)], over: shipped)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Refusals

    @Test func unknownKey_isRefused_namingFileAndKey() throws {
        let error = try #require(Self.refusal("de.json", ["no.such.key": "x"]))
        #expect(error == CatalogueError(file: "de.json", key: "no.such.key", .unknownKey))
        #expect(error.description == "de.json: no.such.key is not a key of Sealbox's texts")
    }

    @Test func otherPlaceholders_areRefused_namingFileKeyAndBothSets() throws {
        let error = try #require(Self.refusal("en.json", ["footer.contact": "Contact: {1}"]))
        #expect(error.problem == .placeholders(expected: [0], found: [1]))
        #expect(error.description == "en.json: footer.contact must use the placeholders of the German text ({0}), not {1}")
        let none = try #require(Self.refusal("de.json", ["footer.contact": "Kontakt"]))
        #expect(none.description.hasSuffix("not none"))
    }

    @Test func malformedJSON_isRefused_namingTheFile() throws {
        let broken = try #require(Self.refusal("tr.json", raw: Data("{\"form.title\": \"x\",".utf8)))
        #expect(broken == CatalogueError(file: "tr.json", .notAnObject))
        #expect(broken.description.hasPrefix("tr.json is not a JSON object"))
        let array = try #require(Self.refusal("de.json", ["not", "an", "object"]))
        #expect(array.problem == .notAnObject)
    }

    @Test func aTextThatIsNotAString_isRefused_namingTheKey() throws {
        let error = try #require(Self.refusal("de.json", ["landing.title": 42]))
        #expect(error.description == "de.json: landing.title must be a string")
    }

    @Test func anIncompleteNewLanguage_isRefused_namingTheMissingKeys() throws {
        var texts = Self.completeTexts()
        texts["landing.title"] = nil
        texts["form.title"] = nil
        let error = try #require(Self.refusal("it.json", texts))
        #expect(error.problem == .missingKeys(["form.title", "landing.title"]))
        #expect(error.description == "it.json lacks 2 texts: form.title, landing.title")
    }

    @Test func aNewLanguageWithoutLanguageObject_isRefused() throws {
        var texts = Self.completeTexts()
        texts["_language"] = nil
        let error = try #require(Self.refusal("it.json", texts))
        #expect(error.problem == .missingLanguage)
        #expect(error.description.contains("it.json") && error.description.contains("_language"))
    }

    @Test(arguments: [
        ("not an object", "_language"),
        (["rtl": false], "_language.name"),
        (["name": "  "], "_language.name"),
        (["name": "Italiano", "rtl": "no"], "_language.rtl"),
        (["name": "Italiano", "html_lang": "it\"><script>"], "_language.html_lang"),
        (["name": "Italiano", "direction": "ltr"], "_language.direction"),
    ] as [(any Sendable, String)])
    func aBadLanguageObject_isRefused_namingTheField(language: any Sendable, key: String) throws {
        var texts = Self.completeTexts()
        texts["_language"] = language
        let error = try #require(Self.refusal("it.json", texts))
        #expect(error == CatalogueError(file: "it.json", key: key, .badLanguage))
        #expect(error.description.hasPrefix("it.json: \(key) is malformed"))
    }

    @Test func aReviewNoteThatIsNotAString_isRefused() throws {
        let error = try #require(Self.refusal("de.json", ["_review": ["by": "x"]]))
        #expect(error == CatalogueError(file: "de.json", key: "_review", .badReview))
    }

    @Test(arguments: ["it.txt.json", "../it.json", "it alien.json", ".json"])
    func aFileNameThatIsNotALanguageTag_isRefused(name: String) throws {
        let error = try #require(Self.refusal(name, ["landing.title": "x"]))
        #expect(error.problem == .badFileName)
        #expect(error.description.hasPrefix(name))
    }

    @Test func aKeyTheCodeNeeds_missingFromGerman_isRefused() throws {
        let files = Catalogue.shippedFiles.map { ($0.name, Data($0.bytes)) }
        #expect(throws: CatalogueError(file: "de.json", .missingKeys(["ground.new"]))) {
            try CatalogueLoader(requiredKeys: ["landing.title", "ground.new"]).loadShipped(files)
        }
    }

    @Test func aDefectInAShippedFile_isRefusedByTheSameLoader() throws {
        var files = Catalogue.shippedFiles.map { ($0.name, Data($0.bytes)) }
        var english = Catalogue.builtInStrings(for: .english) as [String: Any]
        english["footer.contact"] = nil
        english["_language"] = ["name": "English"]
        files[2] = ("en.json", Self.json(english))
        #expect(throws: CatalogueError(file: "en.json", .missingKeys(["footer.contact"]))) {
            try CatalogueLoader().loadShipped(files)
        }
    }

    @Test func anUnreadableDirectory_isRefused_namingIt() throws {
        #expect(throws: CatalogueError(file: "l10n.directory /nonexistent/l10n", .unreadable)) {
            try CatalogueOverrides.load(directory: "/nonexistent/l10n")
        }
    }

    // MARK: What is accepted

    @Test func anOverride_changesThatText_andKeepsTheOthers() throws {
        let overrides = try CatalogueLoader().loadOverrides(
            [("de.json", Self.json(["landing.title": "Diskriminierung melden", "footer.contact": "Sprechzeiten: {0}"]))],
            over: Self.shipped)
        let german = Localiser(.german, strings: try #require(overrides.strings["de"]))
        #expect(german["landing.title"] == "Diskriminierung melden")
        #expect(german.format("footer.contact", "0511 616-0") == "Sprechzeiten: 0511 616-0")
        #expect(german["nav.report"] == Localiser(.german)["nav.report"])
        #expect(overrides.added.isEmpty)
    }

    @Test func anOverrideFromADirectory_withMetadataAsPrintTextsGivesIt_isAccepted() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealbox-l10n-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var english = try JSONSerialization.jsonObject(with: Data(try #require(CatalogueOverrides.exportJSON(tag: "en")).utf8)) as? [String: Any] ?? [:]
        english["landing.title"] = "Report discrimination to the Equality Office"
        try Self.json(english).write(to: directory.appendingPathComponent("EN.json"))
        try Data("ignored".utf8).write(to: directory.appendingPathComponent("README.txt"))
        let overrides = try CatalogueOverrides.load(directory: directory.path)
        #expect(overrides.strings["en"]?["landing.title"] == "Report discrimination to the Equality Office")
    }

    @Test func aCompleteNewLanguage_isAdded_withItsMetadata() throws {
        var texts = Self.completeTexts(name: "Italiano")
        texts["_language"] = ["name": "Italiano", "rtl": false, "html_lang": "it"]
        texts["_review"] = "Draft."
        texts["landing.title"] = "Segnalare una discriminazione"
        let overrides = try CatalogueLoader().loadOverrides([("it.json", Self.json(texts))], over: Self.shipped)
        #expect(overrides.added == [Language(tag: "it", nativeName: "Italiano")])
        #expect(overrides.strings["it"]?["landing.title"] == "Segnalare una discriminazione")
    }
}
