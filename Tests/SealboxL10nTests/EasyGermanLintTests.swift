// The rules of Leichte Sprache, checked on every text of the de-simple catalogue, so
// that new texts keep them (issue 12). What a machine can check:
//   - short sentences: at most 15 words;
//   - no abbreviations: no word of two or more capitals ("MB", "WCAG", "AGG"), none
//     of the usual dotted ones ("z. B.", "bzw.", "Art.");
//   - compounds are split with the Mediopunkt (Beratungs·team), never with a hyphen
//     (E-Mail is a word of its own);
//   - no subordinate clause (dass, wenn, weil, obwohl, ob, bevor, nachdem, falls), no
//     relative clause after a comma ("…, die …"), no Konjunktiv (würde, könnte, wäre,
//     hätte), no Präteritum or passive of the past (wurde, war, hatte, worden), no
//     Genitiv article (des, eines), no semicolon;
//   - the language shows one sentence per line.
// What it cannot (few negations, hard words explained at first use, plain words) is
// for the Prüfgruppe; the `_review` note says it has not yet checked.
import Foundation
import Testing
@testable import SealboxL10n

@Suite struct EasyGermanLintTests {
    static let texts = Catalogue.builtInStrings(for: .easyGerman)
    /// Keys that are formats, not sentences.
    static let formats: Set<String> = ["date.format", "number.decimal_separator", "number.group_separator"]
    static let maximumWords = 15
    static let forbiddenWords = ["dass", "wenn", "weil", "obwohl", "ob", "bevor", "nachdem", "falls", "sodass", "wodurch",
                                 "würde", "würden", "wäre", "wären", "hätte", "hätten", "könnte", "könnten",
                                 "wurde", "wurden", "worden", "war", "waren", "hatte", "hatten", "des", "eines"]
    static let dottedAbbreviations = ["z. B.", "z.B.", "d. h.", "u. a.", "bzw.", "usw.", "ca.", "Nr.", "Art.", "Abs.",
                                      "ggf.", "evtl.", "etc."]

    /// A relative clause or an indirect question after a comma: "…, die …", "…, an dem …", "…, was …".
    nonisolated(unsafe) static let relativeClause =
        try! Regex(", (?:an |in |mit |von |auf |für )?(?:der|die|das|dem|den|denen|deren|dessen|wo|was) ")

    static var checked: [(key: String, text: String)] {
        texts.filter { !formats.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init).filter { $0.contains(where: \.isLetter) || $0.contains(where: \.isNumber) }
    }

    @Test func everySentence_hasAtMostFifteenWords() {
        for (key, text) in Self.checked {
            for sentence in Localiser.sentences(text) {
                #expect(Self.words(sentence).count <= Self.maximumWords,
                        "de-simple \(key): \(Self.words(sentence).count) words in „\(sentence)“")
            }
        }
    }

    @Test func noText_usesAnAbbreviation() {
        for (key, text) in Self.checked {
            let capitals = text.split { !$0.isLetter }.filter { $0.count >= 2 && $0.allSatisfy(\.isUppercase) }
            #expect(capitals.isEmpty, "de-simple \(key) abbreviates: \(capitals)")
            for abbreviation in Self.dottedAbbreviations {
                #expect(!text.contains(abbreviation), "de-simple \(key) abbreviates: \(abbreviation)")
            }
        }
    }

    @Test func compounds_areSplitWithTheMediopunkt_notAHyphen() {
        for (key, text) in Self.checked {
            let hyphenated = Self.words(text).filter {
                let word = $0.trimmingCharacters(in: .punctuationCharacters.subtracting(CharacterSet(charactersIn: "-")))
                return word.contains("-") && !word.hasPrefix("E-Mail") && word.count > 1
            }
            #expect(hyphenated.isEmpty, "de-simple \(key) hyphenates: \(hyphenated); write Beratungs·team")
        }
        #expect(Self.texts["inbox.author.team"] == "Beratungs·team")
    }

    @Test func noText_usesAForbiddenConstruction() {
        for (key, text) in Self.checked {
            let lower = Self.words(text.lowercased()).map { $0.trimmingCharacters(in: .punctuationCharacters) }
            let found = Self.forbiddenWords.filter(lower.contains)
            #expect(found.isEmpty, "de-simple \(key) uses \(found): „\(text)“")
            #expect(text.firstMatch(of: Self.relativeClause) == nil,
                    "de-simple \(key) has a relative clause: „\(text)“")
            #expect(!text.contains(";"), "de-simple \(key) has a semicolon")
        }
    }

    @Test func theLint_findsWhatItLooksFor() {
        // The checks above, applied to texts that break each rule, so that a lint that
        // never fires cannot pass.
        #expect(Self.words("Eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn.").count > Self.maximumWords)
        #expect("Höchstens 10 MB.".split { !$0.isLetter }.contains { $0.count >= 2 && $0.allSatisfy(\.isUppercase) })
        #expect("Eine Datei, die zu groß ist.".firstMatch(of: Self.relativeClause) != nil)
        #expect(Self.forbiddenWords.contains("wurde") && Self.forbiddenWords.contains("dass"))
    }

    @Test func leichteSprache_showsOneSentencePerLine() {
        #expect(Language.easyGerman.sentenceLines)
        #expect(!Language.german.sentenceLines)
        let lines = Localiser(.easyGerman).lines("landing.intro", ["Stelle Musterstadt. Mit Punkt."])
        #expect(lines.count >= 4)
        #expect(lines.last == "Ihre Meldung geht an: Stelle Musterstadt. Mit Punkt..")
        #expect(Localiser(.german).lines("landing.intro", ["X"]).count == 1)
    }
}
