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

/// Everything a running daemon consists of: storage, the submission path, the routers
/// and the key-derivation pool. `run()` serves both listeners and the pool as one service
/// group until SIGTERM or SIGINT.
public struct SealboxApplication {
    public let database: MailboxDatabase
    public let intake: Intake
    public let publicRouter: Router<SealboxRequestContext>
    public let staffRouter: Router<SealboxRequestContext>
    /// The router of the listener for tor alone (`onion.listen`), when configured.
    public let onionRouter: Router<SealboxRequestContext>?
    let configuration: ServerConfiguration
    let logger: Logger
    /// The day of staff actions and retention (DaemonClock.swift).
    let clock: DaemonClock

    /// Runs both listeners and the pool until a graceful shutdown, then checkpoints the database.
    public func run() async throws {
        let resilience = configuration.resilience
        var rosters = [ConnectionRoster(capacity: resilience.maxConnections)]
        let publicApp = Application(
            router: publicRouter, server: resilience.reportersServer(roster: rosters[0]),
            configuration: resilience.reportersConfiguration(configuration.publicListen, logger: logger),
            onServerRunning: { channel in Self.announce("public", channel) },
            logger: logger)
        var services: [any Service] = [KDFPoolService(pool: intake.pool, codes: intake.codes), publicApp,
                                       RetentionService(database: database, policy: configuration.retention,
                                                        confirmDays: configuration.deletionConfirmDays, clock: clock,
                                                        logger: logger)]
        if configuration.notice.isEnabled {
            services.append(DailyNoticeService(settings: configuration.notice, database: database, logger: logger))
        }
        if let onionRouter, let onionListen = resilience.onionListen {
            rosters.append(ConnectionRoster(capacity: resilience.maxConnections))
            services.append(Application(
                router: onionRouter, server: resilience.reportersServer(roster: rosters[1]),
                configuration: resilience.reportersConfiguration(onionListen, logger: logger),
                onServerRunning: { channel in Self.announce("onion", channel) },
                logger: logger))
        }
        let staffApp = Application(
            router: staffRouter,
            configuration: .init(address: .hostname(configuration.staffListen.host, port: configuration.staffListen.port)),
            onServerRunning: { channel in Self.announce("staff", channel) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(
            // Shut down in reverse order: the drain is told first, then the listeners.
            services: services + [staffApp, ConnectionDrainService(rosters: rosters, grace: resilience.shutdownGrace)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        // One line at the start and one at the stop, without a time (journald adds its own).
        logger.notice("sealboxd \(SealboxRelease.version) starting")
        do {
            try await group.run()
        } catch {
            logger.notice("sealboxd \(SealboxRelease.version) stopped after a failure")
            throw error
        }
        try? database.checkpoint()
        logger.notice("sealboxd \(SealboxRelease.version) stopped")
    }

    /// Prints where a listener is, on stdout, so that scripts can find a port chosen by the system.
    static func announce(_ name: String, _ channel: any Channel) {
        let port = channel.localAddress?.port ?? 0
        let host = channel.localAddress?.ipAddress ?? "?"
        let line = "sealboxd: \(name) listener on http://\(host.contains(":") ? "[\(host)]" : host):\(port)/\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}

/// The key-derivation pool as a service: the codes derived ahead are wiped and its threads
/// stop when the service group shuts down.
struct KDFPoolService: Service {
    let pool: BlockingPool
    let codes: CodePool?

    func run() async throws {
        codes?.refill()
        try? await gracefulShutdown()
        codes?.stop()
        pool.shutdown()
    }
}

/// The connections of the reporters' listeners: twice a second, a listener at its cap
/// makes room (`ConnectionRoster.makeRoom`); at shutdown, requests get
/// `public.shutdown_grace` seconds to finish, then their connections are closed (a body
/// sent a byte at a time would otherwise hold the daemon up to `public.body_timeout`).
struct ConnectionDrainService: Service {
    let rosters: [ConnectionRoster]
    let grace: Int

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                for roster in rosters { roster.makeRoom() }
            }
        }
        for roster in rosters { roster.closeAll(after: .seconds(Int64(grace))) }
    }
}

/// The composition root: checks the configuration's files (StartupCheck, the same checks
/// as `sealboxd check-config`), opens storage and the pepper, builds the pool, the pages
/// and the routers from one configuration value. Refuses to start, with every problem
/// listed, on a bad configuration, pepper file or database. Tests build the same application.
public func buildApplication(configuration: ServerConfiguration, logger: Logger) throws -> SealboxApplication {
    let problems = StartupCheck.problems(configuration)
    if !problems.isEmpty {
        throw StartupError(description: problems.count == 1 ? problems[0]
            : "\(problems.count) problems:\n" + problems.map { "  - \($0)" }.joined(separator: "\n"))
    }
    do {
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
    let database: MailboxDatabase
    do {
        database = try MailboxDatabase(path: storage.appendingPathComponent("sealbox.sqlite").path, codeCost: configuration.kdfCost)
    } catch let error as DatabaseStateError {
        throw StartupError(description: error.description)
    } catch let error as KeyStoreError {
        throw StartupError(description: error.description)
    } catch {
        throw StartupError(description: "database in \(storage.path) cannot be opened: \(error)")
    }
    // Said once, by number: cases whose storage key is gone are treated as deleted (PROTOCOL §10.4).
    if database.keylessCasesAtOpen > 0 {
        logger.warning("\(database.keylessCasesAtOpen) case(s) in the database have no storage key (deleted after this database was backed up, or the key store is older than the database): they are treated as deleted")
    }
    // The file's pages no longer follow the order in which the reports of a day arrived
    // (docs/PROTOCOL.md §10.3). A rebuild that fails (no room for its copy) is no reason
    // not to serve: it is said, and tried again at the next start.
    do {
        try database.rebuild()
    } catch {
        logger.warning("the database could not be rebuilt at start (its pages may still show the order of recent reports): \(error)")
    }
    // The database first: a pepper is created only for a database without cases, and one
    // that does not match the database's check value is refused (MailboxDatabase+Meta.swift).
    let pepper: Pepper
    do {
        pepper = try database.pepper(fromFile: configuration.resolvedPepperFile)
    } catch {
        throw StartupError(description: "\(error)")
    }
    let staging = try UploadStaging(directory: storage.appendingPathComponent("tmp"))
    let pool = BlockingPool(workers: configuration.kdfWorkers, queueLimit: configuration.kdfQueue)
    let codes: CodePool?
    do {
        codes = try configuration.codePool > 0
            ? CodePool(capacity: configuration.codePool, pool: pool, pepper: pepper, cost: configuration.kdfCost) : nil
    } catch {
        throw StartupError(description: error.description)
    }
    // The team's copies are sealed to the team key, or to the newest epoch key and the
    // recovery key once the roster announces epochs (RosterBook keeps this current).
    let team = TeamRecipients([configuration.teamPublicKey])
    let roster = try configuration.staffLeads.isEmpty ? nil : RosterBook(
        leads: configuration.staffLeads, database: database, teamKey: configuration.teamPublicKey,
        recovery: configuration.recoveryPublicKey, recipients: team)
    let intake = Intake(database: database, pool: pool, settings: IntakeSettings(
        team: team, pepper: pepper, cost: configuration.kdfCost,
        limits: configuration.limits), codes: codes)
    let pages = PageFactory(configuration)
    let reader = SubmissionReader(limits: configuration.limits, staging: staging, team: team)

    let space = StorageSpace(path: storage.path, reserve: configuration.resilience.storageReserve)
    let visits = VisitStore()
    let counters = AnswerCounters()
    /// The reporters' pages and API of one listener, with that listener's budgets and pages.
    func reportersRouter(_ admission: Admission, pages: PageFactory, onionOrigin: String?) -> Router<SealboxRequestContext> {
        let router = Router(context: SealboxRequestContext.self)
        router.add(middleware: CountingMiddleware(counters: counters, route: nil))
        router.add(middleware: ErrorMappingMiddleware(pages: pages, logger: logger, onionOrigin: onionOrigin))
        PublicController(
            intake: intake, reader: reader, pages: pages, logger: logger, admission: admission,
            stylesheet: Stylesheet.css(configuration.palette),
            logo: configuration.logoType.map { (configuration.logo, $0) },
            signLanguage: configuration.signLanguageVideoType.map {
                .init(video: configuration.signLanguageVideo, type: $0, captions: configuration.signLanguageCaptions)
            }
        ).addRoutes(to: router)
        InboxController(
            conversation: Conversation(intake: intake, staffKeys: Set(configuration.staffKeys),
                                       memberKeys: { roster?.everySigningKey ?? [] }), reader: reader, pages: pages, admission: admission,
            visits: visits, secureCookies: configuration.https
        ).addRoutes(to: router)
        return router
    }
    let limits = configuration.resilience
    // A visitor who came over tor is told to come back over tor: the onion listener's
    // pages and receipts name `onion.address`, never the clearnet `public.address`.
    var onionOffice = configuration.office
    if !configuration.onionAddress.isEmpty { onionOffice.publicAddress = configuration.onionAddress }
    let onionPages = PageFactory(office: onionOffice, limits: configuration.limits, inboxAvailable: true)
    let publicRouter = reportersRouter(Admission(
        codeAttempts: AttemptLimiter(perClient: configuration.codeAttempts, globalPerMinute: configuration.codeAttemptsGlobal),
        submissions: AttemptLimiter(perClient: limits.submissions, global: limits.submissionsGlobal, globalWindow: AttemptLimiter.window),
        clientAddressHeader: configuration.clientAddressHeader.isEmpty ? nil : HTTPField.Name(configuration.clientAddressHeader),
        space: space, pool: pool, codes: codes
    ), pages: pages, onionOrigin: configuration.onionAddress.isEmpty ? nil : configuration.onionAddress)
    // Behind tor every client is 127.0.0.1: per-client buckets would let one client lock
    // out every other, so the onion listener counts no client, trusts no header, and has
    // global budgets of its own (tor's proof-of-work defence meters clients before us).
    let onionRouter = limits.onionListen.map { _ in
        reportersRouter(Admission(
            codeAttempts: AttemptLimiter(perClient: nil, global: limits.onionCodeAttemptsGlobal, globalWindow: 60),
            submissions: AttemptLimiter(perClient: nil, global: limits.onionSubmissionsGlobal, globalWindow: AttemptLimiter.window),
            clientAddressHeader: nil, space: space, pool: pool, codes: codes
        ), pages: onionPages, onionOrigin: nil)
    }

    let staffRouter = Router(context: SealboxRequestContext.self)
    staffRouter.add(middleware: CountingMiddleware(counters: counters, route: .staff))
    staffRouter.add(middleware: ErrorMappingMiddleware(pages: pages, logger: logger))
    staffRouter.add(middleware: StaffAuthenticator(
        keys: Set(configuration.staffKeys), roster: roster, nonces: NonceCache(window: RequestSignature.maximumClockSkew), logger: logger,
        openPaths: Monitoring.isLoopback(configuration.staffListen.host) ? Monitoring.paths : []))
    let clock = DaemonClock.fromEnvironment()
    if clock.offsetDays != 0 {
        logger.warning("test build: the day of staff actions and retention is moved by \(clock.offsetDays) day(s) (\(DaemonClock.testOffsetVariable))")
    }
    // With a team roster, deleting a case always takes two members (four eyes); with staff
    // keys alone, an office with a single key may still delete in one step.
    StaffController(database: database, pages: pages, team: team, roster: roster, clock: clock,
                    memberCount: roster == nil ? Set(configuration.staffKeys).count : max(2, Set(configuration.staffKeys).count),
                    confirmDays: configuration.deletionConfirmDays, retention: configuration.retention)
        .addRoutes(to: staffRouter)
    Monitoring(counters: counters, database: database, pool: pool, codes: codes, space: space).addRoutes(to: staffRouter)

    return SealboxApplication(
        database: database, intake: intake, publicRouter: publicRouter, staffRouter: staffRouter, onionRouter: onionRouter,
        configuration: configuration, logger: logger, clock: clock)
}
