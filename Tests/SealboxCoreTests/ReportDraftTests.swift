import SealboxCore
import Testing

@Suite struct ReportDraftTests {
    let limits = SubmissionLimits()

    @Test func blankText_isMissing() {
        let draft = ReportDraft(text: "  \n ").normalised()
        #expect(draft.issues(limits: limits) == [ValidationIssue(field: "text", messageKey: "error.text_missing")])
    }

    @Test func textOverTheLimit_isTooLong_countedInCharacters() {
        var small = limits
        small.textLength = 5
        #expect(ReportDraft(text: "ÄÖÜßé").normalised().issues(limits: small).isEmpty)
        #expect(ReportDraft(text: "ÄÖÜßéx").normalised().issues(limits: small)
            == [ValidationIssue(field: "text", messageKey: "error.text_too_long")])
    }

    @Test func unknownGroundOrArea_isAnInvalidChoice() {
        let draft = ReportDraft(text: "x", grounds: ["age", "weather"], area: "moon").normalised()
        #expect(draft.issues(limits: limits) == [
            ValidationIssue(field: "grounds", messageKey: "error.invalid_choice"),
            ValidationIssue(field: "area", messageKey: "error.invalid_choice"),
        ])
    }

    @Test func emptyOptionalFields_becomeNil_andGroundsLoseDuplicates() {
        let draft = ReportDraft(text: " hi ", grounds: ["age", "", "age", "gender"], area: " ", when: "", where: "\t", contact: "").normalised()
        #expect(draft == ReportDraft(text: "hi", grounds: ["age", "gender"]))
    }

    @Test func longShortFields_areRefusedEachByName() {
        var small = limits
        small.fieldLength = 3
        let draft = ReportDraft(text: "x", when: "abcd", where: "abc", contact: "abcde").normalised()
        #expect(draft.issues(limits: small).map(\.field) == ["when", "contact"])
    }
}
