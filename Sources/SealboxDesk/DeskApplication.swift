// The desk's HTTP side (docs/design/DESK.md §4, §5): Hummingbird on 127.0.0.1 only. The
// door middleware runs first on every request: Host (421), the session cookie (else the
// door page, 403), the origin of a POST (403), and the headers every answer carries. The
// handlers check each form's token, call the DeskBackend and answer with a page or a
// redirect (303). No request line is logged; the start address is printed once.
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SealboxCore
import SealboxCrypto
import SealboxL10n

/// How a desk is run.
public struct DeskConfiguration: Sendable {
    /// The port on 127.0.0.1; 0 lets the system choose.
    public var port: Int
    /// Minutes without a request after which the keys are wiped.
    public var idleLock: Duration
    /// The idle lock as shown on the sign-in page, in minutes.
    public var idleMinutesText: String
    /// A fixed language ("de" or "en"), else the browser's.
    public var language: String?
    /// How often the desk syncs in the background while unlocked (nil: only once after each sign-in).
    public var syncInterval: Duration?

    public init(port: Int = 0, idleLock: Duration = .seconds(15 * 60), idleMinutesText: String = "15", language: String? = nil,
                syncInterval: Duration? = .seconds(5 * 60)) {
        self.port = port
        self.idleLock = idleLock
        self.idleMinutesText = idleMinutesText
        self.language = language
        self.syncInterval = syncInterval
    }
}

/// The headers of every answer of the desk.
public enum DeskHeaders {
    public static let contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        + "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func add(to fields: inout HTTPFields) {
        // An attachment's bytes carry their own policy (`sandbox`, DeskAttachments.swift).
        if fields[.contentSecurityPolicy] == nil { fields[.contentSecurityPolicy] = contentSecurityPolicy }
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        fields[.cacheControl] = "no-store"
    }
}

/// The desk: a session, a backend and the routes over them.
public struct Desk: Sendable {
    let configuration: DeskConfiguration
    let backend: any DeskBackend
    public let session: DeskSession
    /// The syncs, in the background and on demand, and how the last one ended.
    public let syncMonitor = DeskSyncMonitor()

    public init(configuration: DeskConfiguration, backend: any DeskBackend) {
        self.configuration = configuration
        self.backend = backend
        self.session = DeskSession(idleLock: configuration.idleLock)
    }

    /// Runs until SIGINT or SIGTERM; `started` is called with the start address once listening.
    /// The keys are wiped at the end.
    public func run(started: @escaping @Sendable (String) async -> Void) async throws {
        var logger = Logger(label: "sealbox-desk")
        logger.logLevel = .error
        let session = self.session
        let (syncMonitor, backend, syncInterval) = (self.syncMonitor, self.backend, configuration.syncInterval)
        let app = Application(
            router: buildRouter(),
            configuration: .init(address: .hostname("127.0.0.1", port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                await session.setPort(port)
                guard let secret = await session.startSecretText() else { return }
                await started("http://127.0.0.1:\(port)/start?s=\(secret)")
            },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Locks an idle session even when no request comes.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    _ = await session.isUnlocked
                }
            }
            group.addTask {
                await syncMonitor.runBackground(session: session, interval: syncInterval) { keys throws(DeskFailure) in
                    try await backend.sync(keys: keys)
                }
            }
            group.addTask {
                // Background work of an unlocked session (the search index); the desk's end wipes the keys.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    guard let (keys, _) = await session.backgroundKeys() else { continue }
                    await withTaskCancellationHandler {
                        await backend.backgroundWork(keys: keys)
                    } onCancel: {
                        keys.wipe()
                    }
                }
            }
            defer { group.cancelAll() }
            try await app.runService()
        }
        await session.lock()
    }

    /// The routes, behind the door middleware.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: DoorMiddleware(session: session, language: configuration.language))
        let handlers = DeskHandlers(desk: self)
        router.get("/desk.css") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: DeskStylesheet.css)))
        }
        router.get("/start") { request, _ -> Response in try await handlers.start(request) }
        router.get("/") { request, _ -> Response in try await handlers.inbox(request) }
        router.post("/unlock") { request, _ -> Response in try await handlers.unlock(request) }
        router.post("/lock") { request, _ -> Response in try await handlers.lock(request) }
        router.post("/sync") { request, _ -> Response in try await handlers.sync(request) }
        router.get("/cases/:ref") { request, context -> Response in try await handlers.casePage(request, context) }
        router.post("/cases/:ref/reply") { request, context -> Response in try await handlers.reply(request, context) }
        router.post("/cases/:ref/status") { request, context -> Response in try await handlers.status(request, context) }
        router.post("/cases/:ref/note") { request, context -> Response in try await handlers.note(request, context) }
        router.get("/cases/:ref/attachments/:id") { request, context -> Response in try await handlers.attachment(request, context) }
        handlers.addCaseFormRoutes(to: router)
        router.get("/statistics") { request, _ -> Response in try await handlers.statistics(request, view: .page) }
        router.get("/statistics.csv") { request, _ -> Response in try await handlers.statistics(request, view: .csv) }
        router.get("/statistics/print") { request, _ -> Response in try await handlers.statistics(request, view: .printable) }
        router.get("/audit") { request, _ -> Response in try await handlers.audit(request) }
        router.get("/team") { request, _ -> Response in try await handlers.teamPage(request) }
        for (path, form) in [("/team/add", DeskHandlers.TeamForm.add), ("/team/remove", .remove),
                             ("/team/remove/confirm", .removeConfirm), ("/team/rotate", .rotate),
                             ("/team/rotate/confirm", .rotateConfirm), ("/team/restrict", .restrict)] {
            router.post(RouterPath(path)) { request, _ -> Response in try await handlers.teamChange(request, form: form) }
        }
        return router
    }
}

extension DeskSession {
    /// The port the desk listens on, once known.
    func setPort(_ port: Int) { self.port = port }
}

/// Host, cookie and origin checks, and the headers of every answer.
struct DoorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let session: DeskSession
    let language: String?

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await answer(request, context: context, next: next)
        } catch {
            // Any other failure (a body too large, a broken connection) gets a bare page with its status.
            let texts = DeskTexts.choose(configured: language, acceptLanguage: request.headers[.acceptLanguage])
            let pages = DeskPages(texts: texts, formSecret: nil, idleMinutes: "")
            let status = (error as? HTTPError)?.status ?? .internalServerError
            let key = status == .notFound ? "error.not_found" : "error.other"
            response = DeskHandlers.page(status, pages.problem(texts[key], unlocked: false))
        }
        DeskHeaders.add(to: &response.headers)
        return response
    }

    private func answer(_ request: Request, context: Context,
                        next: (Request, Context) async throws -> Response) async throws -> Response {
        let door = DeskDoor(port: await session.port)
        let texts = DeskTexts.choose(configured: language, acceptLanguage: request.headers[.acceptLanguage])
        let pages = DeskPages(texts: texts, formSecret: nil, idleMinutes: "")
        guard door.acceptsHost(request.head.authority) else {
            return DeskHandlers.page(.misdirectedRequest, pages.door())
        }
        if request.method != .get && request.method != .head,
           !door.acceptsOrigin(origin: request.headers[.origin], referer: request.headers[.referer],
                               fetchSite: request.headers[HTTPField.Name("Sec-Fetch-Site")!]) {
            return DeskHandlers.page(.forbidden, pages.problem(texts["error.forbidden"], unlocked: false))
        }
        let path = request.uri.path
        if path == "/start" || path == "/desk.css" {
            return try await next(request, context)
        }
        guard await session.admits(cookie: DeskDoor.cookie(DeskDoor.cookieName, in: request.headers[.cookie])) else {
            return DeskHandlers.page(.forbidden, pages.door())
        }
        return try await next(request, context)
    }
}
