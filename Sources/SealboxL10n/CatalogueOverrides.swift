// An office's own texts, without rebuilding: a directory (configuration
// `l10n.directory`) of JSON files named TAG.json, in the format of the shipped
// catalogues (`sealboxd --print-texts TAG` prints one). A file for a shipped
// language overrides any of its texts; a file for a new tag adds a language and
// must hold every key, with "_language": {"name": "Italiano", "rtl": false}.
// CatalogueLoader refuses unknown keys and placeholders that differ from the
// German at start, so a typo can never silently show the wrong text.
import Foundation
import Synchronization

/// The office's additions and overrides, checked and merged once at start.
public struct CatalogueOverrides: Sendable {
    /// Languages the office added, in file-name order.
    public var added: [Language] = []
    /// The complete strings of every overridden or added language, by tag.
    public var strings: [String: [String: String]] = [:]

    /// No overrides.
    public init() {}

    private static let current = Mutex(CatalogueOverrides())

    /// What the running daemon uses; empty unless `install` was called.
    public static var installed: CatalogueOverrides { current.withLock { $0 } }

    /// Makes `overrides` the daemon's texts. Called once, at start, before serving.
    public static func install(_ overrides: CatalogueOverrides) {
        current.withLock { $0 = overrides }
    }

    /// The texts of a shipped language as a JSON file an office can start a translation
    /// or its overrides from (`sealboxd --print-texts TAG`): the shipped file itself.
    public static func exportJSON(tag: String) -> String? {
        Catalogue.shippedFile(tag: tag)
    }

    /// Reads and checks every `*.json` file of `directory` over the shipped catalogues;
    /// `requiredKeys` as for ``Catalogue/loadShipped(requiredKeys:)``.
    public static func load(directory: String, requiredKeys: [String] = []) throws(CatalogueError) -> CatalogueOverrides {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw CatalogueError(file: "l10n.directory \(directory)", .unreadable)
        }
        let url = URL(fileURLWithPath: directory)
        var files: [(name: String, data: Data)] = []
        for name in names where name.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) else {
                throw CatalogueError(file: name, .unreadable)
            }
            files.append((name, data))
        }
        return try CatalogueLoader(requiredKeys: requiredKeys).loadOverrides(files, over: Catalogue.shipped)
    }
}
