// The one loader and validator of texts, for the catalogues Sealbox ships and for
// an office's l10n.directory alike. Rules, all checked against the German
// catalogue (the reference):
//   - a file is a JSON object in the format of CatalogueFile;
//   - no key that German lacks (a typo would silently show the German text);
//   - every text uses exactly the placeholders {0}, {1} … of its German text;
//   - a complete catalogue (every shipped one, and a language an office adds)
//     holds every German key and a "_language" object;
//   - German holds every key the code builds at run time (`requiredKeys`).
// Every refusal is a CatalogueError naming the file and the key.
import Foundation

/// A set of complete catalogues: the languages in order and their texts by tag.
public struct CatalogueSet: Sendable {
    /// The languages, in the order of the language switch.
    public var languages: [Language] = []
    /// The complete texts of each language, by tag.
    public var strings: [String: [String: String]] = [:]
    /// The state of review each file declares (`_review`), by tag.
    public var reviews: [String: String] = [:]
    /// The hash of the source each text was translated from (`_source_hashes`), by tag and key.
    public var sourceHashes: [String: [String: String]] = [:]

    /// An empty set.
    public init() {}
}

/// Loads and checks catalogue files.
public struct CatalogueLoader: Sendable {
    /// The tag of the reference catalogue every other is checked against.
    public static let referenceTag = "de"

    /// Keys the German catalogue must hold besides its own (keys the code builds at run
    /// time, such as `ground.<value>`), passed in by the code that builds them.
    public var requiredKeys: [String]

    /// A loader that also requires `requiredKeys` of the German catalogue.
    public init(requiredKeys: [String] = []) {
        self.requiredKeys = requiredKeys
    }

    /// Loads the shipped catalogues: `files` in the order of the language switch,
    /// the German one among them. Each must be complete and describe its language.
    public func loadShipped(_ files: [(name: String, data: Data)]) throws(CatalogueError) -> CatalogueSet {
        var parsed: [CatalogueFile] = []
        for (name, data) in files { parsed.append(try CatalogueFile.parse(data, fileName: name)) }
        guard let german = parsed.first(where: { $0.tag == Self.referenceTag }) else {
            throw CatalogueError(file: "\(Self.referenceTag).json", .unreadable)
        }
        try checkReference(german)
        var result = CatalogueSet()
        for file in parsed {
            try checkComplete(file, reference: german.texts)
            try add(file, to: &result)
        }
        return result
    }

    /// Loads an office's files over `shipped`: a file for a shipped language may override
    /// any of its texts; a file for another tag adds a language and must be complete.
    public func loadOverrides(
        _ files: [(name: String, data: Data)], over shipped: CatalogueSet
    ) throws(CatalogueError) -> CatalogueOverrides {
        guard let reference = shipped.strings[Self.referenceTag] else {
            throw CatalogueError(file: "\(Self.referenceTag).json", .unreadable)
        }
        var result = CatalogueOverrides()
        for (name, data) in files.sorted(by: { $0.name < $1.name }) {
            let file = try CatalogueFile.parse(data, fileName: name)
            if let texts = shipped.strings[file.tag] {
                try checkTexts(file, reference: reference)
                result.strings[file.tag] = texts.merging(file.texts) { _, office in office }
            } else {
                try checkComplete(file, reference: reference)
                var added = CatalogueSet()
                try add(file, to: &added)
                result.added += added.languages
                result.strings.merge(added.strings) { _, new in new }
            }
        }
        return result
    }

    /// German must hold every required key.
    func checkReference(_ german: CatalogueFile) throws(CatalogueError) {
        let missing = requiredKeys.filter { german.texts[$0] == nil }
        guard missing.isEmpty else { throw CatalogueError(file: german.fileName, .missingKeys(missing)) }
    }

    /// A complete catalogue: a `_language` object and every key of `reference`, checked as texts.
    func checkComplete(_ file: CatalogueFile, reference: [String: String]) throws(CatalogueError) {
        guard file.language != nil else { throw CatalogueError(file: file.fileName, .missingLanguage) }
        try checkTexts(file, reference: reference)
        let missing = reference.keys.filter { file.texts[$0] == nil }.sorted()
        guard missing.isEmpty else { throw CatalogueError(file: file.fileName, .missingKeys(missing)) }
    }

    /// Every key is a key of `reference` and uses its placeholders (keys in sorted order,
    /// so the same defect always gives the same message).
    func checkTexts(_ file: CatalogueFile, reference: [String: String]) throws(CatalogueError) {
        for key in file.texts.keys.sorted() {
            guard let original = reference[key] else {
                throw CatalogueError(file: file.fileName, key: key, .unknownKey)
            }
            let expected = Localiser.placeholders(in: original)
            let found = Localiser.placeholders(in: file.texts[key] ?? "")
            guard expected == found else {
                throw CatalogueError(file: file.fileName, key: key, .placeholders(expected: expected, found: found))
            }
        }
    }

    /// Adds a checked, complete file to `set`.
    private func add(_ file: CatalogueFile, to set: inout CatalogueSet) throws(CatalogueError) {
        guard let language = file.language else { throw CatalogueError(file: file.fileName, .missingLanguage) }
        set.languages.append(language)
        set.strings[file.tag] = file.texts
        if let review = file.review { set.reviews[file.tag] = review }
        if !file.sourceHashes.isEmpty { set.sourceHashes[file.tag] = file.sourceHashes }
    }
}
