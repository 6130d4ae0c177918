import Testing
@testable import SealboxServer

/// The catalogues are complete and consistent; languages are chosen as documented.
@Suite struct LocalisationTests {
    // MARK: Catalogues

    @Test(arguments: Language.all)
    func catalogue_hasEveryKeyAnyCatalogueDefines(language: Language) {
        let strings = Catalogue.strings(for: language)
        let missing = Catalogue.allKeys.subtracting(strings.keys).sorted()
        #expect(missing.isEmpty, "\(language.tag) lacks: \(missing)")
    }

    @Test(arguments: Language.all)
    func catalogue_hasEveryKeyTheCodeBuildsAtRunTime(language: Language) {
        let strings = Catalogue.strings(for: language)
        let missing = Catalogue.derivedKeys.filter { strings[$0] == nil }
        #expect(missing.isEmpty, "\(language.tag) lacks: \(missing)")
    }

    @Test(arguments: Language.all)
    func catalogue_valuesAreNonEmptyPlainText(language: Language) {
        for (key, value) in Catalogue.strings(for: language) {
            #expect(!value.allSatisfy(\.isWhitespace) || key == "number.group_separator", "\(language.tag) \(key) is empty")
            #expect(!value.contains("<") && !value.contains(">"), "\(language.tag) \(key) contains markup")
        }
    }

    @Test func catalogues_useTheSamePlaceholdersForEveryKey() {
        let reference = Catalogue.strings(for: .default)
        for language in Language.all where language != .default {
            let strings = Catalogue.strings(for: language)
            for (key, value) in reference {
                guard let other = strings[key] else { continue }
                #expect(Localiser.placeholders(in: value) == Localiser.placeholders(in: other),
                        "placeholders of \(key) differ between \(Language.default.tag) and \(language.tag)")
            }
        }
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

    @Test func languages_haveUniqueTagsAndNativeNames() {
        #expect(Set(Language.all.map(\.tag)).count == Language.all.count)
        #expect(Language.german.nativeName == "Deutsch")
        #expect(Language.english.nativeName == "English")
        #expect(Language.default == .german)
    }

    // MARK: Localiser

    @Test func localiser_missingKey_isVisibleNotSilent() {
        #expect(Localiser(.english)["no.such.key"] == "⟦no.such.key⟧")
    }

    @Test func format_replacesNumberedPlaceholdersOnce() {
        #expect(Localiser.substitute("{1} and {0}", ["a", "b"]) == "b and a")
        #expect(Localiser.substitute("{0}", ["{1}", "x"]) == "{1}")
        #expect(Localiser.substitute("{x} {5} {", ["a"]) == "{x} {5} {")
        #expect(Localiser(.english).format("footer.contact", "0511 1234") == "Contact: 0511 1234")
    }

    @Test func day_isWrittenInTheReadersForm() {
        #expect(Localiser(.german).day("2026-11-24") == "24. November 2026")
        #expect(Localiser(.english).day("2026-11-24") == "24 November 2026")
        #expect(Localiser(.german).day("2026-03-01") == "1. März 2026")
    }

    @Test(arguments: ["", "2026-13-01", "2026-1-1", "26-11-24", "２０２６-11-24", "<b>"])
    func day_notADay_isReturnedUnchanged(input: String) {
        #expect(Localiser(.english).day(input) == input)
    }

    @Test func numbersAndSizes_useTheLanguagesSeparators() {
        #expect(Localiser(.german).number(10000) == "10.000")
        #expect(Localiser(.english).number(1234567) == "1,234,567")
        #expect(Localiser(.english).number(999) == "999")
        #expect(Localiser(.german).size(10 * 1024 * 1024) == "10 MB")
        #expect(Localiser(.german).size(1536 * 1024) == "1,5 MB")
        #expect(Localiser(.english).size(1536 * 1024) == "1.5 MB")
        #expect(Localiser(.english).size(500 * 1024) == "500 KB")
    }

    // MARK: Negotiation

    @Test func negotiation_knownQueryTag_wins() {
        let choice = LanguageNegotiation.choose(query: "en", acceptLanguage: "de-DE,de;q=0.9")
        #expect(choice.language == .english && choice.fromQuery)
        #expect(LanguageNegotiation.choose(query: "EN", acceptLanguage: nil).language == .english)
    }

    @Test func negotiation_unknownQueryTag_fallsBackToAcceptLanguage() {
        let choice = LanguageNegotiation.choose(query: "xx", acceptLanguage: "en-GB")
        #expect(choice.language == .english && !choice.fromQuery)
        let injected = LanguageNegotiation.choose(query: "en\"><script>", acceptLanguage: nil)
        #expect(injected.language == .default && !injected.fromQuery)
    }

    @Test func negotiation_regionalTag_matchesItsLanguage() {
        #expect(LanguageNegotiation.choose(query: nil, acceptLanguage: "de-AT").language == .german)
        #expect(LanguageNegotiation.choose(query: nil, acceptLanguage: "en-US,en;q=0.5").language == .english)
    }

    @Test func negotiation_highestWeightWins_notTheFirstListed() {
        let choice = LanguageNegotiation.choose(query: nil, acceptLanguage: "de;q=0.3, en;q=0.8")
        #expect(choice.language == .english && !choice.fromQuery)
    }

    @Test func negotiation_unofferedLanguagesAreSkipped() {
        #expect(LanguageNegotiation.choose(query: nil, acceptLanguage: "ja-JP, ja;q=0.9, en;q=0.5").language == .english)
    }

    @Test func negotiation_findsEveryOfferedLanguage_andArabicAndPersianAreRightToLeft() {
        for (header, tag) in [("tr-TR,tr;q=0.9", "tr"), ("ar-SY", "ar"), ("uk", "uk"), ("ru-RU", "ru"), ("pl-PL", "pl"), ("fa-IR", "fa")] {
            #expect(LanguageNegotiation.choose(query: nil, acceptLanguage: header).language.tag == tag)
        }
        #expect(Language.all.count == 9)
        #expect(Language.named("de-simple")?.htmlLang == "de")
        #expect(LanguageNegotiation.choose(query: nil, acceptLanguage: "de-DE").language == .german)
        #expect(Language.all.filter(\.isRightToLeft).map(\.tag) == ["ar", "fa"])
    }

    @Test func negotiation_zeroWeight_excludesALanguage() {
        #expect(LanguageNegotiation.choose(query: nil, acceptLanguage: "en;q=0, fr").language == .default)
    }

    @Test(arguments: [nil, "", "*", ",,;;", "q=1", "fr-CH, fr;q=0.9", String(repeating: "x,", count: 10000)])
    func negotiation_nothingUsable_givesTheDefault(header: String?) {
        let choice = LanguageNegotiation.choose(query: nil, acceptLanguage: header)
        #expect(choice.language == .default && !choice.fromQuery)
    }

    // MARK: Every page in every language

    @Test(arguments: Language.all)
    func everyPage_inEveryLanguage_hasNoMissingString(language: Language) {
        for page in PageSamples.all(language: language) {
            #expect(!page.html.contains("⟦"), "\(language.tag) \(page.name) uses a missing key")
        }
        let receipt = Pages.receiptText(Localiser(language), receipt: PageSamples.receipt)
        #expect(!receipt.contains("⟦"))
    }
}
