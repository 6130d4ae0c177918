// The report form (`GET /report`, and again after a failed `POST /report`).
// Rules: plain multipart POST that works without JavaScript; only `text` is
// required; on errors a summary at the top links to each field, and every
// field in error has aria-invalid and aria-describedby to its message. Every
// refusal (422, 413, 429, 503, …) gives the form back filled, never with files.
// Free-text fields are kept from spell checkers (which may send text to a vendor).
import SealboxL10n
import SealboxHTML

/// What the reporter entered, and what was wrong with it, for re-rendering the form.
public struct ReportFormState: Sendable {
    public var text: String
    public var when: String
    public var whereText: String
    public var contact: String
    /// The incident date's three inputs as typed (day optional).
    public var incidentYear: String
    public var incidentMonth: String
    public var incidentDay: String
    public var grounds: Set<String>
    public var area: String?
    public var errors: [FieldError]
    /// The HTTP status of the refusal: 422 for problems with fields; any other heads the
    /// message with the title of its error page (e.g. 503 "Busy right now").
    public var status: Int
    /// The names of the files the reporter had chosen; the form cannot keep files.
    public var filesToChooseAgain: [String]

    public init() {
        text = ""; when = ""; whereText = ""; contact = ""
        incidentYear = ""; incidentMonth = ""; incidentDay = ""
        grounds = []; area = nil; errors = []
        status = 422; filesToChooseAgain = []
    }
}

/// A problem with one field; `messageKey` is a catalogue key such as `error.text_missing`.
public struct FieldError: Sendable, Equatable {
    /// "text", "grounds", "area", "when", "incident", "where", "contact" or "attachment".
    public let field: String
    public let messageKey: String

    public init(field: String, messageKey: String) {
        self.field = field
        self.messageKey = messageKey
    }
}

/// The limits the form explains to the reporter.
public struct FormLimits: Sendable {
    public var textLength: Int
    public var attachmentCount: Int
    public var attachmentSize: Int
    public var attachmentTotal: Int

    public init(textLength: Int, attachmentCount: Int, attachmentSize: Int, attachmentTotal: Int) {
        self.textLength = textLength
        self.attachmentCount = attachmentCount
        self.attachmentSize = attachmentSize
        self.attachmentTotal = attachmentTotal
    }
}

extension Pages {
    /// The fields in the order they appear, which is also the order of the error summary.
    static let formFields = ["text", "grounds", "area", "when", "incident", "where", "contact", "attachment"]

    /// The report form, empty or filled with `state` and its errors.
    public static func reportForm(_ ctx: PageContext, state: ReportFormState, limits: FormLimits) -> HTML {
        let form = ReportFormRenderer(r: PageRenderer(ctx: ctx), state: state, limits: limits)
        let title = state.errors.isEmpty
            ? ctx.localiser["form.title"]
            : ctx.localiser.format("form.title.errors", ctx.localiser["form.title"])
        return form.r.document(title: title, main: form.main(), current: .report, pageClass: "page-form")
    }
}

private struct ReportFormRenderer {
    let r: PageRenderer
    let state: ReportFormState
    let limits: FormLimits

    /// The first error of each field (one message per field is enough).
    var errorsByField: [String: FieldError] {
        var result: [String: FieldError] = [:]
        for error in state.errors where result[error.field] == nil { result[error.field] = error }
        return result
    }

    func main() -> HTML {
        """
        <h1>\(r.t("form.title"))</h1>
        \(errorSummary())
        <p class="lead">\(r.t("form.intro"))</p>
        <p>\(r.t("form.required_note"))</p>
        <form method="post" enctype="multipart/form-data" action="\(r.href("/report"))" accept-charset="UTF-8" autocomplete="off" novalidate>
        \(textField())
        \(groundsField())
        \(areaField())
        \(lineField("when"))
        \(incidentField())
        \(lineField("where"))
        \(contactField())
        \(attachmentField())
        <p class="before-submit">\(r.t("form.submit.note"))</p>
        <p><button type="submit" class="button button-large">\(r.t("form.submit"))</button></p>
        </form>
        """
    }

    func errorSummary() -> HTML {
        let kept: HTML = state.text.isEmpty ? .empty : "<p>\(r.t("form.refused.kept"))</p>\n"
        return Pages.errorSummary(
            r, status: state.status, errors: state.errors, fields: Pages.formFields, message: { r.t($0.messageKey) },
            files: state.filesToChooseAgain, kept: kept)
    }

    /// Attributes for a control: described by its hint and error, invalid when in error.
    /// (A fieldset takes no aria-invalid; its inputs carry it instead.)
    func described(_ field: String, hint: Bool, markInvalid: Bool = true) -> HTML {
        var ids: [String] = []
        if hint { ids.append("hint-\(field)") }
        if errorsByField[field] != nil { ids.append("error-\(field)") }
        var attributes: HTML = ids.isEmpty ? .empty : " aria-describedby=\"\(escaping: ids.joined(separator: " "))\""
        if markInvalid, errorsByField[field] != nil { attributes += " aria-invalid=\"true\"" }
        return attributes
    }

    func errorMessage(_ field: String) -> HTML {
        guard let error = errorsByField[field] else { return .empty }
        return "<p class=\"field-error\" id=\"error-\(escaping: field)\"><span class=\"visually-hidden\">\(r.t("form.error.prefix")) </span>\(r.t(error.messageKey))</p>\n"
    }

    func groupClass(_ field: String) -> HTML {
        errorsByField[field] == nil ? "field" : "field field-has-error"
    }

    func textField() -> HTML {
        """
        <div class="\(groupClass("text"))">
        <label for="field-text">\(r.t("form.text.label"))</label>
        <p class="hint" id="hint-text">\(r.t("form.text.hint")) \(r.f("form.text.limit", r.ctx.localiser.number(limits.textLength)))</p>
        \(errorMessage("text"))<textarea id="field-text" name="text" rows="10" required autocomplete="off" spellcheck="false"\(described("text", hint: true))>\(escaping: state.text)</textarea>
        </div>
        """
    }

    func groundsField() -> HTML {
        let invalid: HTML = errorsByField["grounds"] == nil ? .empty : " aria-invalid=\"true\""
        let boxes = Vocabulary.grounds.enumerated().map { index, ground -> HTML in
            let id = index == 0 ? "field-grounds" : "field-grounds-\(ground)"
            let checked: HTML = state.grounds.contains(ground) ? " checked" : .empty
            return """
            <div class="choice">
            <input type="checkbox" id="\(escaping: id)" name="grounds" value="\(escaping: ground)"\(checked)\(invalid)>
            <label for="\(escaping: id)">\(r.t("ground.\(ground)"))</label>
            </div>

            """
        }.joined()
        return """
        <fieldset class="\(groupClass("grounds"))"\(described("grounds", hint: true, markInvalid: false))>
        <legend>\(r.t("form.grounds.legend"))</legend>
        <p class="hint" id="hint-grounds">\(r.t("form.grounds.hint"))</p>
        \(errorMessage("grounds"))<div class="choices">
        \(boxes)</div>
        </fieldset>
        """
    }

    func areaField() -> HTML {
        let invalid: HTML = errorsByField["area"] == nil ? .empty : " aria-invalid=\"true\""
        let chosen = state.area.flatMap { Vocabulary.areas.contains($0) ? $0 : nil }
        let none: HTML = chosen == nil ? " checked" : .empty
        var radios: HTML = """
        <div class="choice">
        <input type="radio" id="field-area" name="area" value=""\(none)\(invalid)>
        <label for="field-area">\(r.t("form.area.none"))</label>
        </div>

        """
        for area in Vocabulary.areas {
            let id = "field-area-\(area)"
            let checked: HTML = chosen == area ? " checked" : .empty
            radios += """
            <div class="choice">
            <input type="radio" id="\(escaping: id)" name="area" value="\(escaping: area)"\(checked)\(invalid)>
            <label for="\(escaping: id)">\(r.t("area.\(area)"))</label>
            </div>

            """
        }
        return """
        <fieldset class="\(groupClass("area"))"\(described("area", hint: true, markInvalid: false))>
        <legend>\(r.t("form.area.legend"))</legend>
        <p class="hint" id="hint-area">\(r.t("form.area.hint"))</p>
        \(errorMessage("area"))<div class="choices">
        \(radios)</div>
        </fieldset>
        """
    }

    func lineField(_ field: String) -> HTML {
        let value = field == "when" ? state.when : state.whereText
        return """
        <div class="\(groupClass(field))">
        <label for="field-\(escaping: field)">\(r.t("form.\(field).label"))</label>
        <p class="hint" id="hint-\(escaping: field)">\(r.t("form.\(field).hint"))</p>
        \(errorMessage(field))<input type="text" id="field-\(escaping: field)" name="\(escaping: field)" value="\(escaping: value)" autocomplete="off" spellcheck="false"\(described(field, hint: true))>
        </div>
        """
    }

    /// The incident date: three text inputs (day, month, year) in a fieldset, not a date
    /// picker, which Tor Browser and many screen readers handle badly; digits of any script
    /// are read (IncidentDate.entered). The first input carries `field-incident`, the
    /// target of the error summary's link.
    func incidentField() -> HTML {
        let invalid: HTML = errorsByField["incident"] == nil ? .empty : " aria-invalid=\"true\""
        func input(_ part: String, id: String, value: String, length: Int) -> HTML {
            """
            <div class="date-\(escaping: part)">
            <label for="\(escaping: id)">\(r.t("form.incident.\(part)"))</label>
            <input type="text" id="\(escaping: id)" name="incident_\(escaping: part)" value="\(escaping: value)" inputmode="numeric" maxlength="\(length)" autocomplete="off" spellcheck="false"\(invalid)>
            </div>

            """
        }
        return """
        <fieldset class="\(groupClass("incident"))"\(described("incident", hint: true, markInvalid: false))>
        <legend>\(r.t("form.incident.legend"))</legend>
        <p class="hint" id="hint-incident">\(r.t("form.incident.hint"))</p>
        \(errorMessage("incident"))<div class="date-inputs">
        \(input("day", id: "field-incident", value: state.incidentDay, length: 2))\(input("month", id: "field-incident-month", value: state.incidentMonth, length: 2))\(input("year", id: "field-incident-year", value: state.incidentYear, length: 4))</div>
        </fieldset>
        """
    }

    func contactField() -> HTML {
        """
        <div class="\(groupClass("contact"))">
        <label for="field-contact">\(r.t("form.contact.label"))</label>
        <div class="hint" id="hint-contact">
        <p>\(r.t("form.contact.hint"))</p>
        <p>\(r.t("form.contact.anonymity"))</p>
        <p>\(r.t("form.contact.sealed"))</p>
        </div>
        \(errorMessage("contact"))<textarea id="field-contact" name="contact" rows="3" autocomplete="off" spellcheck="false"\(described("contact", hint: true))>\(escaping: state.contact)</textarea>
        </div>
        """
    }

    func attachmentField() -> HTML {
        let localiser = r.ctx.localiser
        let again = state.errors.isEmpty ? .empty : Pages.chooseFilesAgain(r, files: state.filesToChooseAgain)
        return """
        <div class="\(groupClass("attachment"))">
        <label for="field-attachment">\(r.t("form.attachment.label"))</label>
        <div class="hint" id="hint-attachment">
        <p>\(r.f("form.attachment.limits", localiser.number(limits.attachmentCount), localiser.size(limits.attachmentSize), localiser.size(limits.attachmentTotal)))</p>
        <p>\(r.t("form.attachment.metadata"))</p>
        </div>
        \(again)\(errorMessage("attachment"))<input type="file" id="field-attachment" name="attachment" multiple\(described("attachment", hint: true))>
        </div>
        """
    }
}
