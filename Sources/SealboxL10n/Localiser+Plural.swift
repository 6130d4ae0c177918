// Counted words ("1 Tag", "7 Tage"; Russian "1 день", "3 дня", "7 дней") from catalogue
// texts. A counted text has five keys, STEM.one, STEM.two, STEM.few, STEM.many and
// STEM.other, each with {0} for the number; the language's plural rule (CLDR's
// cardinal rules for whole numbers, by the primary subtag of html_lang) picks one.
// A language without a rule here (an office's added language) uses one/other.
// Languages that do not distinguish a category repeat the text of another in its key.

extension Localiser {
    /// The plural category of `count` in this language: "one", "two", "few", "many" or "other".
    public func pluralCategory(_ count: Int) -> String {
        let n = count.magnitude
        let lastTwo = n % 100, last = n % 10
        switch language.htmlLang.split(separator: "-").first.map(String.init) ?? "" {
        case "ru", "uk":
            if last == 1 && lastTwo != 11 { return "one" }
            if (2...4).contains(last) && !(12...14).contains(lastTwo) { return "few" }
            return "many"
        case "pl":
            if n == 1 { return "one" }
            if (2...4).contains(last) && !(12...14).contains(lastTwo) { return "few" }
            return "many"
        case "ar":
            if n == 1 { return "one" }
            if n == 2 { return "two" }
            if (3...10).contains(lastTwo) { return "few" }
            if (11...99).contains(lastTwo) { return "many" }
            return "other"
        case "fa", "tr":
            return "other"
        default:
            return n == 1 ? "one" : "other"
        }
    }

    /// `count` with the counted word of `stem` (e.g. `period.days`), the number in the
    /// language's grouping.
    public func counted(_ count: Int, _ stem: String) -> String {
        format("\(stem).\(pluralCategory(count))", number(count))
    }

    /// The plural categories every counted text has a key for.
    public static let pluralCategories = ["one", "two", "few", "many", "other"]
}
