// Chooses the language of a request and turns pages and errors into responses.
import Foundation
import HTTPTypes
import Hummingbird
import SealboxAPI
import SealboxCore
import SealboxL10n
import SealboxHTML

/// Renders localised pages and error answers for one installation.
struct PageFactory: Sendable {
    /// The office, from the configuration: one value for every page.
    let office: Office
    let limits: SubmissionLimits
    let inboxAvailable: Bool

    /// The pages of the installation `configuration` describes.
    init(_ configuration: ServerConfiguration) {
        self.init(office: configuration.office, limits: configuration.limits, inboxAvailable: true)
    }

    init(office: Office, limits: SubmissionLimits, inboxAvailable: Bool) {
        self.office = office
        self.limits = limits
        self.inboxAvailable = inboxAvailable
    }

    func context(for request: Request) -> PageContext {
        let choice = LanguageNegotiation.choose(
            query: request.uri.queryParameters.get("lang"),
            acceptLanguage: request.headers[.acceptLanguage])
        return PageContext(
            localiser: Localiser(choice.language), langFromQuery: choice.fromQuery, path: request.uri.path,
            office: office, inboxAvailable: inboxAvailable)
    }

    var formLimits: FormLimits {
        FormLimits(
            textLength: limits.textLength, attachmentCount: limits.attachmentCount,
            attachmentSize: limits.attachmentSize, attachmentTotal: limits.attachmentTotal)
    }

    func html(_ body: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.markup)))
    }

    /// A page for this request's language, with Content-Language set.
    func html(_ body: HTML, status: HTTPResponse.Status = .ok, context ctx: PageContext) -> Response {
        var response = html(body, status: status)
        response.headers[.contentLanguage] = ctx.localiser.language.tag
        return response
    }

    /// The answer to a failure: JSON under `/api/`, a localised page elsewhere.
    func errorResponse(_ error: PublicError, for request: Request) -> Response {
        let ctx = context(for: request)
        var response: Response
        if request.uri.path.hasPrefix("/api/") {
            let body = APIErrorBody(error: .init(
                code: error.code, message: ctx.localiser[error.messageKey],
                fields: error.issues.isEmpty ? nil : error.issues.map { .init(field: $0.field, code: PublicError(.badRequest, $0.messageKey).code, message: ctx.localiser[$0.messageKey]) }))
            response = json(body, status: error.status)
        } else {
            response = html(Pages.error(ctx, status: Int(error.status.code)), status: error.status)
        }
        response.headers[.contentLanguage] = ctx.localiser.language.tag
        Self.describe(error, in: &response.headers)
        return response
    }

    /// A page that answers `error` in place of the error page (a form given back filled),
    /// with the error's truthful status and headers.
    /// `leftUnread` closes the connection: part of the body was never read.
    func refusal(_ page: HTML, _ error: PublicError, leftUnread: Bool, context ctx: PageContext) -> Response {
        var response = html(page, status: error.status, context: ctx)
        Self.describe(error, in: &response.headers)
        if leftUnread { response.headers[.connection] = "close" }
        return response
    }

    /// The headers an error brings: Retry-After, Allow, and a closed connection after a 413.
    static func describe(_ error: PublicError, in headers: inout HTTPFields) {
        if let retry = error.retryAfter { headers[.retryAfter] = String(retry) }
        if let allow = error.allow { headers[.allow] = allow }
        if error.status == .contentTooLarge { headers[.connection] = "close" }
    }

    func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let data = (try? APICoding.encoder().encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
