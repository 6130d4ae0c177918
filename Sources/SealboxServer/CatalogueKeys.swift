// The catalogue keys the server builds at run time (vocabularies, months,
// statuses, error titles and messages). Rule: the German catalogue must hold
// every one; the daemon passes this list to SealboxL10n's loader at start, so a
// shipped or office catalogue that lacks one refuses start, naming file and key.
import SealboxL10n
import SealboxHTML

extension Catalogue {
    /// Message keys for validation and HTTP errors, used by the HTML pages and the JSON API alike.
    public static let messageKeys: [String] = [
        "error.text_missing", "error.text_too_long", "error.field_too_long", "error.invalid_utf8",
        "error.invalid_choice", "error.too_many_files", "error.file_too_large", "error.body_too_large",
        "error.unsupported_media_type", "error.malformed_body", "error.busy", "error.not_found",
        "error.method_not_allowed", "error.internal", "error.unauthorized",
        "error.code_malformed", "error.code_typo", "error.code_unknown", "error.rate_limited", "error.session_expired",
        "error.submissions_limited", "error.storage_full",
        "error.incident_invalid", "error.incident_too_early", "error.incident_future",
    ]

    /// Keys the code builds at run time (vocabularies, months, statuses), which must exist too.
    public static var derivedKeys: [String] {
        Vocabulary.grounds.map { "ground.\($0)" }
            + Vocabulary.areas.map { "area.\($0)" }
            + (1...12).map { "month.\($0)" }
            + Pages.caseStatuses.map { "inbox.status.\($0)" }
            + Pages.errorStatuses.flatMap { ["error.\($0).title", "error.\($0).message"] }
            + messageKeys
    }
}
