// The HTTP boundary decides what leaks: every failure a client can cause maps to a
// fixed status and a localised message key. User input is never echoed, and anything
// unexpected becomes a bare 500.
import HTTPTypes
import SealboxCore

/// A failure with a status and a fixed, localised public message.
public struct PublicError: Error, Sendable, Equatable {
    public let status: HTTPResponse.Status
    /// Catalogue key of the message, e.g. `error.body_too_large`.
    public let messageKey: String
    /// Field problems, for form re-rendering and JSON details.
    public var issues: [ValidationIssue] = []
    /// Seconds for a Retry-After header.
    public var retryAfter: Int?
    /// Methods for an Allow header (405).
    public var allow: String?
    /// The machine code of the JSON API when it is more precise than the message key's.
    private var specificCode: String?

    public init(_ status: HTTPResponse.Status, _ messageKey: String, issues: [ValidationIssue] = [], retryAfter: Int? = nil,
                allow: String? = nil, code: String? = nil) {
        self.status = status
        self.messageKey = messageKey
        self.issues = issues
        self.retryAfter = retryAfter
        self.allow = allow
        self.specificCode = code
    }

    /// The machine code of the JSON API: the given code, else the key without its `error.` prefix.
    public var code: String {
        specificCode ?? (messageKey.hasPrefix("error.") ? String(messageKey.dropFirst(6)) : messageKey)
    }

    static let bodyTooLarge = PublicError(.contentTooLarge, "error.body_too_large")
    static let invalidUTF8 = PublicError(.badRequest, "error.invalid_utf8")
    static let malformedBody = PublicError(.badRequest, "error.malformed_body")
    static let unsupportedMediaType = PublicError(.unsupportedMediaType, "error.unsupported_media_type")
    static let tooManyFiles = PublicError(.unprocessableContent, "error.too_many_files", issues: [.init(field: "attachment", messageKey: "error.too_many_files")])
    static let fileTooLarge = PublicError(.contentTooLarge, "error.file_too_large", issues: [.init(field: "attachment", messageKey: "error.file_too_large")])
    /// The key-derivation pool is full (503); `retryAfter` comes from the pool's own estimate.
    static func busy(retryAfter: Int) -> PublicError {
        PublicError(.serviceUnavailable, "error.busy", retryAfter: retryAfter)
    }
    static let notFound = PublicError(.notFound, "error.not_found")
    /// A staff sync cursor that names no item (400, code `unknown_cursor`).
    static let unknownCursor = PublicError(.badRequest, "error.malformed_body", code: "unknown_cursor")
    static let unauthorized = PublicError(.unauthorized, "error.unauthorized")
    static let internalError = PublicError(.internalServerError, "error.internal")
    /// The disk is full or below `storage.reserve`: nothing was stored (507).
    static let insufficientStorage = PublicError(.init(code: 507, reasonPhrase: "Insufficient Storage"), "error.storage_full")
    /// A multipart part whose headers exceed their cap (bytes or count), refused at once.
    static let partHeadersTooLarge = PublicError(.contentTooLarge, "error.body_too_large", code: "part_headers_too_large")

    /// What a form given back shows: the field problems, or else the message of the whole refusal.
    var fieldErrors: [FieldError] {
        issues.isEmpty ? [FieldError(field: "", messageKey: messageKey)] : issues.map { FieldError(field: $0.field, messageKey: $0.messageKey) }
    }

    /// A validation failure of the report's fields (422).
    static func invalid(_ issues: [ValidationIssue]) -> PublicError {
        PublicError(.unprocessableContent, issues.first?.messageKey ?? "error.malformed_body", issues: issues)
    }
}
