// The desk's handlers: each checks the form token of a POST, calls the backend and
// answers with a page or a redirect (303, post-redirect-get). Failures become the
// localised message of their kind with a truthful status: 400 for a bad field, 403 for a
// form token that does not check, 404 for an unknown case, 401 for a wrong passphrase,
// 502 when the server refused or could not be reached.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n

struct DeskHandlers: Sendable {
    let desk: Desk
    var session: DeskSession { desk.session }

    /// The largest form body accepted (a reply of about 60,000 characters).
    static let formLimit = 256 * 1024

    static func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var headers: HTTPFields = [.location: location]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }

    func pagesFor(_ request: Request) async -> DeskPages {
        let texts = DeskTexts.choose(configured: desk.configuration.language,
                                     acceptLanguage: request.headers[.acceptLanguage])
        return DeskPages(texts: texts, formSecret: await session.cookieSecret,
                         idleMinutes: desk.configuration.idleMinutesText)
    }

    /// The form fields of a POST whose token checks for its path, else nil.
    func readForm(_ request: Request) async throws -> DeskForm? {
        let body = try await request.body.collect(upTo: Self.formLimit)
        var form = DeskForm(parsing: Array(body.readableBytesView))
        guard let secret = await session.cookieSecret,
              DeskDoor.checkFormToken(form.text("token"), secret: secret, path: request.uri.path) else {
            form.wipe()
            return nil
        }
        return form
    }

    func refused(_ pages: DeskPages, unlocked: Bool) -> Response {
        Self.page(.forbidden, pages.problem(pages.texts["error.forbidden"], unlocked: unlocked))
    }

    // MARK: Door

    func start(_ request: Request) async throws -> Response {
        let pages = await pagesFor(request)
        guard let secret = await session.start(with: request.uri.queryParameters.get("s")) else {
            return Self.page(.forbidden, pages.door())
        }
        let value = secret.withUnsafeBytes { Base64URL.encode(Array($0)) }
        return Self.redirect("/", cookie: "\(DeskDoor.cookieName)=\(value); HttpOnly; SameSite=Strict; Path=/")
    }

    func unlock(_ request: Request) async throws -> Response {
        let pages = await pagesFor(request)
        guard var form = try await readForm(request) else { return refused(pages, unlocked: false) }
        defer { form.wipe() }
        guard let passphrase = form.secret("passphrase") else {
            return Self.page(.badRequest, pages.signIn(error: pages.texts["error.wrong_passphrase"]))
        }
        do {
            let keys = try await desk.backend.unlock(passphrase: passphrase)
            await session.unlocked(keys)
            return Self.redirect("/")
        } catch {
            let status: HTTPResponse.Status = error.kind == .wrongPassphrase ? .unauthorized : .internalServerError
            return Self.page(status, pages.signIn(error: pages.failureText(error)))
        }
    }

    func lock(_ request: Request) async throws -> Response {
        let pages = await pagesFor(request)
        guard var form = try await readForm(request) else { return refused(pages, unlocked: await session.isUnlocked) }
        form.wipe()
        await session.lock()
        return Self.redirect("/?locked=1")
    }

    // MARK: Pages

    /// The open keys, or the sign-in page to answer with.
    enum Access {
        case open(any DeskKeys)
        case signIn(Response)
    }

    /// The keys, or the sign-in page to answer with.
    func keys(_ request: Request, _ pages: DeskPages) async -> Access {
        if let keys = await session.useKeys() { return .open(keys) }
        let locked = request.uri.queryParameters.get("locked") != nil
        return .signIn(Self.page(.ok, pages.signIn(locked: locked)))
    }

    func inbox(_ request: Request) async throws -> Response {
        let pages = await pagesFor(request)
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        let today = Day.today()
        var message = pages.syncLine(await desk.syncMonitor.state)
        if let count = request.uri.queryParameters.get("synced").flatMap({ Int($0) }) {
            message = pages.notice(pages.texts.format("done.sync", String(count)), error: false)
        } else if request.uri.queryParameters.get("caseforms") == "deleted" {
            message = pages.notice(pages.texts["caseforms.done.deleted"], error: false)
        }
        // The filters are parsed here, at the edge; a value that does not parse is a 400.
        let filter: DeskInboxFilter
        do {
            filter = try DeskInboxFilter(parameters: DeskForm(parsing: Array((request.uri.query ?? "").utf8)).textFields)
        } catch {
            return Self.page(.badRequest, pages.problem(pages.texts["filter.error." + error.rawValue], unlocked: true))
        }
        do {
            let all = try await desk.backend.inbox(keys: keys, today: today)
            return try await inboxPage(all, filter: filter, keys: keys, today: today, pages: pages, message: message)
        } catch let failure as DeskInboxFilter.Problem {
            return Self.page(.badRequest, pages.problem(pages.texts["filter.error." + failure.rawValue], unlocked: true))
        } catch {
            let error = (error as? DeskFailure) ?? DeskFailure(.other)
            return Self.page(Self.status(of: error), pages.problem(pages.failureText(error), unlocked: true))
        }
    }

    func casePage(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let pages = await pagesFor(request)
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        guard let reference = Self.reference(context) else {
            return Self.page(.notFound, pages.problem(pages.texts["error.unknown_case"], unlocked: true))
        }
        var message = HTML.empty
        if let done = request.uri.queryParameters.get("done"), ["reply", "status", "note"].contains(done) {
            message = pages.notice(pages.texts["done." + done], error: false)
        } else if let done = request.uri.queryParameters.get("caseforms"), DeskCaseFormState.done.contains(done) {
            message = pages.notice(pages.texts["caseforms.done." + done], error: false)
        }
        return await render(reference, keys: keys, pages: pages, message: message, status: .ok,
                            composer: DeskComposerInput(template: request.uri.queryParameters.get("template").map { String($0) }))
    }

    func render(_ reference: CaseReference, keys: any DeskKeys, pages: DeskPages, message: HTML,
                status: HTTPResponse.Status, composer input: DeskComposerInput = DeskComposerInput(),
                caseForm: DeskCaseFormState? = nil) async -> Response {
        do {
            let forms = try await desk.backend.caseForms(reference, keys: keys)
            let thread = pages.labelled(try await desk.backend.thread(reference, keys: keys), scheme: forms.scheme)
            return Self.page(status, pages.casePage(thread, message: message, composer: composer(for: thread, input),
                                                    caseForms: pages.caseForms(reference, forms, state: caseForm)))
        } catch {
            return Self.page(Self.status(of: error), pages.problem(pages.failureText(error), unlocked: true))
        }
    }

    // MARK: Forms

    func sync(_ request: Request) async throws -> Response {
        try await action(request, reference: nil) { keys, _ in
            let backend = desk.backend
            let count = try await desk.syncMonitor.sync { () async throws(DeskFailure) -> Int in try await backend.sync(keys: keys) }
            return "/?synced=\(count)"
        }
    }

    func reply(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try await action(request, reference: Self.reference(context), preview: { keys, form in
            await preview(request, context, keys: keys, form: form)
        }) { keys, form in
            let reference = try Self.required(Self.reference(context))
            try await desk.backend.reply(reference, text: try Self.replyText(form), keys: keys)
            return "/cases/\(reference.text)?done=reply"
        }
    }

    func note(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try await action(request, reference: Self.reference(context)) { keys, form in
            let reference = try Self.required(Self.reference(context))
            try await desk.backend.note(reference, text: try Self.text(form), keys: keys)
            return "/cases/\(reference.text)?done=note"
        }
    }

    func status(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try await action(request, reference: Self.reference(context)) { keys, form in
            let reference = try Self.required(Self.reference(context))
            guard let status = form.text("status").flatMap(CaseStatus.init(rawValue:)) else {
                throw DeskFailure(.badStatus)
            }
            try await desk.backend.setStatus(reference, status, keys: keys)
            return "/cases/\(reference.text)?done=status"
        }
    }

    /// A POST: token, keys, the work, then a redirect; a failure shows the case (or the
    /// inbox) again with the message above it.
    private func action(_ request: Request, reference: CaseReference?,
                        preview: ((any DeskKeys, DeskForm) async -> Response?)? = nil,
                        _ work: (any DeskKeys, DeskForm) async throws -> String) async throws -> Response {
        let pages = await pagesFor(request)
        guard var form = try await readForm(request) else { return refused(pages, unlocked: await session.isUnlocked) }
        defer { form.wipe() }
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        if let preview, let shown = await preview(keys, form) { return shown }
        do {
            return Self.redirect(try await work(keys, form))
        } catch {
            let error = (error as? DeskFailure) ?? DeskFailure(.other)
            let text = pages.failureText(error)
            let status = Self.status(of: error)
            if let reference, error.kind != .unknownCase {
                // A reply that was not sent stays in the composer.
                let kept = request.uri.path.hasSuffix("/reply") ? DeskComposerInput(text: form.text("text")) : DeskComposerInput()
                return await render(reference, keys: keys, pages: pages, message: pages.notice(text, error: true),
                                    status: status, composer: kept)
            }
            return Self.page(status, pages.problem(text, unlocked: true))
        }
    }

    // MARK: Fields

    static func reference(_ context: BasicRequestContext) -> CaseReference? {
        context.parameters.get("ref").flatMap { try? CaseReference(parsing: $0) }
    }

    static func required(_ reference: CaseReference?) throws(DeskFailure) -> CaseReference {
        guard let reference else { throw DeskFailure(.unknownCase) }
        return reference
    }

    /// The longest reply or note accepted, in characters.
    static let maximumText = 60_000

    static func text(_ form: DeskForm) throws(DeskFailure) -> String {
        let text = (form.text("text") ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw DeskFailure(.emptyText) }
        guard text.count <= maximumText else { throw DeskFailure(.textTooLong) }
        return text
    }

    static func status(of failure: DeskFailure) -> HTTPResponse.Status {
        switch failure.kind {
        case .wrongPassphrase: .unauthorized
        case .unknownCase: .notFound
        case .emptyText, .badStatus, .placeholderLeft: .badRequest
        case .attachmentUnknown: .notFound
        case .attachmentDamaged: .unprocessableContent
        case .unknownMember, .badDay, .badCoding, .emptyReason, .referenceMismatch: .badRequest
        case .ownDeletion, .deletionConflict: .conflict
        case .leadRequired, .notLead: .forbidden
        case .badField: .badRequest
        case .textTooLong: .contentTooLarge
        case .server: .badGateway
        case .storeUnreadable, .other: .internalServerError
        }
    }
}
