// The desk's texts: catalogue files Catalogues/de.json and en.json, embedded in the
// binary and checked by SealboxL10n's CatalogueLoader (German the reference, every key
// in both, the same placeholders), the mechanism of the reporters' pages. The language
// is the `desk_language` setting when given, else the browser's Accept-Language (German
// or English), else German.
import Foundation
import SealboxL10n

/// The desk's two catalogues.
public enum DeskTexts {
    /// The loaded catalogues; a defect stops the desk with the loader's message (the unit
    /// tests load them, so none can ship).
    public static let catalogues: CatalogueSet = {
        do {
            return try CatalogueLoader().loadShipped([
                ("de.json", Data(PackageResources.de_json)),
                ("en.json", Data(PackageResources.en_json)),
            ])
        } catch {
            fatalError("desk catalogue: \(error)")
        }
    }()

    /// The localiser of a language tag ("de" or "en"), nil for another tag.
    public static func localiser(tag: String) -> Localiser? {
        guard let language = catalogues.languages.first(where: { $0.tag == tag }),
              let strings = catalogues.strings[tag] else { return nil }
        return Localiser(language, strings: strings)
    }

    /// The language for a request: `configured` when it names a catalogue, else the first
    /// of German and English in `acceptLanguage` by weight, else German.
    public static func choose(configured: String?, acceptLanguage: String?) -> Localiser {
        if let configured, let chosen = localiser(tag: configured.lowercased()) { return chosen }
        var best: (tag: String, weight: Double)?
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = pieces.first?.lowercased() else { continue }
            let primary = String(range.split(separator: "-").first ?? "")
            guard primary == "de" || primary == "en" else { continue }
            var weight = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            guard weight > 0 else { continue }
            if best == nil || weight > best!.weight { best = (primary, weight) }
        }
        return localiser(tag: best?.tag ?? "de")!
    }
}
