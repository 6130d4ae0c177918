import Foundation

/// A calendar day in UTC, `YYYY-MM-DD`: the finest time Sealbox ever stores or shows.
/// It holds its year, month and day of the month, checked once where it is parsed (the
/// day must exist in its month), so that arithmetic on it never parses again.
public struct Day: TextValue, Comparable {
    /// The year, 0...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month, 1...28/29/30/31.
    public let dayOfMonth: Int

    /// Accepts exactly `YYYY-MM-DD` naming a day that exists (no 2026-02-30).
    public init(parsing text: String) throws(InvalidValue) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...Day.length(ofMonth: month, year: year)).contains(day)
        else { throw InvalidValue("day") }
        self.init(checkedYear: year, month: month, day: day)
    }

    /// The same, as an optional.
    public init?(_ text: String) {
        guard let day = try? Day(parsing: text) else { return nil }
        self = day
    }

    /// The day with these components; the day of the month is clamped to the month's
    /// length and the year to 0...9999.
    public init(year: Int, month: Int, clampingDay day: Int) {
        let year = min(max(year, 0), 9999)
        let month = min(max(month, 1), 12)
        self.init(checkedYear: year, month: month, day: min(max(day, 1), Day.length(ofMonth: month, year: year)))
    }

    private init(checkedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.dayOfMonth = day
    }

    /// Today in UTC.
    public static func today(now: Date = Date()) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return Day(year: c.year ?? 1970, month: c.month ?? 1, clampingDay: c.day ?? 1)
    }

    /// `YYYY-MM-DD`.
    public var text: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(dayOfMonth, 2)
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.dayOfMonth) < (rhs.year, rhs.month, rhs.dayOfMonth)
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days of `month` (1...12) in `year`.
    public static func length(ofMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
