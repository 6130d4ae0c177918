import Foundation
import SealboxCore
import Testing

@Suite struct CodingSchemeTests {
    /// A scheme file with the six dimensions, each with one value; `edit` changes its JSON object first.
    static func schemeFile(_ edit: (inout [String: Any]) -> Void = { _ in }) throws -> [UInt8] {
        let labels = ["de": "Etwas", "en": "Something"]
        var object: [String: Any] = [
            "scheme": "test-scheme",
            "title": labels,
            "dimensions": CodingScheme.Dimension.allCases.map { dimension in
                ["id": dimension.rawValue, "multiple": dimension.multiple, "label": labels,
                 "values": [["id": "first", "label": labels]]] as [String: Any]
            },
        ]
        edit(&object)
        return Array(try JSONSerialization.data(withJSONObject: object))
    }

    static func dimensions(_ object: [String: Any]) -> [[String: Any]] { object["dimensions"] as! [[String: Any]] }

    static func refusal(_ base: [UInt8], override: [UInt8]? = nil) -> String? {
        do {
            _ = try CodingScheme.load(base: base, override: override)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func theBuiltInSchemeLoadsWithGermanAndEnglishLabelsOnEveryValue() throws {
        let scheme = try CodingScheme.load()
        #expect(scheme.id == "advd-dezim-ads-2026")
        for dimension in CodingScheme.Dimension.allCases {
            let values = try #require(scheme.values[dimension])
            #expect(!values.isEmpty)
            for value in values {
                #expect(value.labels["de"]?.isEmpty == false && value.labels["en"]?.isEmpty == false, "\(value.id)")
            }
        }
        #expect(scheme.values[.form]?.map(\.id).prefix(5) == ["direct", "indirect", "harassment", "sexual-harassment", "instruction"])
        #expect(scheme.values[.level]?.map(\.id) == ["individual", "institutional", "structural"])
        let interventions = Set((scheme.values[.interventions] ?? []).map(\.id))
        #expect(interventions.isSuperset(of: [
            "counselling", "complaint-letter", "mediation", "accompaniment", "testing", "legal-action", "referral", "none"]))
        #expect(scheme.value("racism", of: .grounds)?.label("de") == "Rassismus / ethnische Herkunft")
    }

    @Test func aValueIdThatRepeatsInItsDimensionIsRefused() throws {
        let file = try Self.schemeFile { object in
            var dimensions = Self.dimensions(object)
            dimensions[0]["values"] = [["id": "twice", "label": ["de": "a", "en": "a"]],
                                       ["id": "twice", "label": ["de": "b", "en": "b"]]]
            object["dimensions"] = dimensions
        }
        #expect(Self.refusal(file) == "the value \"twice\" appears twice in \"grounds\"")
    }

    @Test func aValueWithoutAnEnglishLabelIsRefused() throws {
        let file = try Self.schemeFile { object in
            var dimensions = Self.dimensions(object)
            dimensions[2]["values"] = [["id": "direct", "label": ["de": "Unmittelbar"]]]
            object["dimensions"] = dimensions
        }
        #expect(Self.refusal(file) == "the value \"direct\" of \"form\" has no English label (\"en\")")
    }

    @Test func anEmptyGermanLabelIsRefused() throws {
        let file = try Self.schemeFile { object in
            var dimensions = Self.dimensions(object)
            dimensions[1]["label"] = ["de": "  ", "en": "Area"]
            object["dimensions"] = dimensions
        }
        #expect(Self.refusal(file) == "the dimension \"area\" has no German label (\"de\")")
    }

    @Test func aMissingDimensionIsRefused() throws {
        let file = try Self.schemeFile { object in object["dimensions"] = Array(Self.dimensions(object).dropLast()) }
        #expect(Self.refusal(file) == "the coding scheme lacks the dimension \"outcome\"")
    }

    @Test func anUnknownDimensionIsRefused() throws {
        let file = try Self.schemeFile { object in
            var dimensions = Self.dimensions(object)
            dimensions[0]["id"] = "mood"
            object["dimensions"] = dimensions
        }
        #expect(Self.refusal(file) == "the coding scheme has an unknown dimension \"mood\"")
    }

    @Test func anIdWithCapitalsOrSpacesIsRefused() throws {
        let file = try Self.schemeFile { object in
            var dimensions = Self.dimensions(object)
            dimensions[3]["values"] = [["id": "Not An Id", "label": ["de": "a", "en": "a"]]]
            object["dimensions"] = dimensions
        }
        #expect(Self.refusal(file)?.hasPrefix("a value of \"level\" \"Not An Id\" is not an id") == true)
    }

    @Test func aFileThatIsNotJSONIsRefusedWithoutTrapping() {
        #expect(Self.refusal(Array("{\"scheme\": ".utf8))?.hasPrefix("the coding scheme is not a JSON object") == true)
    }

    @Test func anOverrideAddsValuesAndMayNameTheScheme() throws {
        let override = Array(#"{"scheme": "office-2027", "add": {"grounds": [{"id": "caste", "label": {"de": "Kaste", "en": "Caste"}}]}}"#.utf8)
        let scheme = try CodingScheme.load(override: override)
        #expect(scheme.id == "office-2027")
        #expect(scheme.value("caste", of: .grounds)?.label("en") == "Caste")
        #expect(scheme.value("racism", of: .grounds) != nil)
    }

    @Test func anOverrideCannotRedefineAValue() throws {
        let override = Array(#"{"add": {"grounds": [{"id": "racism", "label": {"de": "x", "en": "x"}}]}}"#.utf8)
        #expect(Self.refusal(PackageResourcesProbe.builtIn, override: override) == "the value \"racism\" appears twice in \"grounds\"")
    }

    @Test func anOverrideWithALabelMissingIsRefused() throws {
        let override = Array(#"{"add": {"outcome": [{"id": "apology", "label": {"en": "Apology"}}]}}"#.utf8)
        #expect(Self.refusal(PackageResourcesProbe.builtIn, override: override)
            == "the value \"apology\" of \"outcome\" has no German label (\"de\")")
    }

    @Test func anOverrideNamingAnUnknownDimensionIsRefused() throws {
        let override = Array(#"{"add": {"moods": []}}"#.utf8)
        #expect(Self.refusal(PackageResourcesProbe.builtIn, override: override)
            == "the coding scheme override names an unknown dimension \"moods\"")
    }

    @Test func aCodingWithAnUnknownGroundIsRefusedNamingTheKnownOnes() throws {
        let scheme = try CodingScheme.load()
        #expect(throws: CodingSchemeError.self) { try scheme.check(CodingChoice(grounds: ["racism", "astrology"])) }
        do {
            try scheme.check(CodingChoice(grounds: ["astrology"]))
        } catch {
            #expect(error.message.hasPrefix("\"astrology\" is not a value of grounds in the coding scheme advd-dezim-ads-2026 (known: racism,"))
        }
    }

    @Test func noInterventionCannotBeCombinedWithAnother() throws {
        let scheme = try CodingScheme.load()
        #expect(throws: CodingSchemeError("\"none\" cannot be combined with other values of interventions")) {
            try scheme.check(CodingChoice(interventions: ["none", "mediation"]))
        }
        try scheme.check(CodingChoice(grounds: ["racism", "religion"], area: "housing", form: "direct", level: "institutional",
                                      interventions: ["none"], outcome: "ongoing"))
    }

    @Test func aValueGivenTwiceIsRefused() throws {
        let scheme = try CodingScheme.load()
        #expect(throws: CodingSchemeError("a value of grounds is given twice")) {
            try scheme.check(CodingChoice(grounds: ["age", "age"]))
        }
    }

    @Test func theReportersAnswersMapToSchemeValues() throws {
        let scheme = try CodingScheme.load()
        let suggestion = scheme.suggestion(reportGrounds: ["ethnic-origin", "gender", "unknown"], reportArea: "authorities")
        #expect(suggestion.grounds == ["racism", "sex-gender"])
        #expect(suggestion.area == "public-authorities")
    }
}

/// The built-in scheme's bytes, read from the source tree (the loader's own copy is internal).
enum PackageResourcesProbe {
    static let builtIn: [UInt8] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SealboxCore/Resources/coding-scheme.json")
        return Array((try? Data(contentsOf: url)) ?? Data())
    }()
}
