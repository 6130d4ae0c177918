// Small-cell suppression for the office's figures (docs/design/DESK.md §7,
// docs/WORKSTATION.md "Statistics"): a published count below `minCell` could point at
// one person, so it is shown as "< minCell" (primary suppression). Where a shown total
// and the other shown cells of a row or column would give a suppressed cell back by
// subtraction, more cells are hidden (secondary suppression) until no row or column
// with a shown total has exactly one hidden cell. Used by `sealbox stats` and the desk.

/// One count as published: its value, or hidden because it is (or would reveal) a small count.
public enum PublishedCount: Sendable, Equatable {
    case shown(Int)
    case hidden

    /// The count as text: the number, or "< minCell".
    public func text(minCell: Int) -> String {
        switch self {
        case .shown(let n): String(n)
        case .hidden: "< \(minCell)"
        }
    }

    /// The value when shown.
    public var value: Int? {
        if case .shown(let n) = self { return n }
        return nil
    }
}

/// A table of counts (rows × columns) with row, column and grand totals, after suppression.
/// A one-way table (counts by ground, by month …) is one row.
public struct SuppressedTable: Sendable, Equatable {
    public let cells: [[PublishedCount]]
    public let rowTotals: [PublishedCount]
    public let columnTotals: [PublishedCount]
    public let total: PublishedCount

    /// Suppresses `counts` (every row the same length, every count ≥ 0) with threshold
    /// `minCell` (≥ 1; 1 hides nothing). Totals default to the sums; a caller whose totals
    /// are not sums (a multi-valued dimension: a case naming two grounds counts in both,
    /// the total is the number of cases) passes them, and the rules hold the same way
    /// (treating a total as if it were a sum hides at least as much as needed).
    ///
    /// Rules: a count `0 < n < minCell` is hidden (a zero is shown: no one to point at);
    /// a total `0 < t < minCell` is hidden. Then, repeatedly, each row or column whose
    /// total is shown and that has exactly one hidden cell hides its smallest shown
    /// non-zero cell too (ties: the first); when it has none, its total is hidden. A
    /// row or column with a hidden total gives nothing away by subtraction.
    public init(counts: [[Int]], rowTotals: [Int]? = nil, columnTotals: [Int]? = nil, total: Int? = nil, minCell: Int) {
        let width = counts.first?.count ?? 0
        precondition(counts.allSatisfy { $0.count == width }, "a table's rows have one length")
        let rowSums = rowTotals ?? counts.map { $0.reduce(0, +) }
        let columnSums = columnTotals ?? (0..<width).map { c in counts.reduce(0) { $0 + $1[c] } }
        let grand = total ?? rowSums.reduce(0, +)
        let threshold = max(1, minCell)
        func small(_ n: Int) -> Bool { n > 0 && n < threshold }

        var hidden = counts.map { $0.map(small) }
        var rowHidden = rowSums.map(small)
        var columnHidden = columnSums.map(small)
        var grandHidden = small(grand)

        // Each pass either hides one more cell or total, or ends: at most cells + totals passes.
        var changed = true
        while changed {
            changed = false
            for r in counts.indices where !rowHidden[r] {
                let line = hidden[r].indices.filter { hidden[r][$0] }
                guard line.count == 1 else { continue }
                if let c = Self.smallestShown(counts[r].indices.map { (index: $0, count: counts[r][$0], hidden: hidden[r][$0]) }) {
                    hidden[r][c] = true
                } else {
                    rowHidden[r] = true
                }
                changed = true
            }
            for c in 0..<width where !columnHidden[c] {
                let line = counts.indices.filter { hidden[$0][c] }
                guard line.count == 1 else { continue }
                if let r = Self.smallestShown(counts.indices.map { (index: $0, count: counts[$0][c], hidden: hidden[$0][c]) }) {
                    hidden[r][c] = true
                } else {
                    columnHidden[c] = true
                }
                changed = true
            }
        }
        // Row totals with the grand total shown work as a column of their own (and the
        // column totals as a row): one hidden row total next to a shown grand total would
        // be the grand total minus the others.
        // With no other total to hide, the grand total goes.
        if !grandHidden, rowHidden.filter({ $0 }).count == 1, counts.count > 1 {
            if let r = Self.smallestShown(rowSums.indices.map { (index: $0, count: rowSums[$0], hidden: rowHidden[$0]) }) {
                rowHidden[r] = true
            } else {
                grandHidden = true
            }
        }
        if !grandHidden, columnHidden.filter({ $0 }).count == 1, width > 1 {
            if let c = Self.smallestShown(columnSums.indices.map { (index: $0, count: columnSums[$0], hidden: columnHidden[$0]) }) {
                columnHidden[c] = true
            } else {
                grandHidden = true
            }
        }

        func published(_ n: Int, _ isHidden: Bool) -> PublishedCount { isHidden ? .hidden : .shown(n) }
        self.cells = counts.indices.map { r in counts[r].indices.map { published(counts[r][$0], hidden[r][$0]) } }
        self.rowTotals = rowSums.indices.map { published(rowSums[$0], rowHidden[$0]) }
        self.columnTotals = columnSums.indices.map { published(columnSums[$0], columnHidden[$0]) }
        self.total = published(grand, grandHidden)
    }

    /// A one-way table: `counts` as one row, `total` its total (the number of cases).
    public init(oneWay counts: [Int], total: Int, minCell: Int) {
        self.init(counts: [counts], rowTotals: [total], total: total, minCell: minCell)
    }

    /// The index of the smallest shown non-zero count (the first of equals), if any.
    private static func smallestShown(_ line: [(index: Int, count: Int, hidden: Bool)]) -> Int? {
        line.filter { !$0.hidden && $0.count > 0 }.min { ($0.count, $0.index) < ($1.count, $1.index) }?.index
    }
}
