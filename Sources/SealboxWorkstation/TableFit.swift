// Fitting a table of text to a terminal's width (issue 11, "list fits the terminal
// width"): columns the caller names as least needed are left out while even their floors
// do not fit, then the widest columns give way first, down to a floor each, and their
// cells end in "…"; a column marked fixed (the case reference) never gives way.
/// Column widths and cells cut to a width.
public enum TableFit {
    /// The narrowest a column is cut to.
    public static let floor = 6

    /// The widths of columns whose cells are `natural` wide, separated by `separator`
    /// spaces, cut so that the whole line fits `available` characters when it can: the
    /// widest column that may still give way loses one character at a time. Columns in
    /// `fixed` keep their width; no column goes below `floor` (or its natural width).
    public static func widths(natural: [Int], available: Int, separator: Int = 3, fixed: Set<Int> = [0]) -> [Int] {
        var widths = natural
        let gaps = separator * max(widths.count - 1, 0)
        var excess = widths.reduce(0, +) + gaps - available
        while excess > 0 {
            guard let widest = widths.indices.filter({ !fixed.contains($0) && widths[$0] > Self.floor })
                .max(by: { (widths[$0], $0) < (widths[$1], $1) }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        return widths
    }

    /// `text` cut to `width` characters, ending in "…" when cut.
    public static func cut(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(max(width, 0))) }
        return String(text.prefix(width - 1)) + "…"
    }

    /// `rows` with every cell cut to its column's width from `widths(natural:…)`; first the
    /// columns in `dropping` (in that order) are left out while the narrowest table that
    /// keeps them, every column at its floor, is wider than `available`.
    public static func fit(_ rows: [[String]], available: Int, separator: Int = 3, fixed: Set<Int> = [0],
                           dropping: [Int] = []) -> [[String]] {
        guard let columns = rows.map(\.count).max() else { return rows }
        var kept = Array(0..<columns)
        let natural = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        func narrowest() -> Int {
            kept.map { fixed.contains($0) ? natural[$0] : min(natural[$0], Self.floor) }.reduce(0, +) + separator * max(kept.count - 1, 0)
        }
        for column in dropping where narrowest() > available && !fixed.contains(column) {
            kept.removeAll { $0 == column }
        }
        let cutTo = Self.widths(natural: kept.map { natural[$0] }, available: available, separator: separator,
                                fixed: Set(kept.indices.filter { fixed.contains(kept[$0]) }))
        return rows.map { row in
            kept.enumerated().map { index, column in column < row.count ? cut(row[column], to: cutTo[index]) : "" }
        }
    }
}
