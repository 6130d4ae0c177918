import Foundation
import SealboxCore
import Testing
@testable import SealboxDesk

@Suite struct DeskSearchIndexTests {
    static let first = try! CaseReference(parsing: "7KQM-3XWP")
    static let second = try! CaseReference(parsing: "9HTR-2MVB")
    static let big = 1 << 20

    @Test func words_areCaseFoldedAndDiacriticsFolded() {
        #expect(DeskSearchIndex.words(in: "Frau MÜLLER, Straße 5; café-Besuch!") == ["frau", "muller", "straße", "5", "cafe", "besuch"]
                || DeskSearchIndex.words(in: "Frau MÜLLER, Straße 5; café-Besuch!") == ["frau", "muller", "strasse", "5", "cafe", "besuch"])
        #expect(DeskSearchIndex.words(in: "  ,;  ").isEmpty)
    }

    @Test func search_withoutDiacritics_findsTheWordWithThem() {
        var index = DeskSearchIndex(budgetBytes: Self.big)
        index.add("Der Vermieter Herr Müller lehnte ab.", of: Self.first)
        #expect(index.search("Muller").keys.sorted { $0.text < $1.text } == [Self.first])
        #expect(index.search("müller")[Self.first] == ["muller"])
        #expect(index.search("MUELLER").isEmpty)
    }

    @Test func search_byPrefix_findsEveryWordStartingWithIt() {
        var index = DeskSearchIndex(budgetBytes: Self.big)
        index.add("Wohnungsbesichtigung abgesagt", of: Self.first)
        index.add("Die Wohnung wurde vergeben", of: Self.second)
        let found = index.search("wohn")
        #expect(Set(found.keys) == [Self.first, Self.second])
        #expect(found[Self.first] == ["wohnungsbesichtigung"])
        #expect(found[Self.second] == ["wohnung"])
        #expect(index.search("ohnung").isEmpty)
    }

    @Test func search_ofSeveralWords_needsAllOfThemInOneCase() {
        var index = DeskSearchIndex(budgetBytes: Self.big)
        index.add("Arbeitgeber kündigte", of: Self.first)
        index.add("Vermieter kündigte", of: Self.second)
        index.add("Notiz: Arbeitgeber angerufen", of: Self.second)
        #expect(Set(index.search("kündigte arbeitgeber").keys) == [Self.first, Self.second])
        #expect(Set(index.search("vermieter arbeit").keys) == [Self.second])
        #expect(index.search("vermieter arbeit")[Self.second] == ["vermieter", "arbeitgeber"])
        #expect(index.search("vermieter schule").isEmpty)
        #expect(index.search("").isEmpty)
        #expect(index.search(" ,. ").isEmpty)
    }

    @Test func index_overItsBudget_leavesTextOutAndSaysItIsIncomplete() {
        var index = DeskSearchIndex(budgetBytes: 1_000)
        let fitted = index.add("kurz", of: Self.first)
        #expect(fitted)
        #expect(index.isComplete)
        let many = (0..<100).map { "wort\($0)" }.joined(separator: " ")
        let fittedMany = index.add(many, of: Self.second)
        #expect(!fittedMany)
        #expect(!index.isComplete)
        #expect(index.estimatedBytes <= 1_000)
        #expect(index.search("kurz").keys.contains(Self.first))
        #expect(index.search("wort99").isEmpty || index.search("wort0").isEmpty)
    }

    @Test func index_withinItsBudget_isComplete() {
        var index = DeskSearchIndex(budgetBytes: Self.big)
        for number in 0..<50 { index.add("eintrag \(number) text", of: number % 2 == 0 ? Self.first : Self.second) }
        #expect(index.isComplete)
        #expect(Set(index.search("eintrag").keys) == [Self.first, Self.second])
        #expect(index.search("49").keys.sorted { $0.text < $1.text } == [Self.second])
    }
}
