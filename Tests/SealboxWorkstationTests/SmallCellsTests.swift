// Small-cell suppression (docs/WORKSTATION.md "Statistics", DESK.md §7): small counts
// are hidden, and totals never give a hidden count back by subtraction.
import Testing
import SealboxWorkstation

@Suite struct SmallCellsTests {
    func shown(_ row: [PublishedCount]) -> [Int?] { row.map(\.value) }

    @Test func withMinCellOne_everyCountIsShown() {
        let table = SuppressedTable(oneWay: [10, 3, 1, 0], total: 14, minCell: 1)
        #expect(shown(table.cells[0]) == [10, 3, 1, 0])
        #expect(table.total == .shown(14))
    }

    @Test func oneSmallCount_hidesTheNextSmallestToo_zerosStayShown() {
        let table = SuppressedTable(oneWay: [12, 7, 3, 0], total: 22, minCell: 5)
        #expect(shown(table.cells[0]) == [12, nil, nil, 0])
        #expect(table.total == .shown(22))
        #expect(table.cells[0][1].text(minCell: 5) == "< 5")
    }

    @Test func twoSmallCounts_needNoSecondaryCell() {
        let table = SuppressedTable(oneWay: [9, 2, 2], total: 13, minCell: 5)
        #expect(shown(table.cells[0]) == [9, nil, nil])
    }

    @Test func aSmallTotal_isHiddenWithItsCells() {
        let table = SuppressedTable(oneWay: [3], total: 3, minCell: 5)
        #expect(shown(table.cells[0]) == [nil])
        #expect(table.total == .hidden)
    }

    @Test func aLoneSmallCountWithNothingElseToHide_hidesTheRowTotal() {
        // A multi-valued dimension: 9 cases, 4 of them name a ground, the rest none.
        let table = SuppressedTable(oneWay: [4, 0], total: 9, minCell: 5)
        #expect(shown(table.cells[0]) == [nil, 0])
        #expect(table.rowTotals[0] == .hidden)
    }

    @Test func twoWay_suppressionSpreadsUntilNoRowOrColumnHasOneHiddenCell() {
        let table = SuppressedTable(counts: [[1, 8], [9, 9]], minCell: 5)
        #expect(table.cells.flatMap { shown($0) } == [nil, nil, nil, nil])
        #expect(table.rowTotals.map(\.value) == [9, 18])
        #expect(table.columnTotals.map(\.value) == [10, 17])
        #expect(table.total == .shown(27))
    }

    @Test func twoWay_aSecondarySquareSuffices() {
        let table = SuppressedTable(counts: [[2, 20, 30], [40, 6, 50], [60, 70, 80]], minCell: 5)
        // (0,0) is small; row 0 hides 20, column 0 hides 40; row 1 then holds 40 and 6 … and
        // every row and column ends with zero or at least two hidden cells.
        assertInvariants(table, counts: [[2, 20, 30], [40, 6, 50], [60, 70, 80]], minCell: 5)
        #expect(table.cells[0][0] == .hidden)
        #expect(table.cells[2][2] == .shown(80))
    }

    @Test func randomTables_keepTheInvariants() {
        var generator = SplitMix(seed: 0x5EA1_B0C5)
        for _ in 0..<2000 {
            let rows = Int.random(in: 1...4, using: &generator)
            let columns = Int.random(in: 1...6, using: &generator)
            let counts = (0..<rows).map { _ in (0..<columns).map { _ in
                Bool.random(using: &generator) ? Int.random(in: 0...6, using: &generator) : Int.random(in: 0...60, using: &generator)
            } }
            let minCell = Int.random(in: 1...10, using: &generator)
            assertInvariants(SuppressedTable(counts: counts, minCell: minCell), counts: counts, minCell: minCell)
        }
    }

    func assertInvariants(_ table: SuppressedTable, counts: [[Int]], minCell: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for (r, row) in counts.enumerated() {
            for (c, n) in row.enumerated() {
                if n > 0 && n < minCell { #expect(table.cells[r][c] == .hidden, sourceLocation: sourceLocation) }
                if n == 0 { #expect(table.cells[r][c] == .shown(0), sourceLocation: sourceLocation) }
                if case .shown(let v) = table.cells[r][c] { #expect(v == n, sourceLocation: sourceLocation) }
            }
            if table.rowTotals[r] != .hidden {
                #expect(row.indices.filter { table.cells[r][$0] == .hidden }.count != 1, "row \(r) of \(counts)",
                        sourceLocation: sourceLocation)
            }
        }
        for c in counts[0].indices where table.columnTotals[c] != .hidden {
            #expect(counts.indices.filter { table.cells[$0][c] == .hidden }.count != 1, "column \(c) of \(counts)",
                    sourceLocation: sourceLocation)
        }
        if table.total != .hidden && counts.count > 1 {
            #expect(table.rowTotals.filter { $0 == .hidden }.count != 1, "row totals of \(counts)", sourceLocation: sourceLocation)
        }
    }
}

/// A seeded generator, so that a failure repeats.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
