// The settings that keep the daemon up under floods and on a filling disk: submission
// budgets, the storage reserve, the onion listener with its own budgets, idle and body
// timeouts and the connection cap. docs: config/README.md ("Resilience").
import Configuration

/// Limits of the reporters' listeners (public and onion) against floods and a full disk.
public struct ResilienceSettings: Sendable, Equatable {
    /// New reports one client may send per 10 minutes (`limits.submissions`).
    public var submissions = 10
    /// New reports all clients together may send per 10 minutes (`limits.submissions_global`).
    public var submissionsGlobal = 600
    /// Bytes that must stay free on the storage filesystem (`storage.reserve`); 0: no reserve.
    public var storageReserve: Int64 = 64 << 20
    /// The listener for tor alone (`onion.listen`); nil: none.
    public var onionListen: ListenAddress?
    /// The onion listener's own global budgets: code attempts per minute, reports per 10 minutes.
    public var onionCodeAttemptsGlobal = 300
    public var onionSubmissionsGlobal = 600
    /// Seconds a connection may stay without a complete request part (`public.idle_timeout`).
    public var idleTimeout = 30
    /// Seconds a request's body may take to arrive in full (`public.body_timeout`).
    public var bodyTimeout = 300
    /// Open connections per reporters' listener (`public.max_connections`).
    public var maxConnections = 512
    /// Seconds a request may still finish after SIGTERM before its connection is closed
    /// (`public.shutdown_grace`).
    public var shutdownGrace = 10

    public init() {}

    static func from(_ reader: ConfigReader, codeAttemptsGlobal: Int) throws -> ResilienceSettings {
        var s = ResilienceSettings()
        var problems = ProblemList()
        func number(_ key: String, _ value: inout Int, allowZero: Bool = false, most: Int? = nil) {
            var read = value
            problems.check { read = try ServerConfiguration.positive(reader, key, read, allowZero: allowZero) }
            if let most, read > most { problems.add("\(key) must be at most \(most)") }
            value = read
        }
        number("limits.submissions", &s.submissions)
        number("limits.submissions_global", &s.submissionsGlobal)
        var reserve = Int(s.storageReserve)
        number("storage.reserve", &reserve, allowZero: true)
        s.storageReserve = Int64(reserve)
        problems.check {
            if let text = reader.string(forKey: "onion.listen"), !text.isEmpty { s.onionListen = try ListenAddress(parsing: text) }
        }
        s.onionCodeAttemptsGlobal = codeAttemptsGlobal
        number("onion.code_attempts_global", &s.onionCodeAttemptsGlobal)
        s.onionSubmissionsGlobal = s.submissionsGlobal
        number("onion.submissions_global", &s.onionSubmissionsGlobal)
        number("public.idle_timeout", &s.idleTimeout, most: 3600)
        number("public.body_timeout", &s.bodyTimeout, most: 86400)
        number("public.max_connections", &s.maxConnections, most: 65536)
        number("public.shutdown_grace", &s.shutdownGrace, allowZero: true, most: 3600)
        if s.submissions > s.submissionsGlobal {
            problems.add("limits.submissions must not be more than limits.submissions_global")
        }
        try problems.throwIfAny()
        return s
    }

    /// Refuses an onion listener on the address of another listener.
    func check(publicListen: ListenAddress, staffListen: ListenAddress) throws {
        guard let onion = onionListen, onion.port != 0 else { return }
        if [publicListen, staffListen].contains(onion) {
            throw ConfigurationError.invalid("onion.listen must differ from public.listen and staff.listen")
        }
    }
}
