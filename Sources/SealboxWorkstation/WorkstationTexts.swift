// The counsellor's own labels (statuses, column headers, deadline states) in German or
// English, chosen like any Unix program's by LC_ALL, else LC_MESSAGES, else LANG
// (issue 11, "statuses and labels in German and English following LANG"). Texts/TAG.json
// is a flat object of dotted keys, like the reporters' catalogues (SealboxL10n), embedded
// in the binary; both files hold the same keys (SealboxWorkstationTests). English is the
// default, so scripts that run with LANG unset or C read the same words as before.
import Foundation
import SealboxCore

/// The workstation's labels in one language.
public struct WorkstationTexts: Sendable {
    /// The languages shipped: `en` (the default) and `de`.
    public static let languages = ["en", "de"]

    /// The language tag, `en` or `de`.
    public let language: String
    private let strings: [String: String]

    /// The labels of `language` (`en` or `de`); any other tag gives English.
    public init(language: String) {
        let tag = Self.languages.contains(language) ? language : "en"
        self.language = tag
        self.strings = Self.catalogue(tag)
    }

    /// The labels the environment asks for: the first set of LC_ALL, LC_MESSAGES and LANG
    /// decides; `de…` (e.g. `de_DE.UTF-8`) gives German, anything else English.
    public init(environment: [String: String]) {
        self.init(language: Self.language(environment: environment))
    }

    /// `de` or `en` from LC_ALL, LC_MESSAGES, LANG (the first one set and not empty).
    public static func language(environment: [String: String]) -> String {
        let chosen = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let tag = chosen.prefix { $0.isLetter }.lowercased()
        return languages.contains(tag) ? tag : "en"
    }

    /// The text of `key`; the English text when this language lacks it, else the key.
    public subscript(_ key: String) -> String {
        strings[key] ?? Self.catalogue("en")[key] ?? key
    }

    /// The name of a status as people read it (the wire form in English).
    public func name(of status: CaseStatus) -> String {
        self["status.\(status.rawValue)"]
    }

    /// Every key of a shipped catalogue, for the tests that keep them in step.
    public static func keys(of language: String) -> Set<String> {
        Set(catalogue(language).keys)
    }

    private static func catalogue(_ tag: String) -> [String: String] {
        let bytes: [UInt8] = tag == "de" ? PackageResources.de_json : PackageResources.en_json
        return (try? JSONDecoder().decode([String: String].self, from: Data(bytes))) ?? [:]
    }
}
