// `sealbox unlock`, `sealbox unlock --status`, `sealbox lock` and the hidden `sealbox agent`
// (docs/WORKSTATION.md "Unlock once"). `unlock` opens the key files as any command would
// (same passphrase sources), then starts `sealbox agent` in a session of its own, hands it
// the opened keys over a pipe (never a file), waits until its socket answers, and returns.
// The agent holds the keys in SecureBytes, answers on its private socket, and ends after
// `agent_idle_minutes` without a request, on `sealbox lock`, or on SIGTERM; it wipes the
// keys then. Commands use it when it holds their key files (KeyAccessResolver).
import ArgumentParser
import Foundation
import SealboxCrypto
import SealboxWorkstation

struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Unlock your keys once, so that later commands do not ask for the passphrase.",
        discussion: """
            Asks for the passphrase (or reads --passphrase-file) once and starts a small \
            agent that holds the opened keys in memory, on a socket only you can use \
            ($XDG_RUNTIME_DIR/sealbox/agent.sock). Until `sealbox lock`, or until \
            agent_idle_minutes (default 15) pass without a command using it, `show`, \
            `reply`, `note`, `code`, `list`, `sync`, `stats` and the other commands take the \
            keys from it. The agent never writes the keys anywhere and never gives them \
            out. `sealbox show --attachments` and the team commands of leads still ask for \
            the passphrase. After `sealbox sync` fetched grants of a new key epoch, unlock again.
            """)

    @Flag(name: .customLong("status"), help: "Say whether the agent runs, for which keys and for how long.")
    var status = false

    @Option(name: .customLong("idle-minutes"), help: ArgumentHelp(
        "Minutes without a request before the agent ends (default: $SEALBOX_AGENT_IDLE_MINUTES, \"agent_idle_minutes\" in the settings file, or 15); a number, or seconds as 30s.",
        valueName: "minutes"))
    var idleMinutes: String?

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    func run() async throws {
        let client = AgentClient.forUser()
        if status { return try Self.printStatus(client) }
        if client.isAnswering() {
            throw CLIError("an unlock agent runs already", hint: "see it with `sealbox unlock --status`; end it with `sealbox lock`")
        }
        let settings = try Settings.current()
        let idle = try Self.idleSeconds(idleMinutes ?? settings.value(.agentIdleMinutes, flag: nil))
        let local = try? LocalStore.open(settings.storeDirectory(flag: store.store), create: false)
        let source = try TeamKeySource.resolve(settings: settings, store: local ?? nil, teamKeyFlag: teamKey.teamKey,
                                               staffKeyFlag: staff.server.staffKey, purpose: "`sealbox unlock`")
        let keyring = try source.open(settings: settings, store: local ?? nil, passphraseFlag: staff.passphrase.passphraseFile,
                                      staffPassphraseFlag: staff.staffPassphrase.staffPassphraseFile, useAgent: false)
        let keys: UnlockedKeys
        let identity: AgentIdentity
        switch source {
        case .grants(let file, _, _, _):
            keys = UnlockedKeys(boxKeys: keyring.inProcessKeys, signingKey: (keyring.access as? UnlockedKeys)?.signingKey)
            identity = AgentIdentity(source: "grants", files: [file.path], idleSeconds: idle)
        case .teamKeyFile(let file, _):
            var files = [file.path]
            var signing: SigningSecretKey?
            if let staffFile = settings.path(.staffKey, flag: staff.server.staffKey) {
                signing = try KeyFiles.openStaffKey(at: staffFile, settings: settings, passphraseFlag: staff.passphrase.passphraseFile,
                                                    staffPassphraseFlag: staff.staffPassphrase.staffPassphraseFile)
                files.append(staffFile.path)
            }
            keys = UnlockedKeys(boxKeys: keyring.inProcessKeys, signingKey: signing)
            identity = AgentIdentity(source: "team-key", files: files, idleSeconds: idle)
        }
        try AgentLauncher.start(keys: keys, identity: identity, client: client)
        keys.wipe()
        print("Unlocked: sealbox commands use your keys without asking for the passphrase, until `sealbox lock` "
              + "or \(Self.duration(idle)) without a command.")
    }

    /// Seconds from a setting: minutes as a number (fractions allowed), or seconds as `30s`; default 15 minutes.
    static func idleSeconds(_ text: String?) throws(CLIError) -> Double {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return 15 * 60 }
        let seconds: Double? = text.hasSuffix("s") ? Double(text.dropLast()) : Double(text).map { $0 * 60 }
        guard let seconds, seconds.isFinite, seconds >= 1, seconds <= 24 * 3600 else {
            throw CLIError("\"\(Terminal.displaySafe(String(text.prefix(20))))\" is not a time the agent can wait",
                           hint: "give minutes (1 to 1440, for example 15 or 0.5) or seconds as 30s", status: .usage)
        }
        return seconds
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 90 ? "\(Int((seconds / 60).rounded())) minutes" : "\(Int(seconds.rounded())) seconds"
    }

    static func printStatus(_ client: AgentClient) throws {
        let status: AgentAnswer
        do throws(AgentClientError) {
            status = try client.exchange(AgentRequest(op: .status))
        } catch .untrusted(let reason) {
            throw CLIError("the unlock agent's socket is not yours: \(reason)", hint: "remove \(client.path) and its folder")
        } catch {
            print("No unlock agent runs; commands ask for the passphrase. Start one with `sealbox unlock`.")
            throw ExitStatusError(status: .failure)
        }
        let files = (status.files ?? []).joined(separator: ", ")
        print("The unlock agent runs (process \(status.pid.map(String.init) ?? "?")) with the keys of \(files).")
        print("It ends after \(duration(status.remainingSeconds ?? 0)) more without a command, or with `sealbox lock`.")
    }
}

struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "End the unlock agent: its keys are wiped, and commands ask for the passphrase again.")

    func run() throws {
        let client = AgentClient.forUser()
        do throws(AgentClientError) {
            _ = try client.exchange(AgentRequest(op: .lock))
        } catch .notRunning {
            print("No unlock agent runs.")
            return
        } catch .untrusted(let reason) {
            throw CLIError("the unlock agent's socket is not yours: \(reason)", hint: "remove \(client.path) and its folder")
        } catch {
            throw CLIError("the unlock agent did not lock (\(error))", hint: "end its process (`sealbox unlock --status` names it)")
        }
        // The agent removes its socket as it ends; wait for that, so that the next command asks.
        for _ in 0..<100 where FileManager.default.fileExists(atPath: client.path) { usleep(20_000) }
        print("Locked: the agent ended and its keys are wiped.")
    }
}

/// `sealbox agent`: the agent process itself, started by `sealbox unlock` (not for people).
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "The unlock agent (started by `sealbox unlock`).", shouldDisplay: false)

    func run() throws {
        setsid()  // a session of its own: the terminal's hangup does not end it
        guard let bytes = AgentHandoff.read(from: STDIN_FILENO), let (keys, identity) = AgentHandoff.decode(bytes) else {
            throw CLIError("sealbox agent is started by `sealbox unlock`", status: .usage)
        }
        bytes.withUnsafeMutableBytes { SecureMemory.wipe($0) }
        let location = AgentSocket.location(environment: ProcessInfo.processInfo.environment)
        let server = AgentServer(folder: location.folder, path: location.socket,
                                 handler: AgentHandler(keys: keys, identity: identity, now: AgentSocket.monotonicNow()))
        do throws(AgentSocketError) {
            try server.bind()
        } catch {
            keys.wipe()
            throw CLIError(error.message)
        }
        // Nothing more is said: stdin, stdout and stderr go nowhere from here on.
        let null = open("/dev/null", O_RDWR)
        if null >= 0 { for fd: Int32 in [0, 1, 2] { dup2(null, fd) }; close(null) }
        server.run()
    }
}

/// Starts the agent process and hands it the keys.
enum AgentLauncher {
    static func start(keys: UnlockedKeys, identity: AgentIdentity, client: AgentClient) throws(CLIError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ownExecutable())
        process.arguments = ["agent"]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw CLIError("cannot start the unlock agent (\(error))")
        }
        let handoff = AgentHandoff.encode(keys, identity: identity)
        let fd = input.fileHandleForWriting.fileDescriptor
        let written: Bool = handoff.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        try? input.fileHandleForWriting.close()
        handoff.withUnsafeMutableBytes { SecureMemory.wipe($0) }
        guard written else { throw CLIError("cannot hand the keys to the unlock agent") }
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if client.isAnswering() { return }
            if !process.isRunning {
                let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    .split(separator: "\n").first.map(String.init) ?? ""
                throw CLIError("the unlock agent did not start" + (said.isEmpty ? "" : ": " + said))
            }
            usleep(20_000)
        }
        process.terminate()
        throw CLIError("the unlock agent did not answer within 15 seconds; it was stopped")
    }

    private static func ownExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return CommandLine.arguments[0]
    }
}
