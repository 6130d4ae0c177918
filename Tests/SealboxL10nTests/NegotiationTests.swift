import Testing
@testable import SealboxL10n

/// Languages are chosen as documented.
@Suite struct NegotiationTests {
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
}
