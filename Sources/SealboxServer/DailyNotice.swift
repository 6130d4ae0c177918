// The daily notice (`notify.*`, issue 10 "Notification that does not leak"): at a fixed
// time of day the daemon runs `notify.command` (an argv array, no shell) with a fixed text
// on its standard input. By default the notice goes every day, the same bytes whether or
// not anything arrived, so that neither its content, its length nor its sending says
// anything; with `notify.only_when_new` it goes only on days with a new report or
// follow-up. Never a count, a case, or a time of arrival. A failing command is logged
// with its exit status, never with its output.
import Configuration
import Foundation
import Logging
import SealboxCore
import ServiceLifecycle

/// A time of day, `HH:MM` (or `HH:MM:SS`), in the server's time zone.
public struct TimeOfDay: Sendable, Equatable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int
    public let second: Int

    /// Accepts `HH:MM` or `HH:MM:SS`, 00:00 to 23:59:59.
    public init(parsing text: String) throws(ConfigurationError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let numbers = parts.map { part -> Int? in
            part.count == 2 && part.allSatisfy { $0.isASCII && $0.isNumber } ? Int(part) : nil
        }
        guard (2...3).contains(parts.count), numbers.allSatisfy({ $0 != nil }),
              let hour = numbers[0], let minute = numbers[1], hour < 24, minute < 60,
              (numbers.count == 2 || numbers[2]! < 60)
        else { throw .invalid("notify.time must be a time of day written HH:MM (for example 08:30)") }
        self.hour = hour
        self.minute = minute
        self.second = numbers.count == 3 ? numbers[2]! : 0
    }

    /// The first moment strictly after `date` at this time of day in `zone` (on a day
    /// whose clock skips this time, the first moment after the gap).
    public func next(after date: Date, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(hour: hour, minute: minute, second: second)
        return calendar.nextDate(after: date, matching: components, matchingPolicy: .nextTime)
            ?? date.addingTimeInterval(86_400)
    }

    public var description: String {
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(pad(hour)):\(pad(minute))" + (second == 0 ? "" : ":\(pad(second))")
    }
}

/// The `notify.*` settings. Without `notify.command` there is no notice.
public struct NoticeSettings: Sendable, Equatable {
    /// When the notice goes (`notify.time`, default 08:00, the server's time zone).
    public var time = try! TimeOfDay(parsing: "08:00")
    /// The program and its arguments (`notify.command`); empty: no notice.
    public var command: [String] = []
    /// Only on days with a new report or follow-up (`notify.only_when_new`, default false).
    public var onlyWhenNew = false
    /// The notice's text (`notify.text`), the same bytes every day.
    public var text = NoticeSettings.standardText

    public init() {}

    /// The text the team gets unless the office writes its own: German and English, with
    /// nothing that changes from one day to the next.
    public static let standardText = """
        Sealbox: Bitte sehen Sie im Postfach nach, ob neue Meldungen oder Nachrichten eingegangen sind.
        Diese Nachricht enthält keine Angaben über Meldungen.

        Sealbox: Please check the mailbox for new reports or messages.
        This notice says nothing about any report.

        """

    /// Whether a notice is configured.
    public var isEnabled: Bool { !command.isEmpty }

    /// The longest a notice command may run before it is stopped.
    public static let commandTimeout: TimeInterval = 60

    /// Reads `notify.*`; refuses a command that is not an absolute path to a program.
    static func from(_ reader: ConfigReader) throws -> NoticeSettings {
        var settings = NoticeSettings()
        var problems = ProblemList()
        problems.check {
            if let text = reader.string(forKey: "notify.time") { settings.time = try TimeOfDay(parsing: text) }
        }
        settings.command = reader.stringArray(forKey: "notify.command") ?? []
        if let program = settings.command.first {
            if !program.hasPrefix("/") {
                problems.add("notify.command must start with the absolute path of a program (it runs without a shell), e.g. [\"/usr/bin/msmtp\", \"team@example.org\"]")
            } else if !FileManager.default.isExecutableFile(atPath: program) {
                problems.add("notify.command names \(program), which is not an executable file")
            }
        }
        settings.onlyWhenNew = reader.bool(forKey: "notify.only_when_new") ?? false
        if let text = reader.string(forKey: "notify.text") {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.utf8.count > 4096 {
                problems.add("notify.text must be between 1 and 4096 bytes (or be left out for the standard text)")
            } else {
                settings.text = text.hasSuffix("\n") ? text : text + "\n"
            }
        }
        try problems.throwIfAny()
        return settings
    }
}

/// Runs the notice command: no shell, a small fixed environment, the text on standard
/// input, its output discarded, stopped after `NoticeSettings.commandTimeout`.
public enum NoticeCommand {
    /// How a run ended.
    public enum Outcome: Sendable, Equatable {
        case succeeded
        case failed(status: Int32)
        case timedOut
        case cannotStart
    }

    public static func run(_ argv: [String], input: String, timeout: TimeInterval = NoticeSettings.commandTimeout) async -> Outcome {
        guard let program = argv.first else { return .cannotStart }
        // A command that exits without reading its input must not take the daemon with it.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = Array(argv.dropFirst())
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"]
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let box = ProcessBox(process)
        return await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            process.terminationHandler = { finished in
                once.resume(box.timedOut ? .timedOut
                    : finished.terminationStatus == 0 && finished.terminationReason == .exit ? .succeeded
                    : .failed(status: finished.terminationStatus))
            }
            do {
                try process.run()
            } catch {
                once.resume(.cannotStart)
                return
            }
            try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { box.stopIfRunning() }
        }
    }

    /// The process, shared with the timer that may stop it.
    private final class ProcessBox: @unchecked Sendable {
        private let lock = NSLock()
        private let process: Process
        private var stopped = false

        init(_ process: Process) { self.process = process }

        var timedOut: Bool { lock.withLock { stopped } }

        func stopIfRunning() {
            lock.withLock {
                guard process.isRunning else { return }
                stopped = true
                kill(process.processIdentifier, SIGKILL)
            }
        }
    }

    /// Resumes a continuation at most once.
    private final class ResumeOnce: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Outcome, Never>?

        init(_ continuation: CheckedContinuation<Outcome, Never>) { self.continuation = continuation }

        func resume(_ outcome: Outcome) {
            let pending = lock.withLock { () -> CheckedContinuation<Outcome, Never>? in
                defer { continuation = nil }
                return continuation
            }
            pending?.resume(returning: outcome)
        }
    }
}

/// Sends the daily notice at `notify.time` until the daemon shuts down. Its description
/// is its name alone: the service lifecycle logs every service at start (debug), and a
/// time of day has no place in a log line (docs/SECURITY.md, the log audit).
struct DailyNoticeService: Service, CustomStringConvertible {
    var description: String { "DailyNoticeService" }
    let settings: NoticeSettings
    let database: MailboxDatabase
    let logger: Logger
    var zone = TimeZone.current

    func run() async throws {
        await cancelWhenGracefulShutdown {
            // The first notice after a start counts what arrived since the day before.
            var lastNotice = Day.today().adding(days: -1)
            var next = settings.time.next(after: Date(), in: zone)
            while !Task.isCancelled {
                let wait = next.timeIntervalSinceNow
                if wait > 0 {
                    // Wake at least once a minute, so that a changed clock is followed.
                    try? await Task.sleep(for: .milliseconds(Int64(min(wait, 60) * 1000)))
                    continue
                }
                let today = Day.today()
                await send(since: lastNotice)
                lastNotice = today
                next = settings.time.next(after: max(Date(), next), in: zone)
            }
        }
    }

    /// Runs the command, unless only new items are announced and none came.
    func send(since day: Day) async {
        if settings.onlyWhenNew {
            guard let new = try? await database.hasReporterItems(since: day) else {
                logger.warning("the daily notice was not sent: the database could not be read")
                return
            }
            guard new else { return }
        }
        let outcome = await NoticeCommand.run(settings.command, input: settings.text)
        switch outcome {
        case .succeeded: logger.info("the daily notice was sent")
        case .failed(let status): logger.warning("the daily notice command failed with exit status \(status)")
        case .timedOut: logger.warning("the daily notice command did not finish within \(Int(NoticeSettings.commandTimeout)) s and was stopped")
        case .cannotStart: logger.warning("the daily notice command could not be started")
        }
    }
}
