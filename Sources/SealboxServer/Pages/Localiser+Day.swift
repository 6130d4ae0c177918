import SealboxCore
import SealboxL10n

extension Localiser {
    /// `day` in the reader's form ("24. November 2026").
    public func day(_ day: Day) -> String {
        self.day(year: day.year, month: day.month, day: day.dayOfMonth)
    }
}
