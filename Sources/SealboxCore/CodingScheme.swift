// The coding scheme of case work (PROTOCOL §3.4, docs/design/TEAM.md §7): data, not code.
// The built-in scheme is Resources/coding-scheme.json (German and English labels,
// following the advd / DeZIM-ADS minimum standard); an office may add values through an
// override file of the form {"scheme": "<new id>" (optional), "add": {"<dimension>": [values]}}.
//
// Rules this file enforces: one loader for both files; the six dimensions and nothing
// else; ids of 1 to 40 characters a-z, 0-9 and "-", unique within their dimension; a
// German and an English label on every dimension and value; an override only adds.
import Foundation

/// The values a coding may use, with their labels.
public struct CodingScheme: Sendable, Equatable {
    /// The six dimensions of a coding, in the order they are shown.
    public enum Dimension: String, Sendable, CaseIterable {
        case grounds, area, form, level, interventions, outcome

        /// Whether a coding may name several values of this dimension.
        public var multiple: Bool { self == .grounds || self == .interventions }
    }

    /// One value of a dimension.
    public struct Value: Sendable, Equatable {
        public let id: String
        /// The label by language (`de`, `en`).
        public let labels: [String: String]
        /// The report form's answers (PROTOCOL §3.2) this value corresponds to.
        public let reportValues: [String]
        /// A value that may not be combined with others (an intervention of "none").
        public let exclusive: Bool

        /// The label in `language`, else the English one.
        public func label(_ language: String) -> String { labels[language] ?? labels["en"] ?? id }
    }

    /// The languages every label must be given in.
    public static let languages = ["de", "en"]

    /// The scheme id that codings made with it carry.
    public let id: String
    public let titles: [String: String]
    public let dimensionLabels: [Dimension: [String: String]]
    public let values: [Dimension: [Value]]

    /// The value `id` of `dimension`, if the scheme has it.
    public func value(_ id: String, of dimension: Dimension) -> Value? {
        values[dimension]?.first { $0.id == id }
    }

    /// The built-in scheme, with the office's override (the bytes of its file) when given.
    public static func load(override: [UInt8]? = nil) throws(CodingSchemeError) -> CodingScheme {
        try load(base: PackageResources.coding_scheme_json, override: override)
    }

    /// Parses and checks `base`, then adds the values of `override`.
    public static func load(base: [UInt8], override: [UInt8]?) throws(CodingSchemeError) -> CodingScheme {
        var scheme = try parse(base)
        if let override { try scheme.add(override) }
        return scheme
    }

    /// The scheme's values that correspond to the reporter's answers on the report form,
    /// as a starting point for a coding.
    public func suggestion(reportGrounds: [String], reportArea: String?) -> (grounds: [String], area: String?) {
        let grounds = (values[.grounds] ?? []).filter { value in value.reportValues.contains { reportGrounds.contains($0) } }
        let area = reportArea.flatMap { answer in (values[.area] ?? []).first { $0.reportValues.contains(answer) } }
        return (grounds.map(\.id), area?.id)
    }
}

/// Why a scheme file, an override or a coding was refused; the message names the place.
public struct CodingSchemeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

// MARK: - The files

private struct SchemeFile: Decodable {
    let scheme: String
    let title: [String: String]
    let dimensions: [DimensionFile]
}

private struct DimensionFile: Decodable {
    let id: String
    let multiple: Bool
    let label: [String: String]
    let values: [ValueFile]
}

private struct ValueFile: Decodable {
    let id: String
    let label: [String: String]
    let report: [String]?
    let exclusive: Bool?
}

private struct OverrideFile: Decodable {
    let scheme: String?
    let add: [String: [ValueFile]]
}

extension CodingScheme {
    static func parse(_ bytes: [UInt8]) throws(CodingSchemeError) -> CodingScheme {
        let file: SchemeFile
        do {
            file = try JSONDecoder().decode(SchemeFile.self, from: Data(bytes))
        } catch {
            throw CodingSchemeError("the coding scheme is not a JSON object of the documented form (\(Self.reason(error)))")
        }
        try Self.checkID(file.scheme, what: "the scheme id")
        try Self.checkLabels(file.title, what: "the scheme's title")
        var values: [Dimension: [Value]] = [:]
        var labels: [Dimension: [String: String]] = [:]
        for entry in file.dimensions {
            guard let dimension = Dimension(rawValue: entry.id) else {
                throw CodingSchemeError("the coding scheme has an unknown dimension \"\(Self.shown(entry.id))\"")
            }
            guard values[dimension] == nil else {
                throw CodingSchemeError("the coding scheme lists the dimension \"\(entry.id)\" twice")
            }
            guard entry.multiple == dimension.multiple else {
                throw CodingSchemeError("the dimension \"\(entry.id)\" must have \"multiple\": \(dimension.multiple)")
            }
            try Self.checkLabels(entry.label, what: "the dimension \"\(entry.id)\"")
            guard !entry.values.isEmpty else { throw CodingSchemeError("the dimension \"\(entry.id)\" has no values") }
            labels[dimension] = entry.label
            values[dimension] = []
            for value in entry.values { try Self.append(value, to: dimension, in: &values) }
        }
        for dimension in Dimension.allCases where values[dimension] == nil {
            throw CodingSchemeError("the coding scheme lacks the dimension \"\(dimension.rawValue)\"")
        }
        return CodingScheme(id: file.scheme, titles: file.title, dimensionLabels: labels, values: values)
    }

    mutating func add(_ bytes: [UInt8]) throws(CodingSchemeError) {
        let file: OverrideFile
        do {
            file = try JSONDecoder().decode(OverrideFile.self, from: Data(bytes))
        } catch {
            throw CodingSchemeError("the coding scheme override is not a JSON object {\"add\": {…}} (\(Self.reason(error)))")
        }
        var values = self.values
        for (name, added) in file.add.sorted(by: { $0.key < $1.key }) {
            guard let dimension = Dimension(rawValue: name) else {
                throw CodingSchemeError("the coding scheme override names an unknown dimension \"\(Self.shown(name))\"")
            }
            for value in added { try Self.append(value, to: dimension, in: &values) }
        }
        var id = self.id
        if let scheme = file.scheme {
            try Self.checkID(scheme, what: "the override's scheme id")
            id = scheme
        }
        self = CodingScheme(id: id, titles: titles, dimensionLabels: dimensionLabels, values: values)
    }

    private static func append(_ value: ValueFile, to dimension: Dimension,
                               in values: inout [Dimension: [Value]]) throws(CodingSchemeError) {
        try checkID(value.id, what: "a value of \"\(dimension.rawValue)\"")
        guard !(values[dimension] ?? []).contains(where: { $0.id == value.id }) else {
            throw CodingSchemeError("the value \"\(value.id)\" appears twice in \"\(dimension.rawValue)\"")
        }
        try checkLabels(value.label, what: "the value \"\(value.id)\" of \"\(dimension.rawValue)\"")
        values[dimension, default: []].append(
            Value(id: value.id, labels: value.label, reportValues: value.report ?? [], exclusive: value.exclusive ?? false))
    }

    private static func checkID(_ id: String, what: String) throws(CodingSchemeError) {
        let allowed = id.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
        guard (1...40).contains(id.utf8.count), allowed else {
            throw CodingSchemeError("\(what) \"\(shown(id))\" is not an id (1 to 40 characters a-z, 0-9, -)")
        }
    }

    private static func checkLabels(_ labels: [String: String], what: String) throws(CodingSchemeError) {
        for language in languages {
            guard let label = labels[language], !label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CodingSchemeError("\(what) has no \(language == "de" ? "German" : "English") label (\"\(language)\")")
            }
        }
    }

    static func shown(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(40).map(Character.init))
    }

    private static func reason(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "not JSON" }
        switch decoding {
        case .keyNotFound(let key, _): return "\"\(key.stringValue)\" is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "not JSON"
        }
    }
}

// MARK: - Checking a coding

/// What a counsellor chose for a coding, before it is checked against a scheme.
public struct CodingChoice: Sendable, Equatable {
    public var grounds: [String]
    public var area: String?
    public var form: String?
    public var level: String?
    public var interventions: [String]
    public var outcome: String?

    public init(grounds: [String] = [], area: String? = nil, form: String? = nil, level: String? = nil,
                interventions: [String] = [], outcome: String? = nil) {
        self.grounds = grounds
        self.area = area
        self.form = form
        self.level = level
        self.interventions = interventions
        self.outcome = outcome
    }
}

extension CodingScheme {
    /// Refuses a value the scheme does not have, a value given twice, and an exclusive
    /// value combined with another; the message names the dimension and the value.
    public func check(_ choice: CodingChoice) throws(CodingSchemeError) {
        let chosen: [(Dimension, [String])] = [
            (.grounds, choice.grounds), (.area, choice.area.map { [$0] } ?? []), (.form, choice.form.map { [$0] } ?? []),
            (.level, choice.level.map { [$0] } ?? []), (.interventions, choice.interventions),
            (.outcome, choice.outcome.map { [$0] } ?? []),
        ]
        for (dimension, ids) in chosen {
            for id in ids {
                guard let value = value(id, of: dimension) else {
                    let known = (values[dimension] ?? []).map(\.id).joined(separator: ", ")
                    throw CodingSchemeError(
                        "\"\(Self.shown(id))\" is not a value of \(dimension.rawValue) in the coding scheme \(self.id) (known: \(known))")
                }
                if value.exclusive, ids.count > 1 {
                    throw CodingSchemeError("\"\(id)\" cannot be combined with other values of \(dimension.rawValue)")
                }
            }
            guard Set(ids).count == ids.count else {
                throw CodingSchemeError("a value of \(dimension.rawValue) is given twice")
            }
        }
    }
}
