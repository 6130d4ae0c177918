import Foundation
import HTTPTypes
import SealboxCore
import SealboxCrypto
import SealboxL10n
import Testing
@testable import SealboxDesk

@Suite struct DeskCaseFormsTests {
    static let reference = try! CaseReference(parsing: "7KQM-3XWP")
    static let scheme = try! CodingScheme.load()

    static func forms(coding: CodingChoice? = nil, deletion: DeskPendingDeletion? = nil) -> DeskCaseForms {
        DeskCaseForms(members: [.init(value: "aaaaaaaaaaaaaaaa", label: "aaaaaaaaaaaaaaaa (you)"),
                                .init(value: "Ben <b>", label: "Ben <b>")],
                      assigned: "Ben <b>", followUp: Day("2027-01-15"), scheme: scheme, coding: coding,
                      expires: Day("2029-12-01"), retainedUntil: nil, deletion: deletion)
    }

    func pages(_ tag: String, secret: SecureBytes = SecureBytes.random(count: 32)) -> DeskPages {
        DeskPages(texts: DeskTexts.localiser(tag: tag)!, formSecret: secret, idleMinutes: "15")
    }

    func page(_ tag: String, forms: DeskCaseForms = forms(), state: DeskCaseFormState? = nil) -> String {
        let pages = pages(tag)
        return pages.casePage(DeskPagesTests.thread, caseForms: pages.caseForms(Self.reference, forms, state: state))
    }

    // MARK: Parsing

    @Test func day_acceptsTheDateInputAndTheGermanWriting() throws {
        #expect(try DeskCaseFormFields.day("2027-03-31") == Day("2027-03-31"))
        #expect(try DeskCaseFormFields.day(" 31.3.2027 ") == Day("2027-03-31"))
        #expect(try DeskCaseFormFields.day("") == nil)
        for bad in ["2027-02-30", "31.02.2027", "tomorrow", "2027-3-31x", "1.1.27", "٣١.٠٣.٢٠٢٧"] {
            #expect(throws: DeskFailure(.badDay)) { try DeskCaseFormFields.day(bad) }
        }
    }

    @Test func retentionDay_mustLieAfterToday() throws {
        let today = Day("2026-12-01")!
        #expect(try DeskCaseFormFields.futureDay("2026-12-02", today: today) == Day("2026-12-02"))
        #expect(throws: DeskFailure(.badDay)) { try DeskCaseFormFields.futureDay("2026-12-01", today: today) }
        #expect(throws: DeskFailure(.badDay)) { try DeskCaseFormFields.futureDay("", today: today) }
    }

    @Test func reason_isRequiredAndTrimmed() throws {
        #expect(try DeskCaseFormFields.reason("  Klage läuft\r\nnoch  ") == "Klage läuft\nnoch")
        #expect(throws: DeskFailure(.emptyReason)) { try DeskCaseFormFields.reason(" \r\n ") }
        #expect(throws: DeskFailure(.emptyReason)) { try DeskCaseFormFields.reason(nil) }
        #expect(throws: DeskFailure(.textTooLong)) { try DeskCaseFormFields.reason(String(repeating: "x", count: 2_001)) }
    }

    @Test func typedReference_mustNameThisCase_inAnyCaseWithOrWithoutHyphen() throws {
        for typed in ["7KQM-3XWP", "7kqm 3xwp", " 7KQM3XWP "] {
            try DeskCaseFormFields.typedReference(typed, matches: Self.reference)
        }
        for typed in ["", "7KQM-3XWQ", "7KQM", nil] {
            #expect(throws: DeskFailure(.referenceMismatch)) { try DeskCaseFormFields.typedReference(typed, matches: Self.reference) }
        }
        #expect(DeskCaseFormFields.field(DeskFailure(.referenceMismatch), form: "delete") == "caseforms-delete-reference")
    }

    @Test func coding_readsRepeatedFieldsAndEmptySingleValuesAsNone() throws {
        let fields = ["grounds": ["racism", "religion"], "area": ["housing"], "form": [""], "interventions": ["advice"]]
        let choice = try DeskCaseFormFields.coding { fields[$0] ?? [] }
        #expect(choice == CodingChoice(grounds: ["racism", "religion"], area: "housing", interventions: ["advice"]))
        #expect(throws: DeskFailure(.badCoding)) { try DeskCaseFormFields.coding { _ in [""] } }
    }

    @Test func codingFailure_marksTheFieldsetOfItsDimension() {
        let failure = DeskFailure(.badCoding, detail: "\"x\" is not a value of area in the coding scheme advd-1")
        #expect(DeskCaseFormFields.field(failure, form: "code") == "caseforms-code-area")
        #expect(DeskCaseFormFields.field(DeskFailure(.badDay), form: "retain") == "caseforms-until")
        #expect(DeskCaseFormFields.field(DeskFailure(.emptyReason), form: "delete") == "caseforms-delete-reason")
        #expect(DeskCaseFormFields.field(DeskFailure(.server), form: "assign") == nil)
    }

    @Test func newFailures_haveTruthfulStatuses() {
        #expect(DeskHandlers.status(of: DeskFailure(.unknownMember)) == .badRequest)
        #expect(DeskHandlers.status(of: DeskFailure(.badCoding)) == .badRequest)
        #expect(DeskHandlers.status(of: DeskFailure(.ownDeletion)) == .conflict)
        #expect(DeskHandlers.status(of: DeskFailure(.leadRequired)) == .forbidden)
    }

    // MARK: Rendering

    @Test(arguments: ["de", "en"])
    func everyFormAndState_hasEveryText(_ tag: String) {
        let pending = DeskPendingDeletion(requestedBy: "Anna", mine: true, day: Day("2026-12-01")!, expires: Day("2026-12-15")!)
        var htmls = [page(tag), page(tag, forms: Self.forms(coding: CodingChoice(grounds: ["racism"]), deletion: pending))]
        for (form, field) in [("assign", "caseforms-member"), ("follow_up", "caseforms-follow-up"),
                              ("code", "caseforms-code-grounds"), ("retain", "caseforms-until"),
                              ("retain", "caseforms-retain-reason"), ("delete", "caseforms-delete-reason"),
                              ("delete", "caseforms-delete-reference")] {
            htmls.append(page(tag, state: DeskCaseFormState(form: form, field: field, message: "m", values: [:])))
        }
        let preview = DeskDeletionPreview(reportDay: Day("2026-11-30"), firstWords: "Mein Vorgesetzter …", deletion: pending)
        htmls.append(pages(tag).deletionConfirmation(Self.reference, preview))
        htmls.append(pages(tag).deletionConfirmation(Self.reference, DeskDeletionPreview(reportDay: nil, firstWords: nil, deletion: nil)))
        for html in htmls {
            #expect(!html.contains("⟦"), "a text is missing in \(tag)")
        }
        for key in ["unknown_member", "bad_day", "bad_coding", "empty_reason", "own_deletion", "deletion_conflict",
                    "lead_required", "reference_mismatch"] {
            #expect(!pages(tag).caseFormFailureText(DeskFailure(DeskFailure.Kind(rawValue: "caseforms." + key)!)).contains("⟦"))
        }
        for done in DeskCaseFormState.done.union(["deleted"]) {
            #expect(!pages(tag).texts["caseforms.done." + done].contains("⟦"))
        }
    }

    @Test func everyCaseForm_carriesTheTokenOfItsPath() {
        let secret = SecureBytes.random(count: 32)
        let pages = pages("en", secret: secret)
        let html = pages.casePage(DeskPagesTests.thread, caseForms: pages.caseForms(Self.reference, Self.forms(), state: nil))
        for action in ["assign", "follow-up", "code", "retain", "delete/request"] {
            let path = "/cases/7KQM-3XWP/" + action
            #expect(html.contains("action=\"\(path)\"><input type=\"hidden\" name=\"token\" value=\"\(DeskDoor.formToken(secret: secret, path: path))\""))
        }
        let confirm = pages.deletionConfirmation(Self.reference, DeskDeletionPreview(reportDay: nil, firstWords: nil, deletion: nil))
        let path = "/cases/7KQM-3XWP/delete/confirm"
        #expect(confirm.contains("value=\"\(DeskDoor.formToken(secret: secret, path: path))\""))
    }

    @Test func assignment_selectsTheAssignedMember_andEscapesLabels() {
        let html = page("en")
        #expect(html.contains("<option value=\"Ben &lt;b&gt;\" selected>Ben &lt;b&gt;</option>"))
        #expect(html.contains("<option value=\"\">Nobody</option>"))
        #expect(!html.contains("<b>"))
    }

    @Test func coding_isPrefilledWithTheCurrentCoding_asFieldsetsWithLegends() {
        let html = page("en", forms: Self.forms(coding: CodingChoice(grounds: ["racism", "age"], area: "housing")))
        #expect(html.contains("<fieldset id=\"caseforms-code-grounds\"><legend>"))
        #expect(html.contains("type=\"checkbox\" id=\"caseforms-code-grounds-racism\" name=\"grounds\" value=\"racism\" checked"))
        #expect(html.contains("type=\"checkbox\" id=\"caseforms-code-grounds-age\" name=\"grounds\" value=\"age\" checked"))
        #expect(!html.contains("value=\"religion\" checked"))
        #expect(html.contains("type=\"radio\" id=\"caseforms-code-area-housing\" name=\"area\" value=\"housing\" checked"))
        // Not coded: single dimensions start at "not stated".
        #expect(page("en").contains("id=\"caseforms-code-area-none\" name=\"area\" value=\"\" checked"))
    }

    @Test func failedForm_marksItsField_keepsTheValues_andNoOtherForm() {
        let state = DeskCaseFormState(form: "retain", field: "caseforms-retain-reason", message: "Reason missing",
                                      values: ["until": ["31.13.2027"], "reason": [""]])
        let html = page("en", state: state)
        #expect(html.contains("id=\"caseforms-retain-reason\" name=\"reason\" rows=\"3\" cols=\"60\" required aria-invalid=\"true\" aria-describedby=\"caseforms-retain-reason-error\""))
        #expect(html.contains("<span class=\"field-error\" id=\"caseforms-retain-reason-error\">Reason missing</span>"))
        #expect(html.contains("value=\"31.13.2027\""))
        #expect(html.components(separatedBy: "aria-invalid").count == 2)
        // A day that did not parse is shown again as typed, in a text input.
        let day = DeskCaseFormState(form: "follow_up", field: "caseforms-follow-up", message: "Bad day",
                                    values: ["day": ["<31.02.2027>"]])
        let dayHTML = page("en", state: day)
        #expect(dayHTML.contains("<input type=\"text\" id=\"caseforms-follow-up\" name=\"day\" value=\"&lt;31.02.2027&gt;\""))
        #expect(dayHTML.contains("aria-describedby=\"caseforms-follow-up-hint caseforms-follow-up-error\""))
        #expect(page("en").contains("<input type=\"date\" id=\"caseforms-follow-up\" name=\"day\" value=\"2027-01-15\""))
    }

    @Test func codingsInTheThread_areNamedByTheSchemesLabels() {
        let coding = DeskThreadItem(kind: .coding, day: Day("2026-12-01")!, author: "Anna", check: .checked, text: "",
                                    fields: [(key: "scheme", value: "advd"), (key: "grounds", value: "racism, religion"),
                                             (key: "area", value: "moon")])
        let thread = DeskThread(reference: Self.reference, status: nil, assigned: nil, followUp: nil, items: [coding])
        let fields = pages("de").labelled(thread, scheme: Self.scheme).items[0].fields
        #expect(fields[0] == (key: "scheme", value: "advd"))
        #expect(fields[1].value.hasSuffix(" (racism), Religion / Weltanschauung (religion)"))
        #expect(fields[1].value.contains("(racism)") && !fields[1].value.hasPrefix("racism"))
        #expect(fields[2] == (key: "area", value: "moon"))
    }

    @Test func pendingDeletion_replacesTheRequestForm_andLinksTheConfirmation() {
        let pending = DeskPendingDeletion(requestedBy: "Anna", mine: false, day: Day("2026-12-01")!, expires: Day("2026-12-15")!)
        let html = page("en", forms: Self.forms(deletion: pending))
        #expect(html.contains("Deletion requested by Anna on 2026-12-01. A second member can confirm it until 2026-12-15."))
        #expect(html.contains("href=\"/cases/7KQM-3XWP/delete\""))
        #expect(!html.contains("action=\"/cases/7KQM-3XWP/delete/request\""))
        #expect(page("en").contains("action=\"/cases/7KQM-3XWP/delete/request\""))
    }

    @Test func confirmation_showsTheDayAndTheFirstWords() {
        let preview = DeskDeletionPreview(reportDay: Day("2026-11-30"), firstWords: "Mein <i>Vorgesetzter</i> …",
                                          deletion: DeskPendingDeletion(requestedBy: "Anna", mine: true,
                                                                        day: Day("2026-12-01")!, expires: Day("2026-12-15")!))
        let html = pages("de").deletionConfirmation(Self.reference, preview)
        #expect(html.contains("<time datetime=\"2026-11-30\">2026-11-30</time>"))
        #expect(html.contains("<q>Mein &lt;i&gt;Vorgesetzter&lt;/i&gt; …</q>"))
        #expect(html.contains("Sie haben diese Löschung selbst beantragt"))
        #expect(html.contains("Fall 7KQM-3XWP endgültig löschen"))
    }
}
