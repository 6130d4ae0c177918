// The case page's forms of assignment, follow-up day, coding, retention and four-eyes
// deletion, and the deletion's confirmation page (docs/design/DESK.md §5). Each form
// posts with its token and is answered with a redirect (303); a form that failed is shown
// again with what was entered, its field marked (aria-invalid, aria-describedby) and the
// message beside it. Texts under caseforms.* in the desk's catalogues.
import SealboxCore
import SealboxHTML
import SealboxL10n

extension DeskPages {
    private func c(_ key: String) -> HTML { HTML(escaping: texts["caseforms." + key]) }

    /// The language tag the scheme's labels are chosen in.
    private var labelLanguage: String { texts.language.tag }

    /// The five sections of the case forms.
    func caseForms(_ reference: CaseReference, _ forms: DeskCaseForms, state: DeskCaseFormState?) -> HTML {
        let ref = reference.text
        return assignForm(ref, forms, state: state?.form == "assign" ? state : nil)
            + followUpForm(ref, forms, state: state?.form == "follow_up" ? state : nil)
            + codingForm(ref, forms, state: state?.form == "code" ? state : nil)
            + retentionForm(ref, forms, state: state?.form == "retain" ? state : nil)
            + deletionForm(ref, forms, state: state?.form == "delete" ? state : nil)
    }

    /// aria-invalid and aria-describedby for field `id` when the failed form marks it; `hint` is described always.
    private func marks(_ id: String, _ state: DeskCaseFormState?, hint: String? = nil) -> HTML {
        var described = [hint].compactMap { $0 }
        var out = HTML.empty
        if let state, state.field == id {
            out += " aria-invalid=\"true\""
            described.append(id + "-error")
        }
        if !described.isEmpty { out += " aria-describedby=\"\(escaping: described.joined(separator: " "))\"" }
        return out
    }

    /// The message beside field `id` when the failed form marks it.
    private func fieldError(_ id: String, _ state: DeskCaseFormState?) -> HTML {
        guard let state, state.field == id else { return .empty }
        return "<span class=\"field-error\" id=\"\(escaping: id)-error\">\(escaping: state.message)</span>"
    }

    private func section(_ id: String, _ heading: String, _ body: HTML) -> HTML {
        "<section aria-labelledby=\"\(escaping: id)\"><h2 id=\"\(escaping: id)\">\(c(heading))</h2>\n\(body)</section>\n"
    }

    // MARK: Assignment

    private func assignForm(_ ref: String, _ forms: DeskCaseForms, state: DeskCaseFormState?) -> HTML {
        let path = "/cases/\(ref)/assign", id = "caseforms-member"
        let chosen = state.map { $0.value("member") ?? "" } ?? forms.assigned ?? ""
        let nobody: HTML = chosen.isEmpty ? " selected" : .empty
        var options: HTML = "<option value=\"\"\(nobody)>\(c("assign.nobody"))</option>"
        for member in forms.members {
            let selected: HTML = member.value == chosen ? " selected" : .empty
            options += "<option value=\"\(escaping: member.value)\"\(selected)>\(escaping: member.label)</option>"
        }
        return section("caseforms-assign-h", "assign.heading", """
            <form method="post" action="\(escaping: path)">\(tokenField(path))
            <p><label for="\(escaping: id)">\(c("assign.label"))</label>
            <select id="\(escaping: id)" name="member"\(marks(id, state))>\(options)</select>\(fieldError(id, state))</p>
            <p><button type="submit">\(c("assign.submit"))</button></p>
            </form>

            """)
    }

    // MARK: Follow-up

    /// A date input; after a failure a text input, so that what was typed is kept as typed.
    private func dayInput(_ id: String, name: String, value: String, state: DeskCaseFormState?, hint: String,
                          required: Bool = false) -> HTML {
        let type = state?.field == id ? "text" : "date"
        let needed: HTML = required ? " required" : .empty
        return """
            <input type="\(escaping: type)" id="\(escaping: id)" name="\(escaping: name)" value="\(escaping: value)"\
            \(needed)\(marks(id, state, hint: hint))>
            """
    }

    private func followUpForm(_ ref: String, _ forms: DeskCaseForms, state: DeskCaseFormState?) -> HTML {
        let path = "/cases/\(ref)/follow-up", id = "caseforms-follow-up", hint = "caseforms-follow-up-hint"
        let value = state.map { $0.value("day") ?? "" } ?? forms.followUp?.text ?? ""
        let current: HTML = forms.followUp.map { day in
            "<p>\(escaping: texts.format("caseforms.follow_up.current", day.text))</p>\n"
        } ?? "<p>\(c("follow_up.none"))</p>\n"
        return section("caseforms-follow-up-h", "follow_up.heading", current + """
            <form method="post" action="\(escaping: path)">\(tokenField(path))
            <p><label for="\(escaping: id)">\(c("follow_up.label"))</label>
            \(dayInput(id, name: "day", value: value, state: state, hint: hint))\(fieldError(id, state))</p>
            <p class="hint" id="\(escaping: hint)">\(c("follow_up.hint"))</p>
            <p><button type="submit" name="action" value="set">\(c("follow_up.submit"))</button>
            <button type="submit" name="action" value="clear">\(c("follow_up.clear"))</button></p>
            </form>

            """)
    }

    // MARK: Coding

    private func codingForm(_ ref: String, _ forms: DeskCaseForms, state: DeskCaseFormState?) -> HTML {
        let path = "/cases/\(ref)/code"
        let scheme = forms.scheme
        func chosen(_ dimension: CodingScheme.Dimension) -> [String] {
            if let state { return state.values[dimension.rawValue] ?? [] }
            guard let coding = forms.coding else { return [] }
            switch dimension {
            case .grounds: return coding.grounds
            case .area: return coding.area.map { [$0] } ?? []
            case .form: return coding.form.map { [$0] } ?? []
            case .level: return coding.level.map { [$0] } ?? []
            case .interventions: return coding.interventions
            case .outcome: return coding.outcome.map { [$0] } ?? []
            }
        }
        var fieldsets = HTML.empty
        for dimension in CodingScheme.Dimension.allCases {
            let id = "caseforms-code-" + dimension.rawValue
            let marked = state?.field == id
            let invalid: HTML = marked ? " aria-invalid=\"true\"" : .empty
            let described: HTML = marked ? " aria-describedby=\"\(escaping: id)-error\"" : .empty
            let label = scheme.dimensionLabels[dimension]?[labelLanguage] ?? dimension.rawValue
            let selected = chosen(dimension)
            let type = dimension.multiple ? "checkbox" : "radio"
            var inputs = HTML.empty
            if !dimension.multiple {
                let none: HTML = selected.isEmpty ? " checked" : .empty
                inputs += """
                    <li><input type="radio" id="\(escaping: id)-none" name="\(escaping: dimension.rawValue)" value=""\
                    \(none)\(invalid)> <label for="\(escaping: id)-none">\(c("code.none"))</label></li>
                    """
            }
            for value in scheme.values[dimension] ?? [] {
                let checked: HTML = selected.contains(value.id) ? " checked" : .empty
                inputs += """
                    <li><input type="\(escaping: type)" id="\(escaping: id)-\(escaping: value.id)" \
                    name="\(escaping: dimension.rawValue)" value="\(escaping: value.id)"\(checked)\(invalid)> \
                    <label for="\(escaping: id)-\(escaping: value.id)">\(escaping: value.label(labelLanguage))</label></li>
                    """
            }
            let several: HTML = dimension.multiple ? HTML(escaping: " ") + c("code.several") : .empty
            fieldsets += """
                <fieldset id="\(escaping: id)"\(described)><legend>\(escaping: label)\(several)</legend>\
                \(fieldError(id, state))<ul class="choices">\(inputs)</ul></fieldset>

                """
        }
        let current: HTML = forms.coding == nil ? "<p>\(c("code.not_yet"))</p>\n" : .empty
        return section("caseforms-code-h", "code.heading", current + """
            <form method="post" action="\(escaping: path)">\(tokenField(path))
            <p>\(escaping: texts.format("caseforms.code.intro", scheme.titles[labelLanguage] ?? scheme.id))</p>
            \(fieldsets)<p><button type="submit">\(c("code.submit"))</button></p>
            </form>

            """)
    }

    // MARK: Retention

    private func retentionForm(_ ref: String, _ forms: DeskCaseForms, state: DeskCaseFormState?) -> HTML {
        let path = "/cases/\(ref)/retain", until = "caseforms-until", reason = "caseforms-retain-reason"
        let hint = "caseforms-until-hint"
        var current = HTML.empty
        if let expires = forms.expires {
            current += "<p>\(escaping: texts.format("caseforms.retain.expires", expires.text))</p>\n"
        }
        if let kept = forms.retainedUntil {
            current += "<p>\(escaping: texts.format("caseforms.retain.kept", kept.text))</p>\n"
        }
        return section("caseforms-retain-h", "retain.heading", current + """
            <form method="post" action="\(escaping: path)">\(tokenField(path))
            <p><label for="\(escaping: until)">\(c("retain.until"))</label>
            \(dayInput(until, name: "until", value: state?.value("until") ?? "", state: state, hint: hint,
                       required: true))\(fieldError(until, state))</p>
            <p class="hint" id="\(escaping: hint)">\(c("retain.hint"))</p>
            <p><label for="\(escaping: reason)">\(c("retain.reason"))</label>
            <textarea id="\(escaping: reason)" name="reason" rows="3" cols="60" required\(marks(reason, state))>\
            \(escaping: state?.value("reason") ?? "")</textarea>\(fieldError(reason, state))</p>
            <p><button type="submit">\(c("retain.submit"))</button></p>
            </form>

            """)
    }

    // MARK: Deletion

    private func pendingText(_ deletion: DeskPendingDeletion) -> HTML {
        var out: HTML = "<p class=\"pending\">\(escaping: texts.format("caseforms.delete.pending", deletion.requestedBy, deletion.day.text, deletion.expires.text))</p>\n"
        if deletion.mine { out += "<p>\(c("delete.mine"))</p>\n" }
        return out
    }

    private func deletionForm(_ ref: String, _ forms: DeskCaseForms, state: DeskCaseFormState?) -> HTML {
        if let deletion = forms.deletion {
            return section("caseforms-delete-h", "delete.heading", pendingText(deletion) + """
                <p><a href="/cases/\(escaping: ref)/delete">\(c("delete.review"))</a></p>

                """)
        }
        let path = "/cases/\(ref)/delete/request", reason = "caseforms-delete-reason"
        let typed = "caseforms-delete-reference"
        return section("caseforms-delete-h", "delete.heading", """
            <p>\(c("delete.intro"))</p>
            <form method="post" action="\(escaping: path)">\(tokenField(path))
            <p><label for="\(escaping: reason)">\(c("delete.reason"))</label>
            <textarea id="\(escaping: reason)" name="reason" rows="3" cols="60" required\(marks(reason, state))>\
            \(escaping: state?.value("reason") ?? "")</textarea>\(fieldError(reason, state))</p>
            <p><label for="\(escaping: typed)">\(escaping: texts.format("caseforms.delete.reference", ref))</label>
            <input type="text" id="\(escaping: typed)" name="reference" value="\(escaping: state?.value("reference") ?? "")" \
            autocomplete="off" spellcheck="false" required\(marks(typed, state))>\(fieldError(typed, state))</p>
            <p><button type="submit">\(c("delete.submit"))</button></p>
            </form>
            <p><a href="/cases/\(escaping: ref)/delete">\(c("delete.confirm_link"))</a></p>

            """)
    }

    /// The confirmation page of a deletion: the day the report arrived and its first words.
    func deletionConfirmation(_ reference: CaseReference, _ preview: DeskDeletionPreview, message: HTML = .empty) -> String {
        let ref = reference.text
        let path = "/cases/\(ref)/delete/confirm"
        let title = texts.format("caseforms.confirm.heading", ref)
        var main: HTML = "<h1>\(escaping: title)</h1>\n<dl>"
        if let day = preview.reportDay {
            main += "<dt>\(c("confirm.report_day"))</dt><dd><time datetime=\"\(escaping: day.text)\">\(escaping: day.text)</time></dd>"
        }
        if let words = preview.firstWords {
            main += "<dt>\(c("confirm.first_words"))</dt><dd><q>\(escaping: words)</q></dd>"
        }
        main += "</dl>\n"
        if let deletion = preview.deletion {
            main += pendingText(deletion)
        } else {
            main += "<p>\(c("confirm.no_request"))</p>\n"
        }
        main += """
            <p>\(c("confirm.warning"))</p>
            <form method="post" action="\(escaping: path)">\(tokenField(path))
            <p><button type="submit">\(escaping: texts.format("caseforms.confirm.submit", ref))</button></p>
            </form>
            <p><a href="/cases/\(escaping: ref)">\(c("confirm.back"))</a></p>
            """
        return layout(title: title, unlocked: true, message: message, main)
    }

    /// The thread with each coding's values named by the scheme's labels in the page's
    /// language, "Label (id)", as `sealbox show` names them; a value the scheme lacks stays its id.
    func labelled(_ thread: DeskThread, scheme: CodingScheme) -> DeskThread {
        var thread = thread
        for index in thread.items.indices where thread.items[index].kind == .coding {
            thread.items[index].fields = thread.items[index].fields.map { field in
                guard let dimension = CodingScheme.Dimension(rawValue: field.key) else { return field }
                let named = field.value.split(separator: ", ").map(String.init).map { id in
                    scheme.value(id, of: dimension).map { "\($0.label(labelLanguage)) (\(id))" } ?? id
                }
                return (field.key, named.joined(separator: ", "))
            }
        }
        return thread
    }

    /// The words of a failure of a case form.
    func caseFormFailureText(_ failure: DeskFailure) -> String {
        let raw = failure.kind.rawValue
        if raw.hasPrefix("caseforms.") { return texts["caseforms.error." + raw.dropFirst("caseforms.".count)] }
        return failureText(failure)
    }
}
