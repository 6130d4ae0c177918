// Reads the daemon's settings: a JSON file (`sealboxd --config FILE`), every key
// overridable by an environment variable SEALBOX_<KEY> (dots and dashes as
// underscores). docs: config/README.md lists every key.
import Configuration
import Foundation
import Logging
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SystemPackage

/// A listener address, `HOST:PORT` (IPv6 as `[::1]:8080`). Port 0 picks a free port.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public init(parsing text: String) throws(ConfigurationError) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port)
        else { throw .invalid("listen address \(text) is not HOST:PORT") }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalid("listen address \(text) has no host") }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why the configuration cannot be used. The message names the key, never a secret.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(String)
    case invalid(String)
    /// More than one problem, each listed (ConfigurationProblems.swift).
    indirect case several([ConfigurationError])

    public var description: String {
        switch self {
        case .missing(let key): "configuration key \(key) is required (or SEALBOX_\(ServerConfiguration.environmentName(key)))"
        case .invalid(let message): message
        case .several(let all):
            "\(all.count) problems:\n" + all.map { "  - \($0.description)" }.joined(separator: "\n")
        }
    }
}

/// Everything `sealboxd` is configured with.
public struct ServerConfiguration: Sendable {
    public var publicListen = ListenAddress(host: "127.0.0.1", port: 8080)
    public var staffListen = ListenAddress(host: "127.0.0.1", port: 8081)
    public var staffKeys: [SigningPublicKey] = []
    /// The first leads of the team roster (`staff.leads`, entries `LABEL=sealbox-member-v1:…`):
    /// entry 0 of the roster (docs/PROTOCOL.md §12.2). Empty: no roster.
    public var staffLeads: [RosterLead] = []
    public var storagePath = "./sealbox-data"
    public var teamPublicKey: BoxPublicKey
    /// The office's recovery public key (`crypto.recovery_public_key`, `sealbox-recovery-v1:…`):
    /// with a roster that announces epochs, every new item is sealed to it too, and every
    /// epoch must name it (docs/PROTOCOL.md §12.5). nil: not configured.
    public var recoveryPublicKey: BoxPublicKey?
    public var pepperFile: String?
    public var kdfCost: KDFCost = .interactive
    public var kdfWorkers = 2
    public var kdfQueue = 128
    /// Codes derived ahead in idle time and held in locked memory (`crypto.code_pool`); 0: off.
    public var codePool = 512
    public var limits = SubmissionLimits()
    public var logLevel = "info"
    public var officeName = "Antidiskriminierungsstelle"
    public var officeContact = ""
    /// The address reporters come back to, printed on the receipt (e.g. https://melden.example.org/).
    public var publicAddress = ""
    /// Reporters reach the daemon over HTTPS (through a proxy): visit cookies get `Secure`.
    public var https = false
    /// A header the reverse proxy sets to the client's address (e.g. X-Real-IP), read only
    /// for the rate limiter's keyed hash. Empty: the connection's peer address.
    public var clientAddressHeader = ""
    /// The onion service's address (`onion.address`, kept as `http://NAME.onion`): sent as
    /// Onion-Location on the public listener's pages, and named as the address to come back
    /// to on the pages and receipts of the onion listener.
    public var onionAddress = ""
    /// The office's colours (`office.colors.*`); every text pair meets 4.5:1.
    public var palette = Palette.standard
    /// A directory of TAG.json files that override texts or add languages (no rebuild needed).
    public var l10nDirectory = ""
    /// The office's logo (PNG, SVG or WebP), shown beside its name in every page header.
    public var logo = ""
    /// Where to report a barrier (accessibility statement); empty: `office.contact`.
    public var accessibilityContact = ""
    /// A German Sign Language video (WebM or MP4) and its WebVTT captions, shown on German pages.
    public var signLanguageVideo = ""
    public var signLanguageCaptions = ""
    /// Code attempts per client per 10 minutes, and for all clients together per minute.
    public var codeAttempts = 10
    public var codeAttemptsGlobal = 300
    /// Resilience: submission budgets, disk reserve, the onion listener, connection limits.
    public var resilience = ResilienceSettings()
    /// The privacy notice, the legal notice and the office's deadlines (`office.*`).
    public var notices = OfficeNotices()
    /// The daily notice to the team (`notify.*`, DailyNotice.swift).
    public var notice = NoticeSettings()
    /// Days a second member has to confirm a deletion request (`deletion.confirm_days`).
    public var deletionConfirmDays = FourEyes.defaultConfirmDays
    /// How long cases are kept (`retention.closed_days`, `retention.inactive_days`).
    public var retention = RetentionPolicy.standard
    /// Daily database copies `sealboxd backup --to-dir` keeps (`backup.keep_days`).
    public var backupKeepDays = 30
    /// Days key-store copies are kept (`backup.keystore_keep_days`): the backup horizon of
    /// deletion (docs/OPERATIONS.md §7).
    public var keystoreKeepDays = 7

    public init(teamPublicKey: BoxPublicKey) {
        self.teamPublicKey = teamPublicKey
    }

    /// The pepper file: configured, or `pepper` inside the storage directory.
    public var resolvedPepperFile: String { pepperFile ?? (storagePath as NSString).appendingPathComponent("pepper") }

    /// The media type of the logo, from its file name.
    public var logoType: String? {
        let lower = logo.lowercased()
        if lower.hasSuffix(".png") { return "image/png" }
        if lower.hasSuffix(".svg") { return "image/svg+xml" }
        if lower.hasSuffix(".webp") { return "image/webp" }
        return nil
    }

    /// The media type of the sign-language video, from its file name.
    public var signLanguageVideoType: String? {
        let lower = signLanguageVideo.lowercased()
        if lower.hasSuffix(".webm") { return "video/webm" }
        if lower.hasSuffix(".mp4") { return "video/mp4" }
        return nil
    }

    /// `public.listen` -> `PUBLIC_LISTEN`.
    public static func environmentName(_ key: String) -> String {
        key.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// Reads the file (when given) and the environment; the environment wins. Refuses the
    /// configuration with every problem found.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        async throws -> ServerConfiguration
    {
        let read = await read(file: file, environment: environment)
        guard let configuration = read.configuration, read.problems.isEmpty else {
            throw read.problems.count == 1 ? read.problems[0] : ConfigurationError.several(read.problems)
        }
        return configuration
    }

    /// Reads the file and the environment, collecting every problem. The configuration is
    /// nil only when the file cannot be read; with problems it is incomplete (defaults in
    /// place of bad values) and good only for checking the rest (`sealboxd check-config`).
    static func read(file: String?, environment: [String: String]) async
        -> (configuration: ServerConfiguration?, problems: [ConfigurationError])
    {
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "sealbox")
        ]
        if let file {
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(file)))
            } catch {
                return (nil, [.invalid("configuration file \(file) cannot be read as JSON")])
            }
        }
        let (configuration, problems) = collect(ConfigReader(providers: providers))
        return (configuration, problems.errors)
    }

    /// Reads every key from `reader`; refuses the configuration with every problem found.
    public static func from(_ reader: ConfigReader) throws -> ServerConfiguration {
        let (configuration, problems) = collect(reader)
        try problems.throwIfAny()
        return configuration
    }

    /// Reads every key from `reader`, going on past a bad value (which keeps its default).
    static func collect(_ reader: ConfigReader) -> (ServerConfiguration, ProblemList) {
        var problems = ProblemList()
        var teamKey: BoxPublicKey?
        problems.check {
            guard let teamText = reader.string(forKey: "crypto.team_public_key"), !teamText.isEmpty else {
                throw ConfigurationError.missing("crypto.team_public_key")
            }
            guard let key = try? BoxPublicKey(teamText: teamText) else {
                throw ConfigurationError.invalid("crypto.team_public_key is not a team public key (sealbox-team-v1:…)")
            }
            teamKey = key
        }
        // Without a team key the other keys are still read, so that every problem is listed.
        var config = ServerConfiguration(teamPublicKey: teamKey ?? BoxSecretKey.generate().publicKey)
        problems.check {
            if let text = reader.string(forKey: "public.listen") { config.publicListen = try ListenAddress(parsing: text) }
        }
        problems.check {
            if let text = reader.string(forKey: "staff.listen") { config.staffListen = try ListenAddress(parsing: text) }
        }
        problems.check {
            config.staffKeys = try (reader.stringArray(forKey: "staff.keys") ?? []).map { text in
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard let key = try? SigningPublicKey(text: trimmed) else {
                    throw ConfigurationError.invalid("staff.keys holds an entry that is not a staff public key (sealbox-staff-v1:…)")
                }
                return key
            }
        }
        problems.check {
            config.staffLeads = try (reader.stringArray(forKey: "staff.leads") ?? []).map { text in
                let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, RosterLabel.isValid(parts[0]), let key = try? MemberPublicKey(text: parts[1]) else {
                    throw ConfigurationError.invalid(
                        "staff.leads holds an entry that is not LABEL=sealbox-member-v1:… (a label of 1 to 64 characters without , or =)")
                }
                return RosterLead(label: parts[0], key: key)
            }
            if !config.staffLeads.isEmpty {
                do {
                    _ = try RosterVerifier(leads: config.staffLeads.map { ($0.label, $0.key) })
                } catch {
                    throw ConfigurationError.invalid("staff.leads: \(error)")
                }
            }
        }
        problems.check {
            guard let text = reader.string(forKey: "crypto.recovery_public_key"), !text.isEmpty else { return }
            guard let key = try? BoxPublicKey(recoveryText: text.trimmingCharacters(in: .whitespaces)) else {
                throw ConfigurationError.invalid(
                    "crypto.recovery_public_key is not a recovery public key (sealbox-recovery-v1:…, made by `sealbox recovery-keygen`)")
            }
            config.recoveryPublicKey = key
        }
        config.storagePath = reader.string(forKey: "storage.path") ?? config.storagePath
        config.pepperFile = reader.string(forKey: "crypto.pepper_file")
        problems.check {
            let ops = reader.int(forKey: "crypto.kdf_opslimit") ?? Int(KDFCost.interactive.opslimit)
            let mem = reader.int(forKey: "crypto.kdf_memlimit") ?? KDFCost.interactive.memlimit
            guard ops > 0, let cost = try? KDFCost(opslimit: UInt64(ops), memlimit: mem) else {
                throw ConfigurationError.invalid("crypto.kdf_opslimit / crypto.kdf_memlimit are outside what Argon2id accepts")
            }
            config.kdfCost = cost
        }
        func number(_ key: String, _ value: inout Int, allowZero: Bool = false) {
            var read = value
            problems.check { read = try ServerConfiguration.positive(reader, key, read, allowZero: allowZero) }
            value = read
        }
        number("crypto.kdf_workers", &config.kdfWorkers)
        number("crypto.kdf_queue", &config.kdfQueue, allowZero: true)
        number("crypto.code_pool", &config.codePool, allowZero: true)
        if config.codePool > 4096 { problems.add("crypto.code_pool must be at most 4096") }
        number("limits.text_length", &config.limits.textLength)
        number("limits.field_length", &config.limits.fieldLength)
        number("limits.json_body", &config.limits.jsonBody)
        number("limits.attachment_count", &config.limits.attachmentCount, allowZero: true)
        number("limits.attachment_size", &config.limits.attachmentSize)
        number("limits.attachment_total", &config.limits.attachmentTotal)
        config.logLevel = reader.string(forKey: "log.level") ?? config.logLevel
        if Logger.Level(rawValue: config.logLevel) == nil {
            problems.add("log.level must be one of trace, debug, info, notice, warning, error, critical")
        }
        config.officeName = reader.string(forKey: "office.name") ?? config.officeName
        config.officeContact = reader.string(forKey: "office.contact") ?? config.officeContact
        config.publicAddress = reader.string(forKey: "public.address") ?? config.publicAddress
        config.https = reader.bool(forKey: "public.https") ?? config.https
        config.clientAddressHeader = reader.string(forKey: "public.client_address_header") ?? config.clientAddressHeader
        problems.check { config.palette = try palette(reader) }
        config.l10nDirectory = reader.string(forKey: "l10n.directory") ?? ""
        config.logo = reader.string(forKey: "office.logo") ?? ""
        if !config.logo.isEmpty, config.logoType == nil || !FileManager.default.isReadableFile(atPath: config.logo) {
            problems.add("office.logo must name a readable .png, .svg or .webp file")
        }
        config.accessibilityContact = reader.string(forKey: "office.accessibility_contact") ?? ""
        config.signLanguageVideo = reader.string(forKey: "office.sign_language_video") ?? ""
        config.signLanguageCaptions = reader.string(forKey: "office.sign_language_captions") ?? ""
        if !config.signLanguageVideo.isEmpty {
            if config.signLanguageVideoType == nil {
                problems.add("office.sign_language_video must be a .webm or .mp4 file")
            } else {
                for (key, path) in [("office.sign_language_video", config.signLanguageVideo),
                                    ("office.sign_language_captions", config.signLanguageCaptions)]
                where path.isEmpty || !FileManager.default.isReadableFile(atPath: path) {
                    problems.add("\(key) must name a readable file (a sign-language video needs its captions too)")
                }
            }
        }
        problems.check { config.onionAddress = try onionAddress(reader) }
        number("limits.code_attempts", &config.codeAttempts)
        number("deletion.confirm_days", &config.deletionConfirmDays)
        number("retention.closed_days", &config.retention.closedDays)
        number("retention.inactive_days", &config.retention.inactiveDays)
        for (key, value) in [("deletion.confirm_days", config.deletionConfirmDays),
                             ("retention.closed_days", config.retention.closedDays),
                             ("retention.inactive_days", config.retention.inactiveDays)] where value > 36_500 {
            problems.add("\(key) must be at most 36500 (100 years)")
        }
        number("backup.keep_days", &config.backupKeepDays)
        if !BackupRotation.keepRange.contains(config.backupKeepDays) { problems.add("backup.keep_days must be at most 3660") }
        number("backup.keystore_keep_days", &config.keystoreKeepDays)
        if !BackupRotation.keystoreKeepRange.contains(config.keystoreKeepDays) {
            problems.add("backup.keystore_keep_days must be at most 366 (the key-store backups are the horizon of deletion)")
        }
        number("limits.code_attempts_global", &config.codeAttemptsGlobal)
        problems.check { config.notices = try OfficeNotices.from(reader) }
        problems.check { config.notice = try NoticeSettings.from(reader) }
        problems.check { config.resilience = try ResilienceSettings.from(reader, codeAttemptsGlobal: config.codeAttemptsGlobal) }
        problems.check { try config.checkListeners() }
        return (config, problems)
    }

    /// Reads `office.colors.*` and refuses colours that cannot be read well (WCAG 2.1 AA).
    static func palette(_ reader: ConfigReader) throws -> Palette {
        var palette = Palette.standard
        for name in Palette.names {
            guard let value = reader.string(forKey: ConfigKey("office.colors.\(name)")) else { continue }
            guard palette.set(name, to: value) else {
                throw ConfigurationError.invalid("office.colors.\(name) must be a colour written #rrggbb")
            }
        }
        if let failing = palette.failingPairs.first {
            let pair = palette.pairs.first { $0.name == failing.name }!
            throw ConfigurationError.invalid(String(
                format: "office.colors: %@ (%@ on %@) has a contrast of %.2f:1; at least 4.5:1 is needed so that everyone can read it",
                failing.name, pair.foreground, pair.background, failing.ratio))
        }
        return palette
    }

    static func positive(_ reader: ConfigReader, _ key: String, _ fallback: Int, allowZero: Bool = false) throws -> Int {
        guard let value = reader.int(forKey: ConfigKey(key)) else {
            if reader.string(forKey: ConfigKey(key)) != nil {
                throw ConfigurationError.invalid("\(key) must be a whole number")
            }
            return fallback
        }
        guard value > 0 || (allowZero && value == 0) else {
            throw ConfigurationError.invalid("\(key) must be \(allowZero ? "zero or more" : "more than zero")")
        }
        return value
    }
}
