// The statistics page's data and period (docs/design/DESK.md §7): the figures come from
// the workstation (the statistic records opened and counted by the code `sealbox stats`
// runs, suppressed with SuppressedTable); the desk only parses the period and renders.
// A period is given as two months or years (`from`, `to`): "2026" is January to December
// 2026; nothing given is the current year. Anything else is refused (400) with a message.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n
import SealboxWorkstation

/// The published figures of one period: every count below `minCell`, and every count a
/// total would give back, hidden.
public struct DeskStatistics: Sendable {
    /// One value of a dimension with its published count.
    public struct Row: Sendable, Equatable {
        public var id: String
        public var count: PublishedCount

        public init(id: String, count: PublishedCount) {
            self.id = id
            self.count = count
        }
    }

    /// The scheme whose labels name the values (the office's override included).
    public var scheme: CodingScheme
    public var minCell: Int
    /// The number of coded cases counted (hidden when small).
    public var total: PublishedCount
    /// The rows of each dimension, largest first.
    public var tables: [CodingScheme.Dimension: [Row]]
    /// The months of the report, in order, with their counts.
    public var months: [(month: Month, count: PublishedCount)]
    /// Records that did not open or were not signed by a known member (not counted).
    public var skipped: Int

    public init(scheme: CodingScheme, minCell: Int, total: PublishedCount, tables: [CodingScheme.Dimension: [Row]],
                months: [(month: Month, count: PublishedCount)], skipped: Int) {
        self.scheme = scheme
        self.minCell = minCell
        self.total = total
        self.tables = tables
        self.months = months
        self.skipped = skipped
    }
}

/// The months a statistics page counts.
public struct DeskStatisticsPeriod: Sendable, Equatable {
    public let from: Month
    public let to: Month
    /// The fields as they go back into the form and the links.
    public let fromText: String
    public let toText: String

    /// The period of the GET fields `from` and `to` (each a year `YYYY` or a month
    /// `YYYY-MM`); an empty or missing field is the start (or end) of the other's year,
    /// both missing the year of `today`. Nil for a value that is neither, or `to` before `from`.
    public init?(from fromField: String?, to toField: String?, today: Day) {
        let fromText = (fromField ?? "").trimmingCharacters(in: .whitespaces)
        let toText = (toField ?? "").trimmingCharacters(in: .whitespaces)
        var start: Month?
        var end: Month?
        if !fromText.isEmpty {
            guard let parsed = Self.parse(fromText) else { return nil }
            start = parsed.first
        }
        if !toText.isEmpty {
            guard let parsed = Self.parse(toText) else { return nil }
            end = parsed.last
        }
        let year = start?.year ?? end?.year ?? today.year
        let from = start ?? (Self.month(year, 1))
        let to = end ?? (Self.month((start ?? from)?.year ?? year, 12))
        guard let from, let to, !(to < from) else { return nil }
        self.from = from
        self.to = to
        self.fromText = fromText.isEmpty && toText.isEmpty ? String(year) : fromText
        self.toText = toText
    }

    /// The query string of this period (for the CSV and print links).
    public var query: String {
        "from=\(from.text)&to=\(to.text)"
    }

    /// The month `month` (1 to 12) of a year 1 to 9999.
    private static func month(_ year: Int, _ month: Int) -> Month? {
        guard (1...9999).contains(year) else { return nil }
        let digits = String(year)
        return try? Month(parsing: String(repeating: "0", count: 4 - digits.count) + digits + (month < 10 ? "-0" : "-") + String(month))
    }

    /// A year (its first and last month) or a month (itself).
    private static func parse(_ text: String) -> (first: Month, last: Month)? {
        if text.utf8.count == 4, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let year = Int(text),
           let first = Self.month(year, 1), let last = month(year, 12) {
            return (first, last)
        }
        guard let month = try? Month(parsing: text) else { return nil }
        return (month, month)
    }
}
