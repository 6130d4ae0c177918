// Every response, error pages included, carries the security headers; failures are
// turned into localised pages or JSON here, so no handler can leak an error's text.
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SealboxCore

/// The Content-Security-Policy of every response: nothing but our own stylesheet and images.
let contentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/// Maps every error to a fixed, localised public answer and adds the security headers to
/// every response, error answers included.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: PageFactory
    let logger: Logger
    /// The onion service's origin (e.g. `http://abc….onion`); pages then advertise it
    /// with `Onion-Location`, so that Tor Browser offers to switch.
    var onionOrigin: String? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as PublicError {
            response = pages.errorResponse(error, for: request)
        } catch let error as HTTPError {
            response = pages.errorResponse(Self.publicError(for: error.status), for: request)
        } catch where String(reflecting: type(of: error)).hasPrefix("NIO") {
            // The client broke off its request (a truncated upload, a closed connection).
            logger.debug("request aborted by the client")
            response = pages.errorResponse(.malformedBody, for: request)
        } catch {
            logger.error("request failed", metadata: ["error.type": "\(String(reflecting: type(of: error)))"])
            response = pages.errorResponse(.internalError, for: request)
        }
        Self.secure(&response.headers)
        if let onionOrigin, response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[HTTPField.Name("Onion-Location")!] = onionOrigin + request.uri.path
        }
        return response
    }

    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        headers[.server] = nil
        headers[.eTag] = nil
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }

    static func publicError(for status: HTTPResponse.Status) -> PublicError {
        switch status.code {
        case 404: .notFound
        case 405: PublicError(.methodNotAllowed, "error.method_not_allowed")
        case 413: .bodyTooLarge
        case 415: .unsupportedMediaType
        case 400..<500: PublicError(status, "error.malformed_body")
        default: .internalError
        }
    }
}
