import Foundation
import SealboxCore
import Testing

@Suite("Case references")
struct CaseReferenceTests {
    @Test("generated references are two groups of four from the alphabet")
    func generatedShape() {
        let alphabet = Set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        for _ in 0..<200 {
            let text = CaseReference.generate().text
            #expect(text.count == 9)
            #expect(Array(text)[4] == "-")
            #expect(text.replacingOccurrences(of: "-", with: "").allSatisfy { alphabet.contains($0) })
        }
    }

    @Test("parsing accepts lower case and a missing dash", arguments: ["7KQM-3XWP", "7kqm-3xwp", "7KQM3XWP", "7kQm3XwP"])
    func parsingIsLenient(_ text: String) throws {
        #expect(try CaseReference(parsing: text).text == "7KQM-3XWP")
    }

    @Test("parsing refuses other lengths, characters and separators",
          arguments: ["", "7KQM-3XW", "7KQM-3XWPP", "7KQM 3XWP", "7KQM-3XW0", "1KQM-3XWP", "OKQM-3XWP", "IKQM-3XWP",
                      "LKQM-3XWP", "7KQM--XWP", "7KQ-M3XWP", "7KQM–3XWP", "ＫKQM-3XWP"])
    func parsingRefuses(_ text: String) {
        #expect(throws: InvalidValue("case reference")) { try CaseReference(parsing: text) }
    }

    @Test("a reference round-trips through Codable as its text")
    func codable() throws {
        let ref = CaseReference.generate()
        let data = try JSONEncoder().encode([ref])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(ref.text)\"]")
        #expect(try JSONDecoder().decode([CaseReference].self, from: data) == [ref])
        #expect(ref.description == ref.text)
    }
}
