// The approximate date of an incident (PROTOCOL §3.2, member `incident`): a month
// `YYYY-MM`, or a day `YYYY-MM-DD` when the reporter knows it. Rules: it is parsed once
// where it enters (the report form's three inputs or the API's one string, with
// Arabic-Indic, Persian and full-width digits read as digits); a date before 1900 or
// after tomorrow (UTC: a reporter's own day may be ahead) is refused with a fixed
// message key, never with the input. Its latest possible day drives the AGG clock
// (Deadlines.swift).

/// A month, or a day, on which something happened.
public struct IncidentDate: TextValue, Comparable {
    /// The year, 0...9999 (an entered date must lie in 1900...tomorrow).
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month, when known; nil for a month.
    public let dayOfMonth: Int?

    /// The earliest year a reporter may enter.
    public static let earliestYear = 1900
    /// The longest text read for one part (or the API's one string); longer is invalid.
    static let maximumInput = 32

    /// Why an entered date was refused; each has a message key of the same name.
    public enum Problem: Error, Sendable, Equatable {
        /// Not a month and year (and day), or a day that does not exist.
        case invalid
        /// Before 1900.
        case tooEarly
        /// After tomorrow.
        case future

        /// The catalogue key of the message for the reporter.
        public var messageKey: String {
            switch self {
            case .invalid: "error.incident_invalid"
            case .tooEarly: "error.incident_too_early"
            case .future: "error.incident_future"
            }
        }
    }

    /// Accepts exactly `YYYY-MM` or `YYYY-MM-DD` (ASCII digits, a day that exists).
    public init(parsing text: String) throws(InvalidValue) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return bytes[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard bytes.count == 7 || bytes.count == 10, bytes[4] == UInt8(ascii: "-"),
              let year = number(0..<4), let month = number(5..<7), (1...12).contains(month)
        else { throw InvalidValue("incident date") }
        var day: Int?
        if bytes.count == 10 {
            guard bytes[7] == UInt8(ascii: "-"), let value = number(8..<10),
                  (1...Day.length(ofMonth: month, year: year)).contains(value)
            else { throw InvalidValue("incident date") }
            day = value
        }
        self.init(year: year, month: month, day: day)
    }

    private init(year: Int, month: Int, day: Int?) {
        self.year = year
        self.month = month
        self.dayOfMonth = day
    }

    /// The month of `day`.
    public init(monthOf day: Day) {
        self.init(year: day.year, month: day.month, day: nil)
    }

    /// The day `day` itself.
    public init(dayOf day: Day) {
        self.init(year: day.year, month: day.month, day: day.dayOfMonth)
    }

    /// `YYYY-MM` or `YYYY-MM-DD`.
    public var text: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(year, 4) + "-" + pad(month, 2) + (dayOfMonth.map { "-" + pad($0, 2) } ?? "")
    }

    /// Whether only the month is known.
    public var isMonth: Bool { dayOfMonth == nil }

    /// The first day it may have been.
    public var earliest: Day { Day(year: year, month: month, clampingDay: dayOfMonth ?? 1) }

    /// The last day it may have been: the day, or the month's last day.
    public var latest: Day { Day(year: year, month: month, clampingDay: dayOfMonth ?? 31) }

    public static func < (lhs: IncidentDate, rhs: IncidentDate) -> Bool {
        (lhs.earliest, lhs.latest) < (rhs.earliest, rhs.latest)
    }

    // MARK: Entered by a reporter

    /// The API's one string (`incident`), trimmed, digits of any script read as ASCII;
    /// nil when empty. Checked against `today` (UTC).
    public static func entered(_ text: String?, today: Day) -> Result<IncidentDate, Problem>? {
        guard let text else { return nil }
        guard text.unicodeScalars.count <= maximumInput else { return .failure(.invalid) }
        let normalised = asciiDigits(text.trimmingWhiteSpace())
        guard !normalised.isEmpty else { return nil }
        guard let date = try? IncidentDate(parsing: normalised) else { return .failure(.invalid) }
        return date.checked(today: today)
    }

    /// The report form's three inputs (day optional); nil when all three are empty. A
    /// year of four digits and a month of one or two are needed; a day alone is invalid.
    public static func entered(year: String, month: String, day: String, today: Day) -> Result<IncidentDate, Problem>? {
        let parts = [year, month, day]
        guard parts.allSatisfy({ $0.unicodeScalars.count <= maximumInput }) else { return .failure(.invalid) }
        let (y, m, d) = (asciiDigits(year.trimmingWhiteSpace()), asciiDigits(month.trimmingWhiteSpace()),
                         asciiDigits(day.trimmingWhiteSpace()))
        if y.isEmpty && m.isEmpty && d.isEmpty { return nil }
        func isDigits(_ s: String, _ lengths: ClosedRange<Int>) -> Bool {
            lengths.contains(s.utf8.count) && s.utf8.allSatisfy { (0x30...0x39).contains($0) }
        }
        guard isDigits(y, 4...4), isDigits(m, 1...2), d.isEmpty || isDigits(d, 1...2) else { return .failure(.invalid) }
        let pad = { (s: String) in s.utf8.count == 1 ? "0" + s : s }
        guard let date = try? IncidentDate(parsing: y + "-" + pad(m) + (d.isEmpty ? "" : "-" + pad(d))) else {
            return .failure(.invalid)
        }
        return date.checked(today: today)
    }

    /// This date if it lies between 1900 and tomorrow (`today` + 1, UTC).
    public func checked(today: Day) -> Result<IncidentDate, Problem> {
        if year < Self.earliestYear { return .failure(.tooEarly) }
        if earliest > today.adding(days: 1) { return .failure(.future) }
        return .success(self)
    }

    /// `text` with full-width, Arabic-Indic and Persian digits as ASCII digits.
    static func asciiDigits(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let digit: UInt32? = switch v {
            case 0xFF10...0xFF19: v - 0xFF10  // full-width
            case 0x0660...0x0669: v - 0x0660  // Arabic-Indic
            case 0x06F0...0x06F9: v - 0x06F0  // Extended Arabic-Indic / Persian
            default: nil
            }
            result.append(digit.flatMap { Unicode.Scalar(0x30 + $0) } ?? scalar)
        }
        return String(result)
    }
}

extension String {
    /// Without white space (and direction marks) at either end.
    fileprivate func trimmingWhiteSpace() -> String {
        let ignorable: (Unicode.Scalar) -> Bool = {
            $0.properties.isWhitespace || $0.value == 0x200E || $0.value == 0x200F || $0.value == 0x061C
        }
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, ignorable(first) { scalars.removeFirst() }
        while let last = scalars.last, ignorable(last) { scalars.removeLast() }
        return String(scalars)
    }
}
