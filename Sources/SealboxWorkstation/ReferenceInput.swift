// Case references and statuses as people type them (issue 11, "a forgiving CLI"): in
// any letter case, with a hyphen, a space or nothing between the halves, and a
// suggestion when one is mistyped. This is the command line's and the desk's edge only;
// the wire and the API keep the strict `CaseReference(parsing:)` (PROTOCOL §5).
import SealboxCore

/// Parsing and matching what a person typed for a case reference or a status.
public enum ReferenceInput {
    /// The largest edit distance a suggestion may have.
    public static let suggestionDistance = 2

    /// A reference typed as `7KQM-3XWP`, `7kqm3xwp`, `7kqm 3xwp` or `7KQM - 3XWP`
    /// (surrounding spaces ignored); nil for anything else. Inputs longer than
    /// 32 characters are refused before they are looked at.
    public static func reference(_ text: String) -> CaseReference? {
        guard text.utf8.count <= 32 else { return nil }
        let compact = text.filter { $0 != " " && $0 != "\t" }
        guard compact.utf8.count == 8 || compact.utf8.count == 9 else { return nil }
        return try? CaseReference(parsing: compact)
    }

    /// The 8 characters of what was typed, upper case, spaces and hyphens removed, for
    /// comparing a mistyped reference with the known ones; nil when it is too long to be one.
    static func letters(_ text: String) -> [Character]? {
        guard text.utf8.count <= 32 else { return nil }
        let kept = text.uppercased().filter { $0 != " " && $0 != "-" && $0 != "\t" }
        return kept.count <= 12 ? Array(kept) : nil
    }

    /// The known references closest to what was typed, within `suggestionDistance` edits
    /// (insertions, deletions, substitutions, ignoring case, spaces and the hyphen), the
    /// nearest first; the typed reference itself is never suggested.
    public static func suggestions(for typed: String, among known: [CaseReference]) -> [CaseReference] {
        guard let letters = letters(typed) else { return [] }
        let scored = known.compactMap { reference -> (CaseReference, Int)? in
            let candidate = Array(reference.text.filter { $0 != "-" })
            let distance = editDistance(letters, candidate, limit: suggestionDistance)
            return distance >= 1 && distance <= suggestionDistance ? (reference, distance) : nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// A status as typed, in English (the wire name) or German (the name the German
    /// labels show): any letter case, `_`, a space or nothing for the hyphen, umlauts
    /// or their spelling without (`bestaetigt`). `In-Progress`, `in_progress`,
    /// `inprogress`, `in Bearbeitung`, `Bestätigt` all parse; nil for anything else.
    public static func status(_ typed: String) -> CaseStatus? {
        guard typed.utf8.count <= 64, let key = statusKey(typed) else { return nil }
        return statusNames.first { $0.key == key }?.status
    }

    /// The statuses closest to what was typed in English or German (ignoring case, `_`,
    /// spaces and hyphens), within `suggestionDistance` edits, the nearest first.
    public static func statusSuggestions(for typed: String) -> [CaseStatus] {
        guard typed.utf8.count <= 64, let key = statusKey(typed) else { return [] }
        var best: [CaseStatus: Int] = [:]
        for name in statusNames {
            let distance = editDistance(Array(key), Array(name.key), limit: suggestionDistance)
            if distance <= suggestionDistance { best[name.status] = min(best[name.status] ?? distance, distance) }
        }
        return best.sorted { ($0.value, $0.key.rawValue) < ($1.value, $1.key.rawValue) }.map(\.key)
    }

    /// Every name a status may be typed by (English wire names and the German labels), folded.
    static let statusNames: [(key: String, status: CaseStatus)] = CaseStatus.allCases.flatMap { status in
        [status.rawValue, WorkstationTexts(language: "de").name(of: status)].compactMap { name in
            statusKey(name).map { (key: $0, status: status) }
        }
    }

    /// What was typed folded for comparing status names: lower case, umlauts as `ae`,
    /// `oe`, `ue`, `ss`, and no spaces, hyphens or underscores; nil when empty.
    static func statusKey(_ typed: String) -> String? {
        var key = ""
        for character in typed.lowercased() {
            switch character {
            case " ", "\t", "-", "_": continue
            case "ä": key += "ae"
            case "ö": key += "oe"
            case "ü": key += "ue"
            case "ß": key += "ss"
            default: key.append(character)
            }
        }
        return key.isEmpty ? nil : key
    }

    /// The Levenshtein distance of `a` and `b`, or `limit + 1` once it exceeds `limit`.
    public static func editDistance<T: Equatable>(_ a: [T], _ b: [T], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            if current.min()! > limit { return limit + 1 }
            previous = current
        }
        return Swift.min(previous[b.count], limit + 1)
    }
}
