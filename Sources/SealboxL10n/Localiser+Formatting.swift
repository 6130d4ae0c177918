// Days, numbers and sizes, formatted from catalogue tables only, so that the
// output does not depend on the ICU locale data installed on the server.

extension Localiser {
    /// A calendar day in the reader's form ("24. November 2026", "24 November 2026").
    /// The caller passes a checked day (SealboxCore's `Day`); nothing is parsed here.
    public func day(year: Int, month: Int, day: Int) -> String {
        format("date.format", String(day), self["month.\(month)"], String(year))
    }

    /// A whole number with the language's digit grouping ("10.000", "10,000").
    public func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        let separator = self["number.group_separator"]
        var grouped = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped += separator }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// A size in bytes for people: "10 MB", "1,5 MB", "500 KB" (binary units, as limits are set).
    public func size(_ bytes: Int) -> String {
        let mebi = 1024 * 1024
        if bytes >= mebi {
            let tenths = (bytes * 10 + mebi / 2) / mebi
            return format("unit.megabytes", decimal(tenths))
        }
        let kibi = max(1, (bytes + 512) / 1024)
        return format("unit.kilobytes", number(kibi))
    }

    /// Tenths as a decimal with the language's separator, without a trailing ",0".
    private func decimal(_ tenths: Int) -> String {
        let whole = number(tenths / 10)
        let fraction = tenths % 10
        return fraction == 0 ? whole : whole + self["number.decimal_separator"] + String(fraction)
    }
}
