// The reporter's inbox: a code opens the case's thread (in memory, for this request
// only), the reporter writes again, and leaves. A typo is answered without any key
// derivation; every well-formed code costs the same derivation and lookup, and every
// unknown code gets the same answer. Attempts are rate-limited without storing addresses.
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxL10n

struct InboxController: Sendable {
    let conversation: Conversation
    let reader: SubmissionReader
    let pages: PageFactory
    /// The listener's code-attempt budget and storage reserve.
    let admission: Admission
    let visits: VisitStore
    let secureCookies: Bool

    func addRoutes(to router: Router<SealboxRequestContext>) {
        router.get("/inbox") { request, _ in
            let ctx = pages.context(for: request)
            return pages.html(Pages.inboxLogin(ctx, errorKey: nil, limits: pages.formLimits), context: ctx)
        }
        router.post("/inbox") { request, context in try await openPage(request, context) }
        router.post("/inbox/messages") { request, _ in try await followUpPage(request) }
        router.post("/inbox/leave") { request, _ in try await leave(request) }
        router.post("/api/v1/inbox") { request, context in try await openAPI(request, context) }
        router.post("/api/v1/inbox/messages") { request, context in try await followUpAPI(request, context) }
        for (path, allowed) in [("/inbox", [HTTPRequest.Method.get, .head, .post]), ("/inbox/messages", [.post]),
                                ("/inbox/leave", [.post]), ("/api/v1/inbox", [.post]), ("/api/v1/inbox/messages", [.post])] {
            router.refuseOtherMethods(RouterPath(path), allowed: allowed)
        }
    }

    // MARK: Codes

    /// Normalises a typed code; refuses typos and malformed input before any derivation.
    static func parseCode(_ text: String) throws -> ReporterCode {
        do {
            return try ReporterCode(normalising: text)
        } catch .typo {
            throw PublicError(.unprocessableContent, "error.code_typo", issues: [.init(field: "code", messageKey: "error.code_typo")])
        } catch {
            throw PublicError(.unprocessableContent, "error.code_malformed", issues: [.init(field: "code", messageKey: "error.code_malformed")])
        }
    }

    /// Counts an attempt against the client's and the global budget. The address is
    /// only hashed with a key that lives in memory; it is never logged or stored.
    func admit(_ request: Request, _ context: SealboxRequestContext) throws {
        try admission.admitCode(request, context)
    }

    /// Opens the thread of a code, mapping the domain's answers to public ones.
    func open(_ code: ReporterCode, _ request: Request, _ context: SealboxRequestContext) async throws -> CaseThread {
        try admit(request, context)
        do {
            return try await conversation.open(code)
        } catch is UnknownCode {
            throw PublicError(.notFound, "error.code_unknown")
        } catch is PoolSaturated {
            throw admission.busy
        }
    }

    // MARK: Pages

    func openPage(_ request: Request, _ context: SealboxRequestContext) async throws -> Response {
        let ctx = pages.context(for: request)
        let thread: CaseThread
        do {
            let fields = try await Self.formFields(request)
            thread = try await open(try Self.parseCode(fields["code"] ?? ""), request, context)
        } catch let error as PublicError where [422, 404, 429].contains(error.status.code) {
            var response = pages.html(Pages.inboxLogin(ctx, errorKey: error.messageKey, limits: pages.formLimits),
                                      status: error.status, context: ctx)
            if let retry = error.retryAfter { response.headers[.retryAfter] = String(retry) }
            return response
        }
        let (token, visit) = visits.start(record: thread.record, signingKey: thread.signingKey)
        var response = pages.html(Pages.inboxThread(ctx, thread: threadView(thread, formToken: visit.formToken), limits: pages.formLimits), context: ctx)
        response.headers[.setCookie] = cookie(token)
        return response
    }

    /// A follow-up from the thread page: the page after sending, or on any refusal the
    /// thread page again with the text given back, under the refusal's own status.
    func followUpPage(_ request: Request) async throws -> Response {
        let ctx = pages.context(for: request)
        let token = Self.cookieToken(request)
        guard token != nil else { return expired(ctx, request) }
        let echo = FormEcho()
        do {
            try admission.space.check(incoming: request.declaredLength ?? 0)
            let parsed = try await reader.read(request, allowJSON: false, echo: echo)
            defer { parsed.discard() }
            guard let visit = visits.visit(token: token, formToken: parsed.fields.visit) else { return expired(ctx, request) }
            let text = parsed.draft.normalised().text
            let issues = ReportDraft(text: text).issues(limits: reader.limits)
            guard issues.isEmpty else { throw PublicError.invalid(issues) }
            guard let signingKey = visit.signingKey else { return expired(ctx, request) }
            try await sendFollowUp(ReporterAccess(record: visit.record, signingKey: signingKey), text: text,
                                   attachments: parsed.attachments, lang: ctx.language.tag)
            return pages.html(Pages.inboxSent(ctx, visitToken: visit.formToken), context: ctx)
        } catch let error as PublicError {
            await reader.salvage(request, into: echo)
            guard let visit = visits.visit(token: token, formToken: echo.fields.visit) else { return expired(ctx, request) }
            var view = threadView(CaseThread(record: visit.record, messages: []), formToken: visit.formToken)
            view.followUpErrors = error.fieldErrors
            view.followUpText = echo.draft.text
            view.followUpStatus = Int(error.status.code)
            view.followUpFiles = echo.fileNames
            let page = Pages.inboxThread(ctx, thread: view, limits: pages.formLimits)
            return pages.refusal(page, error, leftUnread: echo.bodyLeftUnread, context: ctx)
        }
    }

    func leave(_ request: Request) async throws -> Response {
        let ctx = pages.context(for: request)
        let fields = try await Self.formFields(request)
        let token = Self.cookieToken(request)
        var response = pages.html(Pages.inboxLeft(ctx), context: ctx)
        // Only a leave from a page of this visit ends it: a forged one changes nothing.
        if visits.visit(token: token, formToken: fields["visit"]) != nil {
            visits.end(token: token)
            response.headers[.setCookie] = clearedCookie
        }
        return response
    }

    func expired(_ ctx: PageContext, _ request: Request) -> Response {
        var response = pages.html(Pages.inboxLogin(ctx, errorKey: "error.session_expired", limits: pages.formLimits),
                                  status: .forbidden, context: ctx)
        response.headers[.setCookie] = clearedCookie
        return response
    }

    // MARK: API

    func openAPI(_ request: Request, _ context: SealboxRequestContext) async throws -> Response {
        guard MediaType(request.headers[.contentType])?.type == "application/json" else { throw PublicError.unsupportedMediaType }
        let bytes = try await request.collectBody(limit: 4096)
        _ = try utf8(bytes)
        guard let body = try? APICoding.decode(CodeRequest.self, from: bytes) else { throw PublicError.malformedBody }
        let thread = try await open(try Self.parseCode(body.code), request, context)
        return pages.json(InboxThread(thread, deadlines: pages.office.notices.deadlines), status: .ok)
    }

    func followUpAPI(_ request: Request, _ context: SealboxRequestContext) async throws -> Response {
        try admission.space.check(incoming: request.declaredLength ?? 0)
        let parsed = try await reader.read(request, allowJSON: true)
        defer { parsed.discard() }
        let code = try Self.parseCode(parsed.fields.code)
        try admit(request, context)
        let access: ReporterAccess
        do {
            access = try await conversation.find(code)
        } catch is UnknownCode {
            throw PublicError(.notFound, "error.code_unknown")
        } catch is PoolSaturated {
            throw admission.busy
        }
        let text = parsed.draft.normalised().text
        let issues = ReportDraft(text: text).issues(limits: reader.limits)
        guard issues.isEmpty else { throw PublicError.invalid(issues) }
        let day = Day.today()
        let language = pages.context(for: request).language.tag
        try await sendFollowUp(access, text: text, attachments: parsed.attachments, day: day, lang: language)
        var response = pages.json(FollowUpCreated(case: access.record.reference, received: day), status: .created)
        response.headers[.contentLanguage] = language  // the language sealed with it (PROTOCOL §3.2 `lang`)
        return response
    }

    /// `lang`: the tag of the language the reporter used (PROTOCOL §3.2), sealed with the follow-up.
    func sendFollowUp(_ access: ReporterAccess, text: String, attachments: [SealedAttachment], day: Day = .today(),
                      lang: String? = nil) async throws {
        do {
            try await conversation.followUp(to: access, text: text, attachments: attachments, day: day,
                                            lang: lang.flatMap { try? LanguageTag(parsing: $0) })
        } catch is UnknownCode {
            throw PublicError(.notFound, "error.code_unknown")
        } catch {
            if PublicController.isDiskFull(error) { throw PublicError.insufficientStorage }
            throw error
        }
    }

    // MARK: Helpers

    func threadView(_ thread: CaseThread, formToken: String) -> InboxThreadView {
        let record = thread.record
        return InboxThreadView(
            caseReference: record.reference, status: record.status.rawValue, receivedDay: record.received,
            acknowledgedDay: record.acknowledged,
            acknowledgementDue: pages.office.notices.deadlines.acknowledgementDue(received: record.received),
            feedbackDue: pages.office.notices.deadlines.feedbackDue(received: record.received),
            messages: thread.messages.map {
                InboxMessageView(fromTeam: $0.author == .team, day: $0.day, text: $0.text, attachmentNames: $0.attachments.map(\.name))
            },
            visitToken: formToken, followUpErrors: [], followUpText: "")
    }

    static func formFields(_ request: Request) async throws -> [String: String] {
        guard MediaType(request.headers[.contentType])?.type == "application/x-www-form-urlencoded" else {
            throw PublicError.unsupportedMediaType
        }
        var values: [String: String] = [:]
        for (name, value) in try URLEncodedForm.parse(try await request.collectBody(limit: 4096)) { values[name] = value }
        return values
    }

    static func cookieToken(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == VisitStore.cookieName { return String(parts[1]) }
            }
        }
        return nil
    }

    func cookie(_ token: String) -> String {
        "\(VisitStore.cookieName)=\(token); Path=/inbox; HttpOnly; SameSite=Strict\(secureCookies ? "; Secure" : "")"
    }

    var clearedCookie: String {
        "\(VisitStore.cookieName)=; Path=/inbox; HttpOnly; SameSite=Strict; Expires=Thu, 01 Jan 1970 00:00:00 GMT\(secureCookies ? "; Secure" : "")"
    }
}

extension InboxThread {
    /// The reporter's view of a case opened with the code, with the office's deadlines.
    init(_ thread: CaseThread, deadlines: DeadlinePolicy) {
        let r = thread.record
        self.init(
            case: r.reference, status: r.status, received: r.received, acknowledged: r.acknowledged,
            acknowledgementDue: deadlines.acknowledgementDue(received: r.received),
            feedbackDue: deadlines.feedbackDue(received: r.received),
            messages: thread.messages.map {
                InboxThread.Message(author: $0.author.rawValue, day: $0.day, text: $0.text,
                                    attachments: $0.attachments.map { .init(name: $0.name, type: $0.type, size: $0.size) })
            })
    }
}
