import Foundation
import Testing
@testable import SealboxL10n

/// The shipped catalogue files load through the one loader and are complete and consistent.
@Suite struct CatalogueTests {
    @Test func everyShippedCatalogue_loadsThroughTheLoader() throws {
        let shipped = try Catalogue.loadShipped()
        #expect(shipped.languages.map(\.tag) == ["de", "de-simple", "en", "tr", "ar", "uk", "ru", "pl", "fa"])
        #expect(shipped.languages == Language.builtIn)
    }

    @Test(arguments: Language.builtIn)
    func shippedCatalogue_hasEveryKeyAnyCatalogueDefines(language: Language) {
        let strings = Catalogue.strings(for: language)
        let missing = Catalogue.allKeys.subtracting(strings.keys).sorted()
        #expect(missing.isEmpty, "\(language.tag) lacks: \(missing)")
    }

    @Test(arguments: Language.builtIn)
    func shippedCatalogue_valuesAreNonEmptyPlainText(language: Language) {
        for (key, value) in Catalogue.strings(for: language) {
            #expect(!value.allSatisfy(\.isWhitespace) || key == "number.group_separator", "\(language.tag) \(key) is empty")
            #expect(!value.contains("<") && !value.contains(">"), "\(language.tag) \(key) contains markup")
        }
    }

    @Test(arguments: Language.builtIn)
    func shippedCatalogue_statesItsReview(language: Language) {
        let review = Catalogue.review(of: language) ?? ""
        #expect(review.contains("review"), "\(language.tag).json has no \"_review\" note")
    }

    @Test func shippedCatalogues_useTheSamePlaceholdersForEveryKey() {
        let reference = Catalogue.strings(for: .default)
        for language in Language.builtIn where language != .default {
            let strings = Catalogue.strings(for: language)
            for (key, value) in reference {
                guard let other = strings[key] else { continue }
                #expect(Localiser.placeholders(in: value) == Localiser.placeholders(in: other),
                        "placeholders of \(key) differ between \(Language.default.tag) and \(language.tag)")
            }
        }
    }

    @Test func languages_comeFromTheFiles_withUniqueTagsAndNativeNames() {
        #expect(Set(Language.builtIn.map(\.tag)).count == Language.builtIn.count)
        #expect(Language.german.nativeName == "Deutsch")
        #expect(Language.english.nativeName == "English")
        #expect(Language.easyGerman.htmlLang == "de")
        #expect(Language.builtIn.filter(\.isRightToLeft).map(\.tag) == ["ar", "fa"])
        #expect(Language.default == .german)
    }

    @Test(arguments: Language.builtIn)
    func printTexts_givesTheShippedFile_whichParsesToTheSameTexts(language: Language) throws {
        let exported = try #require(CatalogueOverrides.exportJSON(tag: language.tag))
        let file = try CatalogueFile.parse(Data(exported.utf8), fileName: "\(language.tag).json")
        #expect(file.texts == Catalogue.builtInStrings(for: language))
        #expect(file.language == language)
        #expect(CatalogueOverrides.exportJSON(tag: "xx") == nil)
    }
}
