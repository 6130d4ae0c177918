import Testing
@testable import SealboxL10n

/// Strings are looked up, filled in and formatted as documented.
@Suite struct LocaliserTests {
    @Test func localiser_missingKey_isVisibleNotSilent() {
        #expect(Localiser(.english)["no.such.key"] == "⟦no.such.key⟧")
    }

    @Test func format_replacesNumberedPlaceholdersOnce() {
        #expect(Localiser.substitute("{1} and {0}", ["a", "b"]) == "b and a")
        #expect(Localiser.substitute("{0}", ["{1}", "x"]) == "{1}")
        #expect(Localiser.substitute("{x} {5} {", ["a"]) == "{x} {5} {")
        #expect(Localiser(.english).format("footer.contact", "0511 1234") == "Contact: 0511 1234")
    }

    @Test func day_isWrittenInTheReadersForm() {
        #expect(Localiser(.german).day(year: 2026, month: 11, day: 24) == "24. November 2026")
        #expect(Localiser(.english).day(year: 2026, month: 11, day: 24) == "24 November 2026")
        #expect(Localiser(.german).day(year: 2026, month: 3, day: 1) == "1. März 2026")
    }


    @Test func numbersAndSizes_useTheLanguagesSeparators() {
        #expect(Localiser(.german).number(10000) == "10.000")
        #expect(Localiser(.english).number(1234567) == "1,234,567")
        #expect(Localiser(.english).number(999) == "999")
        #expect(Localiser(.german).size(10 * 1024 * 1024) == "10 MB")
        #expect(Localiser(.german).size(1536 * 1024) == "1,5 MB")
        #expect(Localiser(.english).size(1536 * 1024) == "1.5 MB")
        #expect(Localiser(.english).size(500 * 1024) == "500 KB")
    }
}
