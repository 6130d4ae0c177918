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

    /// The statuses closest to what was typed (ignoring case, `_` for `-`), within
    /// `suggestionDistance` edits, the nearest first.
    public static func statusSuggestions(for typed: String) -> [CaseStatus] {
        guard typed.utf8.count <= 32 else { return [] }
        let letters = typed.lowercased().map { $0 == "_" ? "-" : $0 }
        return CaseStatus.allCases.compactMap { status -> (CaseStatus, Int)? in
            let distance = editDistance(letters, Array(status.rawValue), limit: suggestionDistance)
            return distance <= suggestionDistance ? (status, distance) : nil
        }.sorted { $0.1 < $1.1 }.map(\.0)
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
