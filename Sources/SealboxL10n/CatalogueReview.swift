// Which translations are stale, as a translation platform would show it. Rule: beside
// each translated text a catalogue keeps, under "_source_hashes", the hash of the
// source text it was translated (or last reviewed) from. The source of a key is its
// German text; for languages other than English and Leichte Sprache, which translators
// work on from German or English, it is the German and the English text together. When
// either source changes, the hash no longer matches and the key is listed as stale for
// that language until a translator updates the text and its hash
// (`sealboxd check-texts` prints both). The hash is for noticing change, not a secret:
// 64-bit FNV-1a, written as 16 hexadecimal digits.

/// The review state of translations against their German and English source.
public enum CatalogueReview {
    /// Languages whose source is German alone; every other translates from German and English.
    public static let germanSourced: Set<String> = ["en", "de-simple"]

    /// The source text of `key` for the language `tag`, from `set`; nil for German itself
    /// or a key German lacks.
    public static func source(of key: String, for tag: String, in set: CatalogueSet) -> String? {
        guard tag != CatalogueLoader.referenceTag, let german = set.strings[CatalogueLoader.referenceTag]?[key]
        else { return nil }
        if germanSourced.contains(tag) { return german }
        return german + "\u{1F}" + (set.strings["en"]?[key] ?? "")
    }

    /// The hash of a source text: 64-bit FNV-1a over its UTF-8 bytes, 16 lowercase hex digits.
    public static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Whether `text` has the form of a hash (16 lowercase hexadecimal digits).
    static func isHash(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The current hash of the source of every key for `tag` (empty for German).
    public static func currentHashes(for tag: String, in set: CatalogueSet) -> [String: String] {
        guard let german = set.strings[CatalogueLoader.referenceTag] else { return [:] }
        var result: [String: String] = [:]
        for key in german.keys {
            if let source = source(of: key, for: tag, in: set) { result[key] = hash(source) }
        }
        return result
    }

    /// The keys of `tag` whose source changed since they were translated (or that never
    /// recorded a source), sorted.
    public static func staleKeys(for tag: String, in set: CatalogueSet) -> [String] {
        let recorded = set.sourceHashes[tag] ?? [:]
        return currentHashes(for: tag, in: set).filter { recorded[$0.key] != $0.value }.map(\.key).sorted()
    }

    /// The stale keys of every language but German, by tag (languages with none are left out).
    public static func staleKeys(in set: CatalogueSet) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for language in set.languages where language.tag != CatalogueLoader.referenceTag {
            let stale = staleKeys(for: language.tag, in: set)
            if !stale.isEmpty { result[language.tag] = stale }
        }
        return result
    }
}
