// The composition root (hummingbird-examples' `buildApplication`): storage, pepper, the
// key-derivation pool as a service, and the two listeners, built from one configuration.
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SealboxCore
import SealboxCrypto
import SealboxL10n
import ServiceLifecycle
import UnixSignals

/// Why the daemon refuses to start.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Everything a running daemon consists of: storage, the submission path, the two routers
/// and the key-derivation pool. `run()` serves both listeners and the pool as one service
/// group until SIGTERM or SIGINT.
public struct SealboxApplication {
    public let database: MailboxDatabase
    public let intake: Intake
    public let publicRouter: Router<SealboxRequestContext>
    public let staffRouter: Router<SealboxRequestContext>
    let configuration: ServerConfiguration
    let logger: Logger

    /// Runs both listeners and the pool until a graceful shutdown, then checkpoints the database.
    public func run() async throws {
        let publicApp = Application(
            router: publicRouter,
            configuration: .init(address: .hostname(configuration.publicListen.host, port: configuration.publicListen.port)),
            onServerRunning: { channel in Self.announce("public", channel) },
            logger: logger)
        let staffApp = Application(
            router: staffRouter,
            configuration: .init(address: .hostname(configuration.staffListen.host, port: configuration.staffListen.port)),
            onServerRunning: { channel in Self.announce("staff", channel) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [KDFPoolService(pool: intake.pool), publicApp, staffApp],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        try? database.checkpoint()
    }

    /// Prints where a listener is, on stdout, so that scripts can find a port chosen by the system.
    static func announce(_ name: String, _ channel: any Channel) {
        let port = channel.localAddress?.port ?? 0
        let host = channel.localAddress?.ipAddress ?? "?"
        let line = "sealboxd: \(name) listener on http://\(host.contains(":") ? "[\(host)]" : host):\(port)/\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}

/// The key-derivation pool as a service: its threads stop when the service group shuts down.
struct KDFPoolService: Service {
    let pool: BlockingPool

    func run() async throws {
        try? await gracefulShutdown()
        pool.shutdown()
    }
}

/// The composition root: opens storage and the pepper, builds the pool, the pages and
/// both routers from one configuration value. Refuses to start on a bad configuration,
/// pepper file or database. Tests build the same application.
public func buildApplication(configuration: ServerConfiguration, logger: Logger) throws -> SealboxApplication {
    do {
        _ = try Catalogue.loadShipped(requiredKeys: Catalogue.derivedKeys)
        if !configuration.l10nDirectory.isEmpty {
            CatalogueOverrides.install(try CatalogueOverrides.load(
                directory: configuration.l10nDirectory, requiredKeys: Catalogue.derivedKeys))
        }
    } catch {
        throw StartupError(description: "\(error)")
    }
    let storage = URL(fileURLWithPath: configuration.storagePath)
    do {
        try FileManager.default.createDirectory(
            at: storage, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
        throw StartupError(description: "storage.path \(storage.path) cannot be created")
    }
    let pepper: Pepper
    do {
        pepper = try PepperFile.loadOrCreate(path: configuration.resolvedPepperFile)
    } catch {
        throw StartupError(description: error.description)
    }
    let database: MailboxDatabase
    do {
        database = try MailboxDatabase(path: storage.appendingPathComponent("sealbox.sqlite").path, codeCost: configuration.kdfCost)
    } catch {
        throw StartupError(description: "database in \(storage.path) cannot be opened: \(error)")
    }
    let staging = try UploadStaging(directory: storage.appendingPathComponent("tmp"))
    let pool = BlockingPool(workers: configuration.kdfWorkers, queueLimit: configuration.kdfQueue)
    let intake = Intake(database: database, pool: pool, settings: IntakeSettings(
        teamKey: configuration.teamPublicKey, pepper: pepper, cost: configuration.kdfCost,
        limits: configuration.limits))
    let pages = PageFactory(configuration)
    let reader = SubmissionReader(limits: configuration.limits, staging: staging, recipients: [configuration.teamPublicKey])

    let publicRouter = Router(context: SealboxRequestContext.self)
    publicRouter.add(middleware: ErrorMappingMiddleware(
        pages: pages, logger: logger,
        onionOrigin: configuration.onionAddress.isEmpty ? nil : configuration.onionAddress))
    PublicController(
        intake: intake, reader: reader, pages: pages, logger: logger, stylesheet: Stylesheet.css(configuration.palette),
        logo: configuration.logoType.map { (configuration.logo, $0) },
        signLanguage: configuration.signLanguageVideoType.map {
            .init(video: configuration.signLanguageVideo, type: $0, captions: configuration.signLanguageCaptions)
        }
    ).addRoutes(to: publicRouter)
    InboxController(
        conversation: Conversation(intake: intake), reader: reader, pages: pages,
        limiter: AttemptLimiter(perClient: configuration.codeAttempts, globalPerMinute: configuration.codeAttemptsGlobal),
        visits: VisitStore(), secureCookies: configuration.https,
        clientAddressHeader: configuration.clientAddressHeader.isEmpty ? nil : HTTPField.Name(configuration.clientAddressHeader)
    ).addRoutes(to: publicRouter)

    let staffRouter = Router(context: SealboxRequestContext.self)
    staffRouter.add(middleware: ErrorMappingMiddleware(pages: pages, logger: logger))
    staffRouter.add(middleware: StaffAuthenticator(
        keys: Set(configuration.staffKeys), nonces: NonceCache(window: RequestSignature.maximumClockSkew), logger: logger))
    StaffController(database: database, pages: pages, teamKey: configuration.teamPublicKey).addRoutes(to: staffRouter)

    return SealboxApplication(
        database: database, intake: intake, publicRouter: publicRouter, staffRouter: staffRouter,
        configuration: configuration, logger: logger)
}
