// Stale translations (CatalogueReview), the loader's `_source_hashes`, counted words and
// sentence lines.
import Foundation
import Testing
@testable import SealboxL10n

@Suite struct CatalogueReviewTests {
    private func set(_ files: [String: String]) throws -> CatalogueSet {
        try CatalogueLoader().loadShipped(files.sorted { $0.key < $1.key }.map { ($0.key, Data($0.value.utf8)) })
    }

    @Test func theHash_isFNV1a64_inSixteenHexDigits() {
        #expect(CatalogueReview.hash("") == "cbf29ce484222325")
        #expect(CatalogueReview.hash("a") == "af63dc4c8601ec8c")
        #expect(CatalogueReview.isHash(CatalogueReview.hash("Meldung schreiben")))
    }

    @Test func everyShippedTranslation_recordsTheSourceItWasTranslatedFrom() {
        let stale = CatalogueReview.staleKeys(in: Catalogue.shippedSet)
        #expect(stale.isEmpty, "stale texts (sealboxd check-texts): \(stale.mapValues { $0.prefix(5) })")
    }

    @Test func aChangedGermanOrEnglishSource_makesTheKeyStaleInThatLanguageOnly() throws {
        let hashDE = CatalogueReview.hash("Hallo")
        let hashTR = CatalogueReview.hash("Hallo\u{1F}Hello")
        func files(german: String, english: String) -> [String: String] {
            [
                "de.json": #"{"_language": {"name": "Deutsch"}, "a": "\#(german)"}"#,
                "en.json": #"{"_language": {"name": "English"}, "_source_hashes": {"a": "\#(hashDE)"}, "a": "\#(english)"}"#,
                "tr.json": #"{"_language": {"name": "Türkçe"}, "_source_hashes": {"a": "\#(hashTR)"}, "a": "Merhaba"}"#,
            ]
        }
        #expect(CatalogueReview.staleKeys(in: try set(files(german: "Hallo", english: "Hello"))).isEmpty)
        #expect(CatalogueReview.staleKeys(in: try set(files(german: "Hallo", english: "Hi"))) == ["tr": ["a"]])
        #expect(CatalogueReview.staleKeys(in: try set(files(german: "Guten Tag", english: "Hello"))) == ["en": ["a"], "tr": ["a"]])
    }

    @Test func malformedSourceHashes_areRefusedNamingFileAndKey() {
        #expect(throws: CatalogueError(file: "en.json", key: "_source_hashes.a", .badSourceHashes)) {
            _ = try CatalogueFile.parse(Data(#"{"_source_hashes": {"a": "nope"}, "a": "x"}"#.utf8), fileName: "en.json")
        }
        #expect(throws: CatalogueError(file: "en.json", key: "_source_hashes", .badSourceHashes)) {
            _ = try CatalogueFile.parse(Data(#"{"_source_hashes": ["a"], "a": "x"}"#.utf8), fileName: "en.json")
        }
    }

    @Test func anOfficeOverride_withoutHashes_stillLoads() throws {
        let overrides = try CatalogueLoader().loadOverrides(
            [("de.json", Data(#"{"landing.title": "Melden"}"#.utf8))], over: Catalogue.shippedSet)
        #expect(overrides.strings["de"]?["landing.title"] == "Melden")
    }

    @Test(arguments: [
        ("de", 1, "1 Tag"), ("de", 7, "7 Tage"), ("en", 1, "1 day"), ("ru", 1, "1 день"), ("ru", 3, "3 дня"),
        ("ru", 7, "7 дней"), ("ru", 11, "11 дней"), ("ru", 21, "21 день"), ("uk", 2, "2 дні"), ("pl", 22, "22 dni"),
        ("ar", 7, "7 أيام"), ("ar", 30, "30 يومًا"), ("tr", 7, "7 gün"), ("de-simple", 7, "7 Tagen"),
    ])
    func countedWords_followTheLanguagesPluralRule(tag: String, count: Int, expected: String) throws {
        let language = try #require(Language.named(tag))
        #expect(Localiser(language).counted(count, "period.days") == expected)
    }

    @Test func pluralCategories_followCLDR() {
        let ru = Localiser(.russian), pl = Localiser(.polish), ar = Localiser(.arabic)
        #expect([1, 2, 5, 11, 12, 21, 22, 25, 111].map(ru.pluralCategory) == ["one", "few", "many", "many", "many", "one", "few", "many", "many"])
        #expect([1, 2, 5, 12, 21, 22].map(pl.pluralCategory) == ["one", "few", "many", "many", "many", "few"])
        #expect([0, 1, 2, 3, 10, 11, 99, 100, 103].map(ar.pluralCategory) == ["other", "one", "two", "few", "few", "many", "many", "other", "few"])
    }

    @Test func sentences_areCutAfterTheirEnd_notInsideNumbersOrPlaceholders() {
        #expect(Localiser.sentences("Eins. Zwei? Drei! {0} vier.") == ["Eins.", "Zwei?", "Drei!", "{0} vier."])
        #expect(Localiser.sentences("Am 1. Januar 2026. Dann.") == ["Am 1. Januar 2026.", "Dann."])
        #expect(Localiser.sentences("Nur einer") == ["Nur einer"])
    }
}
