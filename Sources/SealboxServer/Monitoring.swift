// Monitoring without surveillance: `/metrics` (Prometheus text format 0.0.4) and `/readyz`
// on the staff listener. docs/OPERATIONS.md ("Monitoring") lists every series.
//
// Rules this file enforces:
// - only totals: answers counted by route class and status class, the pool's queue and
//   its waiting time in sum, the codes ready, free bytes, the day of the last backup and
//   the release. No label ever holds a path, a case, an address, an agent or a time; the
//   one date is a day (the last backup's midnight, UTC);
// - the probes answer without a signature only while the staff listener is bound to
//   loopback (only this machine can ask); on any other address they are staff routes
//   like the rest and need a signed request (StaffAuthenticator);
// - written by hand (about a hundred lines) rather than with swift-prometheus and
//   swift-metrics: a fixed, small set of series that cannot grow a label by accident,
//   no global metrics system to bootstrap, and no dependency to build into the binary.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SealboxCore
import Synchronization

/// Answers counted by route class and status class since the daemon started.
final class AnswerCounters: Sendable {
    /// Which kind of route answered.
    enum Route: String, CaseIterable {
        case publicForm = "public_form", publicAPI = "public_api", inbox, staff
    }

    /// The status classes the brief of an administrator needs; anything else is `other`.
    static let statusClasses = ["2xx", "3xx", "400", "401", "404", "405", "413", "422", "429", "4xx", "500", "503", "507", "5xx"]

    private let counts = Mutex([Int](repeating: 0, count: Route.allCases.count * AnswerCounters.statusClasses.count))

    static func statusClass(_ code: Int) -> String {
        switch code {
        case 200..<300: "2xx"
        case 300..<400: "3xx"
        case 400, 401, 404, 405, 413, 422, 429, 500, 503, 507: String(code)
        case 400..<500: "4xx"
        default: "5xx"
        }
    }

    /// The route class of a request to a reporters' listener, by its path.
    static func reportersRoute(_ path: String) -> Route {
        if path == "/inbox" || path.hasPrefix("/inbox/") || path.hasPrefix("/api/v1/inbox") { return .inbox }
        if path.hasPrefix("/api/") { return .publicAPI }
        return .publicForm
    }

    func count(_ route: Route, status: Int) {
        let row = Route.allCases.firstIndex(of: route)!
        let column = Self.statusClasses.firstIndex(of: Self.statusClass(status))!
        counts.withLock { $0[row * Self.statusClasses.count + column] &+= 1 }
    }

    /// (route, status class, count) for every pair, zeros included (a series that exists from the start).
    var snapshot: [(Route, String, Int)] {
        let values = counts.withLock { $0 }
        return Route.allCases.enumerated().flatMap { row, route in
            Self.statusClasses.enumerated().map { column, status in (route, status, values[row * Self.statusClasses.count + column]) }
        }
    }
}

/// Counts every answer of one listener (outermost middleware: it sees the final status).
struct CountingMiddleware<Context: RequestContext>: RouterMiddleware {
    let counters: AnswerCounters
    /// nil: a reporters' listener, classified by path.
    let route: AnswerCounters.Route?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let route = route ?? AnswerCounters.reportersRoute(request.uri.path)
        do {
            let response = try await next(request, context)
            counters.count(route, status: Int(response.status.code))
            return response
        } catch {
            counters.count(route, status: (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500)
            throw error
        }
    }
}

/// What the probes read, all of it shared with the running daemon.
struct Monitoring: Sendable {
    let counters: AnswerCounters
    let database: MailboxDatabase
    let pool: BlockingPool
    let codes: CodePool?
    let space: StorageSpace

    /// The probes' paths: answered without a signature only on a loopback staff listener.
    static let paths: Set<String> = ["/metrics", "/readyz"]

    /// Whether `host` is a loopback address (only this machine reaches a listener there).
    static func isLoopback(_ host: String) -> Bool {
        host == "::1" || host == "localhost" || host.hasPrefix("127.") || host == "::ffff:127.0.0.1"
    }

    func addRoutes(to router: Router<SealboxRequestContext>) {
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: await exposition())))
        }
        router.get("/readyz") { _, _ in
            let ready = await database.acceptsWrites()
            return Response(status: ready ? .ok : .serviceUnavailable,
                            headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "not ready: the database takes no writes\n")))
        }
    }

    /// The Prometheus text exposition of every series.
    func exposition() async -> String {
        var out = ""
        func series(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        series("sealbox_build_info", "gauge", "The release of this daemon.", [("{version=\"\(SealboxRelease.version)\"}", "1")])
        series("sealbox_http_responses_total", "counter",
               "Answers since the start, by route class and status class (no path, no address, no time).",
               counters.snapshot.map { ("{route=\"\($0.0.rawValue)\",status=\"\($0.1)\"}", String($0.2)) })
        let wait = pool.waitTotals
        series("sealbox_kdf_pool_workers", "gauge", "Key-derivation workers.", [("", String(pool.workers))])
        series("sealbox_kdf_pool_queue_limit", "gauge", "Key derivations that may wait for a worker.", [("", String(pool.queueLimit))])
        series("sealbox_kdf_pool_queue_depth", "gauge", "Key derivations waiting for a worker now.", [("", String(pool.queued))])
        series("sealbox_kdf_pool_load", "gauge", "Key derivations waiting, running or with a place held.", [("", String(pool.load))])
        series("sealbox_kdf_pool_wait_seconds", "summary", "Time key derivations waited for a worker.",
               [("_sum", String(format: "%.6f", wait.seconds)), ("_count", String(wait.jobs))])
        series("sealbox_code_pool_capacity", "gauge", "Codes derived ahead at most (crypto.code_pool).", [("", String(codes?.capacity ?? 0))])
        series("sealbox_code_pool_ready", "gauge", "Codes derived ahead and ready now.", [("", String(codes?.readyCount ?? 0))])
        series("sealbox_storage_free_bytes", "gauge", "Bytes free on the storage filesystem.",
               [("", String(StorageSpace.available(at: space.path) ?? 0))])
        series("sealbox_storage_reserve_bytes", "gauge", "Bytes that must stay free (storage.reserve).", [("", String(space.reserve))])
        let backup: Day? = try? await database.lastBackupDay()
        series("sealbox_backup_last_success_day_seconds", "gauge",
               "Midnight (UTC) of the day of the last successful sealboxd backup, in Unix seconds; 0: none recorded.",
               [("", String(backup.map(Self.midnight) ?? 0))])
        return out
    }

    /// Midnight UTC of `day`, in Unix seconds (days since 1970-01-01 × 86400).
    static func midnight(_ day: Day) -> Int {
        // Howard Hinnant's days_from_civil.
        let y = day.month <= 2 ? day.year - 1 : day.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (day.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day.dayOfMonth - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146097 + doe - 719468) * 86400
    }
}
