// `sealbox desk [--port N] [--no-browser]`: the counsellor's desk, a web interface on
// 127.0.0.1 over the same local store and key files (SealboxDesk, docs/WORKSTATION.md
// "The desk"). Prints the one-time start address (and opens the browser when a display
// is there), then serves until Ctrl-C; the keys are wiped on lock, after desk_idle_lock
// minutes without use, and at the end.
import ArgumentParser
import Foundation
import SealboxCore
import SealboxDesk

struct DeskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "Open the counsellor's desk: the case work in your browser, on this computer only.",
        discussion: """
            Starts a web interface on 127.0.0.1 (never reachable from another computer) over \
            the local store and key files the other commands use, prints a one-time start \
            address and opens it in the browser (with --no-browser it only prints it). The \
            address works once; the browser then holds a session cookie. Sign in with the \
            passphrase of your key files: the desk opens them once and keeps the keys in \
            memory only, until you press Lock, until desk_idle_lock minutes pass without use \
            (SEALBOX_DESK_IDLE_LOCK, default 15), or until the desk stops (Ctrl-C). Nothing \
            decrypted is written to disk. New reports are fetched right after sign-in and \
            then every desk_sync_minutes (SEALBOX_DESK_SYNC_MINUTES, default 5; 0: only after \
            sign-in) while the desk is unlocked. The pages are German or English after the \
            browser's language, or desk_language (SEALBOX_DESK_LANGUAGE: de or en).
            """)

    @Option(name: .customLong("port"), help: ArgumentHelp("The port on 127.0.0.1 (default: one the system chooses).",
                                                          valueName: "port"))
    var port: Int = 0

    @Flag(name: .customLong("no-browser"), help: "Only print the start address; do not open a browser.")
    var noBrowser = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be a number from 0 to 65535") }
    }

    func run() async throws {
        let settings = try Settings.current()
        let minutes = try Self.idleLock(settings)
        let syncMinutes = try Self.syncMinutes(settings)
        let language = settings.value(.deskLanguage, flag: nil)?.lowercased()
        if let language, !["de", "en"].contains(language) {
            throw CLIError("desk_language must be de or en, not \"\(Terminal.displaySafe(String(language.prefix(20))))\"",
                           hint: "set SEALBOX_DESK_LANGUAGE or \"desk_language\" to de or en, or leave it unset", status: .usage)
        }
        // The settings the desk needs, refused at start rather than on the first page.
        _ = try settings.server(flag: nil)
        _ = try settings.requiredPath(.staffKey, flag: nil, for: "`sealbox desk`")
        _ = try DeskWorkstation.searchBudget(settings)
        let configuration = DeskConfiguration(
            port: port, idleLock: .milliseconds(Int64(minutes * 60_000)),
            idleMinutesText: minutes == minutes.rounded() ? String(Int(minutes)) : String(minutes), language: language,
            syncInterval: syncMinutes > 0 ? .milliseconds(Int64(syncMinutes * 60_000)) : nil)
        let pool = BlockingPool(workers: 1, queueLimit: 4)
        defer { pool.shutdown() }
        let desk = Desk(configuration: configuration, backend: DeskWorkstation(settings: settings, pool: pool))
        let openBrowser = !noBrowser
        do {
            try await desk.run { address in
                let lines = "sealbox desk: open \(address)\n"
                    + "sealbox desk: the address works once; stop the desk with Ctrl-C\n"
                FileHandle.standardOutput.write(Data(lines.utf8))
                if openBrowser { Self.openBrowser(address) }
            }
        } catch {
            throw CLIError("the desk could not listen on 127.0.0.1:\(port) (\(error))",
                           hint: "choose another --port, or leave it out to let the system choose one")
        }
    }

    /// `desk_idle_lock` in minutes: more than 0, at most a day.
    static func idleLock(_ settings: Settings) throws(CLIError) -> Double {
        guard let text = settings.value(.deskIdleLock, flag: nil) else { return 15 }
        guard let minutes = Double(text), minutes.isFinite, minutes > 0, minutes <= 1440 else {
            throw CLIError("desk_idle_lock must be a number of minutes above 0 and at most 1440, not \"\(text.prefix(20))\"",
                           hint: "set SEALBOX_DESK_IDLE_LOCK or \"desk_idle_lock\" in the settings file", status: .usage)
        }
        return minutes
    }

    /// `desk_sync_minutes`: 0 (only after sign-in) or more than 0, at most a day.
    static func syncMinutes(_ settings: Settings) throws(CLIError) -> Double {
        guard let text = settings.value(.deskSyncMinutes, flag: nil) else { return 5 }
        guard let minutes = Double(text), minutes.isFinite, minutes >= 0, minutes <= 1440 else {
            throw CLIError("desk_sync_minutes must be a number of minutes from 0 to 1440, not \"\(Terminal.displaySafe(String(text.prefix(20))))\"",
                           hint: "set SEALBOX_DESK_SYNC_MINUTES or \"desk_sync_minutes\" in the settings file (0: only after sign-in)",
                           status: .usage)
        }
        return minutes
    }

    /// Opens `address` with xdg-open when a display is there; the address is printed anyway.
    static func openBrowser(_ address: String) {
        let environment = ProcessInfo.processInfo.environment
        guard environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", address]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }
}
