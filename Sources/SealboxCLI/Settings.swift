// Where `sealbox` takes its settings from. A flag beats an environment variable,
// which beats the settings file `$XDG_CONFIG_HOME/sealbox/config.json` (fallback
// `~/.config/sealbox/config.json`), which beats the built-in default. Empty
// environment variables count as unset. Paths may start with `~/`; a relative path
// in the settings file is relative to the file's folder.
import Foundation
import SealboxCore
import SealboxWorkstation

/// One setting `sealbox` reads.
public enum Setting: String, CaseIterable, Sendable {
    case server
    case staffKey = "staff_key"
    case teamKey = "team_key"
    case store
    case passphraseFile = "passphrase_file"
    case staffPassphraseFile = "staff_passphrase_file"
    /// Colleagues' staff public keys (text forms, separated by commas or spaces) whose
    /// signed replies `show` accepts besides the user's own (PROTOCOL §3.3).
    case staffPublicKeys = "staff_public_keys"
    /// The office's deadlines (the daemon's `office.acknowledge_days` / `office.feedback_days`).
    case acknowledgeDays = "acknowledge_days"
    case feedbackDays = "feedback_days"
    /// A PEM file of the certificate authority (or authorities) that issued the server's
    /// certificate, trusted instead of the system's (docs/WORKSTATION.md).
    case serverCAFile = "server_ca_file"
    /// The SHA-256 fingerprint of the server's certificate: with it, that certificate and
    /// no other is accepted, whoever issued it (docs/WORKSTATION.md).
    case serverCertificateSHA256 = "server_certificate_sha256"
    /// The office's additions to the coding scheme (a JSON file, PROTOCOL §3.4).
    case codingScheme = "coding_scheme"
    /// The first leads of the team roster (member public keys, separated by commas or
    /// spaces): every roster is verified from them (docs/PROTOCOL.md §12.4).
    case trustedLeads = "trusted_leads"
    /// The smallest count the office's figures show (`sealbox stats`): smaller ones read
    /// "< N", with secondary suppression (docs/WORKSTATION.md "Statistics"); default 5.
    case statsMinCell = "stats_min_cell"
    /// Minutes without a request after which `sealbox desk` locks (default 15; fractions allowed).
    case deskIdleLock = "desk_idle_lock"
    /// The desk's language, `de` or `en` (default: the browser's).
    case deskLanguage = "desk_language"
    /// Minutes without a request after which the unlock agent ends (default 15; a fraction
    /// is allowed, docs/WORKSTATION.md "Unlock once").
    case agentIdleMinutes = "agent_idle_minutes"
    /// Days after a reporter's message a reply is due (issue 11; default 7).
    case replyDueDays = "reply_due_days"
    /// Minutes between the desk's background syncs while unlocked (default 5; 0: only after sign-in).
    case deskSyncMinutes = "desk_sync_minutes"
    /// Megabytes the desk's in-memory search index may take (default 256; fractions allowed).
    case deskSearchMemoryMB = "desk_search_memory_mb"
    /// A folder of the office's reply templates (`TAG.json`, docs/REPLY-TEMPLATES.md), each
    /// replacing the shipped templates of one language.
    case replyTemplates = "reply_templates"

    /// The key in config.json.
    public var configKey: String { rawValue }

    /// The environment variable.
    public var environmentVariable: String { "SEALBOX_" + rawValue.uppercased() }

    /// The command-line flag.
    public var flag: String { "--" + rawValue.replacingOccurrences(of: "_", with: "-") }

    /// What the flag takes, as shown in messages.
    var valueName: String {
        switch self {
        case .server: "URL"
        case .store, .replyTemplates: "DIR"
        case .staffPublicKeys, .trustedLeads: "KEYS"
        case .statsMinCell: "N"
        case .agentIdleMinutes: "MINUTES"
        case .acknowledgeDays, .feedbackDays, .replyDueDays: "DAYS"
        case .serverCertificateSHA256: "SHA256"
        case .deskIdleLock, .deskSyncMinutes: "MINUTES"
        case .deskLanguage: "LANG"
        case .deskSearchMemoryMB: "MB"
        default: "FILE"
        }
    }

    /// How messages name it.
    var humanName: String {
        switch self {
        case .server: "server address"
        case .staffKey: "staff key file"
        case .teamKey: "team key file"
        case .store: "store folder"
        case .passphraseFile: "passphrase file"
        case .staffPassphraseFile: "staff key passphrase file"
        case .staffPublicKeys: "colleagues' staff public keys"
        case .acknowledgeDays: "days until the acknowledgement is due"
        case .feedbackDays: "days until the feedback is due"
        case .serverCAFile: "certificate authority file of the server"
        case .serverCertificateSHA256: "fingerprint of the server's certificate"
        case .codingScheme: "coding scheme override file"
        case .trustedLeads: "trusted first leads of the team"
        case .statsMinCell: "smallest count the statistics show"
        case .deskIdleLock: "minutes until the desk locks"
        case .deskLanguage: "language of the desk"
        case .agentIdleMinutes: "minutes the unlock agent waits for a request"
        case .replyDueDays: "days until a reply to a reporter's message is due"
        case .deskSyncMinutes: "minutes between the desk's syncs"
        case .deskSearchMemoryMB: "megabytes the desk's search index may take"
        case .replyTemplates: "reply templates folder"
        }
    }

    /// Whether the value is a file system path.
    var isPath: Bool {
        ![.server, .staffPublicKeys, .acknowledgeDays, .feedbackDays, .serverCertificateSHA256, .trustedLeads,
          .statsMinCell, .deskIdleLock, .deskLanguage, .agentIdleMinutes, .replyDueDays,
          .deskSyncMinutes, .deskSearchMemoryMB].contains(self)
    }
}

/// The settings file: a JSON object whose members are `Setting` config keys with string values.
public struct ConfigFile: Sendable, Equatable {
    /// The values by setting.
    public let values: [Setting: String]
    /// The folder relative paths are resolved against.
    public let directory: URL?

    public init(values: [Setting: String] = [:], directory: URL? = nil) {
        self.values = values
        self.directory = directory
    }

    /// Shown in hints.
    static let defaultLocationForHumans = "~/.config/sealbox/config.json"

    /// `$XDG_CONFIG_HOME/sealbox/config.json`, else `~/.config/sealbox/config.json`.
    public static func defaultLocation(environment: [String: String]) -> URL {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("sealbox/config.json")
        }
        return homeDirectory(environment).appendingPathComponent(".config/sealbox/config.json")
    }

    /// Reads the file at `url`; a missing file is an empty settings file.
    public static func load(from url: URL) throws(CLIError) -> ConfigFile {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return ConfigFile() }
            throw CLIError("cannot read the settings file \(url.path)", hint: "check its permissions")
        }
        return try parse(data, location: url)
    }

    /// Parses settings-file JSON read from `location`.
    public static func parse(_ data: Data, location: URL) throws(CLIError) -> ConfigFile {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CLIError("the settings file \(location.path) is not a JSON object",
                           hint: "write it like {\"server\": \"http://127.0.0.1:8081\", \"team_key\": \"~/team.key\"}")
        }
        var values: [Setting: String] = [:]
        for (key, value) in object {
            guard let setting = Setting(rawValue: key) else {
                let known = Setting.allCases.map(\.configKey).joined(separator: ", ")
                throw CLIError("the settings file \(location.path) has an unknown key \"\(key)\"",
                               hint: "the known keys are \(known)")
            }
            guard let text = value as? String else {
                throw CLIError("in the settings file \(location.path), \"\(key)\" must be a text in quotes")
            }
            if setting == .serverCertificateSHA256, !text.isEmpty {
                // A pin that cannot be right is refused now, not at the first connection.
                do throws(CertificateFingerprintError) {
                    _ = try CertificateFingerprint(text: text)
                } catch {
                    throw error.message(setting: "in the settings file \(location.path), \"\(key)\"")
                }
            }
            if !text.isEmpty { values[setting] = text }
        }
        return ConfigFile(values: values, directory: location.deletingLastPathComponent())
    }
}

/// The settings in effect: flags are passed to each query, environment and file are held.
public struct Settings: Sendable {
    /// The default server address.
    public static let defaultServer = "http://127.0.0.1:8081"

    public let environment: [String: String]
    public let file: ConfigFile

    public init(environment: [String: String], file: ConfigFile) {
        self.environment = environment
        self.file = file
    }

    /// The settings of this process: its environment and the settings file.
    public static func current() throws(CLIError) -> Settings {
        let environment = ProcessInfo.processInfo.environment
        return Settings(environment: environment,
                        file: try ConfigFile.load(from: ConfigFile.defaultLocation(environment: environment)))
    }

    /// The raw value of `setting`: flag, else environment, else file; nil when none.
    public func value(_ setting: Setting, flag: String?) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let env = environment[setting.environmentVariable], !env.isEmpty { return env }
        return file.values[setting]
    }

    /// The office's deadlines: `acknowledge_days` and `feedback_days` from flag, environment
    /// or settings file, each 1–3660 days; without them 7 days and 3 months (the defaults of
    /// the daemon, whose `office.acknowledge_days` / `office.feedback_days` they must match).
    public func deadlinePolicy(acknowledgeFlag: String?, feedbackFlag: String?) throws(CLIError) -> DeadlinePolicy {
        func days(_ setting: Setting, _ flag: String?) throws(CLIError) -> Int? {
            guard let text = value(setting, flag: flag) else { return nil }
            guard let number = Int(text) else {
                throw CLIError("\(setting.configKey) must be a whole number of days, not \"\(text.prefix(20))\"")
            }
            return number
        }
        do {
            return try DeadlinePolicy.configured(
                acknowledgeDays: try days(.acknowledgeDays, acknowledgeFlag), feedbackDays: try days(.feedbackDays, feedbackFlag),
                acknowledgeKey: Setting.acknowledgeDays.configKey, feedbackKey: Setting.feedbackDays.configKey)
        } catch let error as DeadlinePolicyError {
            throw CLIError(error.description)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// The smallest count shown by the statistics (`stats_min_cell`, 1–1000, default 5;
    /// 1 shows every count).
    public func statsMinCell(flag: String?) throws(CLIError) -> Int {
        guard let text = value(.statsMinCell, flag: flag) else { return 5 }
        guard let number = Int(text), (1...1000).contains(number) else {
            throw CLIError("\(Setting.statsMinCell.configKey) must be a whole number from 1 to 1000, not \"\(Terminal.displaySafe(String(text.prefix(20))))\"")
        }
        return number
    }

    /// Days after a reporter's message a reply is due: `reply_due_days` from flag,
    /// environment or settings file, 1–3660; without it 7 (issue 11).
    public func replyDueDays(flag: String? = nil) throws(CLIError) -> Int {
        guard let text = value(.replyDueDays, flag: flag) else { return Attention.defaultDueDays }
        guard let number = Int(text), (1...Attention.maximumDueDays).contains(number) else {
            throw CLIError("\(Setting.replyDueDays.configKey) must be a whole number of days from 1 to "
                           + "\(Attention.maximumDueDays), not \"\(Terminal.displaySafe(String(text.prefix(20))))\"")
        }
        return number
    }

    /// A path setting resolved to a file URL (`~/` expanded), or nil when not given.
    public func path(_ setting: Setting, flag: String?) -> URL? {
        if let flag, !flag.isEmpty { return resolve(flag, relativeTo: nil) }
        if let env = environment[setting.environmentVariable], !env.isEmpty { return resolve(env, relativeTo: nil) }
        if let text = file.values[setting] { return resolve(text, relativeTo: file.directory) }
        return nil
    }

    /// A path setting that must be given.
    func requiredPath(_ setting: Setting, flag: String?, for purpose: String) throws(CLIError) -> URL {
        guard let url = path(setting, flag: flag) else { throw CLIError.missingSetting(setting, for: purpose) }
        return url
    }

    /// The server address (default http://127.0.0.1:8081), checked to be http or https.
    public func server(flag: String?) throws(CLIError) -> URL {
        let text = value(.server, flag: flag) ?? Self.defaultServer
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil, url.query == nil, url.fragment == nil
        else {
            throw CLIError("the server address \"\(text)\" is not a web address",
                           hint: "write it like http://127.0.0.1:8081 (set by --server, SEALBOX_SERVER or \"server\")",
                           status: .usage)
        }
        if scheme == "http", let host = url.host, !Self.isLoopback(host) {
            throw CLIError(
                "the server address \"\(text)\" uses plain http to another computer",
                hint: "plain http would let anyone on the network read and change what sealbox sends and receives; "
                    + "use https:// (or http:// only to this computer: 127.0.0.1, ::1 or localhost)",
                status: .usage)
        }
        return url
    }

    /// Whether `host` names this computer: `localhost`, 127.0.0.0/8 or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { part in part.count <= 3 && UInt8(part) != nil }
    }

    /// The store folder: the setting, else `$XDG_DATA_HOME/sealbox`, else `~/.local/share/sealbox`.
    public func storeDirectory(flag: String?) -> URL {
        if let url = path(.store, flag: flag) { return url }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("sealbox")
        }
        return homeDirectory(environment).appendingPathComponent(".local/share/sealbox")
    }

    private func resolve(_ text: String, relativeTo base: URL?) -> URL {
        if text == "~" { return homeDirectory(environment) }
        if text.hasPrefix("~/") {
            return homeDirectory(environment).appendingPathComponent(String(text.dropFirst(2)))
        }
        if text.hasPrefix("/") { return URL(fileURLWithPath: text).standardizedFileURL }
        if let base { return base.appendingPathComponent(text).standardizedFileURL }
        return URL(fileURLWithPath: text).standardizedFileURL
    }
}

/// `$HOME`, else the account's home folder.
func homeDirectory(_ environment: [String: String]) -> URL {
    if let home = environment["HOME"], home.hasPrefix("/") { return URL(fileURLWithPath: home) }
    return FileManager.default.homeDirectoryForCurrentUser
}

extension Settings {
    /// The coding scheme: the built-in one, with the office's override file when one is set.
    func codingScheme(flag: String?) throws(CLIError) -> CodingScheme {
        var override: [UInt8]?
        if let url = path(.codingScheme, flag: flag) {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CLIError("cannot read the coding scheme override file \(url.path)",
                               hint: "check coding_scheme (SEALBOX_CODING_SCHEME) or --coding-scheme")
            }
            override = Array(data)
        }
        do {
            return try CodingScheme.load(override: override)
        } catch {
            throw CLIError(error.message, hint: "fix the coding scheme override file (coding_scheme, SEALBOX_CODING_SCHEME)")
        }
    }
}
