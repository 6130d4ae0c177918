// The texts of the pages: catalogue files Catalogues/TAG.json, embedded in the
// binary (single-binary deployment, no bundle folder at run time) and checked by
// CatalogueLoader, the loader an office's l10n.directory goes through too.
// Keys are dotted, e.g. `form.text.label`. Values are plain text (never markup;
// pages escape them) with `{0}`, `{1}` … placeholders.
import Foundation

/// The catalogues: the shipped ones, with the office's overrides once installed.
public enum Catalogue {
    /// The shipped catalogue files, in the order of the language switch (German first,
    /// the reference). A new language is a new file in Catalogues/ and a line here.
    static let shippedFiles: [(name: String, bytes: [UInt8])] = [
        ("de.json", PackageResources.de_json),
        ("de-simple.json", PackageResources.de_simple_json),
        ("en.json", PackageResources.en_json),
        ("tr.json", PackageResources.tr_json),
        ("ar.json", PackageResources.ar_json),
        ("uk.json", PackageResources.uk_json),
        ("ru.json", PackageResources.ru_json),
        ("pl.json", PackageResources.pl_json),
        ("fa.json", PackageResources.fa_json),
    ]

    /// Loads and checks the shipped catalogues; `requiredKeys` are keys the code builds
    /// at run time, which German must hold. The daemon calls this at start, so a defect
    /// refuses start with a message naming the file and the key.
    public static func loadShipped(requiredKeys: [String] = []) throws(CatalogueError) -> CatalogueSet {
        try CatalogueLoader(requiredKeys: requiredKeys)
            .loadShipped(shippedFiles.map { ($0.name, Data($0.bytes)) })
    }

    /// The shipped catalogues, loaded at first use. A defect stops the process with the
    /// loader's message; the unit tests load every shipped file, so none can ship.
    static let shipped: CatalogueSet = {
        do {
            return try loadShipped()
        } catch {
            fatalError("shipped catalogue: \(error)")
        }
    }()

    /// The content of a shipped catalogue file, e.g. for `tag` "de" the file de.json, as
    /// an office starts a translation or its overrides from (`sealboxd --print-texts TAG`).
    public static func shippedFile(tag: String) -> String? {
        shippedFiles.first { $0.name == "\(tag).json" }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// The strings of a language, with the office's overrides; empty for a language without a catalogue.
    public static func strings(for language: Language) -> [String: String] {
        if let configured = CatalogueOverrides.installed.strings[language.tag] { return configured }
        return builtInStrings(for: language)
    }

    /// The strings Sealbox ships for a language, without the office's overrides.
    public static func builtInStrings(for language: Language) -> [String: String] {
        shipped.strings[language.tag] ?? [:]
    }

    /// The state of review a shipped catalogue declares (`_review`), if any.
    public static func review(of language: Language) -> String? {
        shipped.reviews[language.tag]
    }

    /// The shipped catalogues as loaded (texts, review notes and source hashes).
    public static var shippedSet: CatalogueSet { shipped }

    /// Every key some catalogue defines.
    public static var allKeys: Set<String> {
        Language.all.reduce(into: Set<String>()) { keys, language in
            keys.formUnion(strings(for: language).keys)
        }
    }
}
