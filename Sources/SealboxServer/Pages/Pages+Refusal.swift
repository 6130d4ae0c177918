// A refused form (the report form, the inbox's follow-up form) comes back filled, with
// one error summary at the top that takes the focus. Rules: the summary says what went
// wrong (the field problems, or the refusal: busy, too large, too many attempts), that
// nothing was sent, and which files must be chosen again, by name; file names are
// escaped and isolated in their own direction (bdi).
import SealboxL10n
import SealboxHTML

extension Pages {
    /// The status whose title and message a page shows for `status`: its own, else 400 or 500.
    static func knownErrorStatus(_ status: Int) -> Int {
        errorStatuses.contains(status) ? status : (400..<500).contains(status) ? 400 : 500
    }

    /// The error summary of a refused form. `fieldErrors` are links to the fields
    /// (`fields` gives their order), other errors are plain items; `kept` says that
    /// nothing was sent and what the form still holds.
    static func errorSummary(
        _ r: PageRenderer, status: Int, errors: [FieldError], fields: [String], message: (FieldError) -> HTML,
        files: [String], kept: HTML
    ) -> HTML {
        guard !errors.isEmpty else { return .empty }
        var first: [String: FieldError] = [:]
        for error in errors where first[error.field] == nil { first[error.field] = error }
        let linked: [HTML] = fields.compactMap { field in
            first[field].map { "<li><a href=\"#field-\(escaping: field)\">\(message($0))</a></li>\n" }
        }
        // Errors for fields this form does not have (a refusal of the whole form) are plain items.
        let others: [HTML] = errors.filter { !fields.contains($0.field) }.map { "<li>\(message($0))</li>\n" }
        let again: HTML = files.isEmpty ? .empty : """
            <li><a href="#field-attachment">\(r.t("form.attachment.again.named"))</a>
            \(fileList(files))</li>

            """
        let known = knownErrorStatus(status)
        let heading = status == 422 ? r.t("form.errors.heading") : r.t("error.\(known).title")
        return """
        <div class="error-summary" role="alert" tabindex="-1" id="error-summary" autofocus aria-labelledby="error-summary-title">
        <h2 id="error-summary-title">\(heading)</h2>
        <ul>
        \(linked.joined())\(others.joined())\(again)</ul>
        \(kept)</div>
        """
    }

    /// The names of files to choose again, as a list.
    static func fileList(_ names: [String]) -> HTML {
        let items: [HTML] = names.map { "<li><bdi>\(escaping: $0)</bdi></li>\n" }
        return "<ul class=\"file-names\">\n\(items.joined())</ul>"
    }

    /// The notice at a refused form's file field: files are never kept; the names, when known.
    static func chooseFilesAgain(_ r: PageRenderer, files: [String]) -> HTML {
        let names: HTML = files.isEmpty ? .empty : fileList(files) + "\n"
        return "<p class=\"notice\">\(r.t("form.attachment.again"))</p>\n\(names)"
    }
}
