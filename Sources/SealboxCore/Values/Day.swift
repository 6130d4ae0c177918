import Foundation

/// A calendar day in UTC, `YYYY-MM-DD`: the finest time Sealbox ever stores or shows.
public struct Day: TextValue, Comparable {
    public let text: String

    /// Accepts exactly `YYYY-MM-DD` with a month 01–12 and a day 01–31.
    public init(parsing text: String) throws(InvalidValue) {
        let parts = text.utf8.count == 10 ? text.split(separator: "-", omittingEmptySubsequences: false) : []
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let month = Int(parts[1]), (1...12).contains(month),
              let day = Int(parts[2]), (1...31).contains(day)
        else { throw InvalidValue("day") }
        self.text = text
    }

    /// The same, as an optional.
    public init?(_ text: String) {
        guard let day = try? Day(parsing: text) else { return nil }
        self = day
    }

    /// Today in UTC.
    public static func today(now: Date = Date()) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return Day(validated: String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!))
    }

    private init(validated text: String) { self.text = text }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.text < rhs.text }
}
