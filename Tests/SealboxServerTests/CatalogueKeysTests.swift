import SealboxL10n
import Testing
@testable import SealboxServer

/// The keys the server builds at run time exist in every catalogue, and no page shows a missing one.
@Suite struct CatalogueKeysTests {
    @Test func shippedCatalogues_loadWithTheKeysTheServerBuilds() throws {
        let shipped = try Catalogue.loadShipped(requiredKeys: Catalogue.derivedKeys)
        #expect(shipped.languages == Language.builtIn)
    }

    @Test(arguments: Language.all)
    func catalogue_hasEveryKeyTheCodeBuildsAtRunTime(language: Language) {
        let strings = Catalogue.strings(for: language)
        let missing = Catalogue.derivedKeys.filter { strings[$0] == nil }
        #expect(missing.isEmpty, "\(language.tag) lacks: \(missing)")
    }

    @Test func validationMessageKeys_theServerUsesExistInEveryLanguage() {
        let keys = ["error.text_missing", "error.text_too_long", "error.field_too_long", "error.invalid_utf8",
                    "error.invalid_choice", "error.too_many_files", "error.file_too_large", "error.body_too_large",
                    "error.unsupported_media_type", "error.malformed_body", "error.busy", "error.not_found",
                    "error.method_not_allowed", "error.internal", "error.unauthorized"]
        for language in Language.all {
            for key in keys { #expect(Catalogue.strings(for: language)[key] != nil, "\(language.tag) \(key)") }
        }
    }

    @Test(arguments: Language.all)
    func everyPage_inEveryLanguage_hasNoMissingString(language: Language) {
        for page in PageSamples.all(language: language) {
            #expect(!page.html.contains("⟦"), "\(language.tag) \(page.name) uses a missing key")
        }
        let receipt = Pages.receiptText(Localiser(language), receipt: PageSamples.receipt)
        #expect(!receipt.contains("⟦"))
    }
}
