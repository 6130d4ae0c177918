// The root of `sealbox`, the counsellors' command-line tool. `main()` replaces
// ArgumentParser's so that every failure speaks in one voice (STYLE.md lesson 11):
// `sealbox: error: …` on stderr, an optional `sealbox: hint: …`, and the exit codes
// of ExitStatus, which the help text below documents.
import ArgumentParser
import Foundation
import SealboxCore
import SealboxCrypto

/// `sealbox`: fetch, list, read and answer the reports of a Sealbox mailbox.
public struct SealboxCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sealbox",
        abstract: "Read and answer the reports of a Sealbox mailbox on your own computer.",
        discussion: """
            Reports stay sealed on the server and in the local store. Only `sealbox show` \
            and `sealbox reply` open them, with the team key file and its passphrase \
            (`assign`, `follow-up` and `list --mine/--unassigned/--due` open only the \
            team's sealed case data, `stats` only the sealed statistic records).

            Usual steps: `sealbox sync` fetches new reports and the status of every case, \
            `sealbox list` (or `list --due`) shows the cases and their deadlines, `sealbox \
            show CASE` reads one, `sealbox reply CASE` answers the reporter, `sealbox status \
            CASE in-progress` tells them where the case stands, `sealbox note`, `code`, \
            `assign` and `follow-up` record the team's case work (never shown to the \
            reporter; `list --mine`, `--unassigned`, `--due` read it), `sealbox delete CASE` \
            asks to remove it for good (a second member, a lead where the team has a \
            roster, confirms with `--confirm`), `sealbox retain CASE --until DAY --reason \
            TEXT` keeps it past its retention period, `sealbox stats` counts the coded \
            cases (deleted ones included), and `sealbox audit` shows what staff did \
            (`--verify` checks its hash chain and that it extends the one pinned here).

            Every command can run without a terminal: give passphrases with \
            --passphrase-file, replies with --file FILE or - (standard input), confirm a \
            deletion with --yes, and read results with --json.

            `sealbox unlock` asks for the passphrase once and keeps the opened keys in a \
            small agent for the commands that follow, until `sealbox lock` or \
            agent_idle_minutes (default 15) without use.

            SETTINGS
              Each setting comes from a flag, else an environment variable, else the \
            settings file $XDG_CONFIG_HOME/sealbox/config.json (usually \
            ~/.config/sealbox/config.json), for example:
                {"server": "http://127.0.0.1:8081", "staff_key": "~/sealbox/staff.key",
                 "team_key": "~/sealbox/team.key"}
              Keys and variables: server (SEALBOX_SERVER), staff_key (SEALBOX_STAFF_KEY), \
            team_key (SEALBOX_TEAM_KEY), store (SEALBOX_STORE), passphrase_file \
            (SEALBOX_PASSPHRASE_FILE), staff_passphrase_file (SEALBOX_STAFF_PASSPHRASE_FILE, \
            when the staff key has another passphrase than the team key), server_ca_file \
            (SEALBOX_SERVER_CA_FILE, the PEM certificate of the authority that issued the \
            office's certificate, trusted instead of the system's), server_certificate_sha256 \
            (SEALBOX_SERVER_CERTIFICATE_SHA256, the fingerprint of the office's certificate: \
            only that certificate is accepted), coding_scheme (SEALBOX_CODING_SCHEME, the \
            office's additions to the coding scheme, `sealbox code --list`), trusted_leads \
            (SEALBOX_TRUSTED_LEADS, the member public keys of the team's first leads: the team \
            roster is verified from them by `sealbox team` and `sealbox sync`), agent_idle_minutes \
            (SEALBOX_AGENT_IDLE_MINUTES, how long `sealbox unlock`'s agent waits without use), \
            reply_templates (SEALBOX_REPLY_TEMPLATES, a folder of the office's reply templates \
            for the desk's composer, docs/REPLY-TEMPLATES.md).

            EXIT CODES
              0  success
              1  error (missing setting, unknown case, file problem, empty reply, deletion
                 not confirmed)
              2  wrong command line
              3  wrong passphrase, other team key, or altered or damaged data
              4  server unreachable, staff key refused, request refused, or server failure
            """,
        version: SealboxRelease.version,
        subcommands: [
            SyncCommand.self, ListCommand.self, ShowCommand.self, ReplyCommand.self, StatusCommand.self,
            NoteCommand.self, CodeCommand.self, AssignCommand.self, FollowUpCommand.self, DeleteCommand.self,
            RetainCommand.self, AuditCommand.self, StatsCommand.self, TeamCommand.self, RestrictCommand.self, RecoverCommand.self,
            KeygenCommand.self, StaffKeygenCommand.self, RecoveryKeygenCommand.self, DeskCommand.self,
            UnlockCommand.self, LockCommand.self, AgentCommand.self,
        ])

    public init() {}

    /// Runs `sealbox` with the process arguments and exits (the whole of `main.swift`).
    public static func runFromCommandLine() async -> Never {
        let status = await run(arguments: Array(CommandLine.arguments.dropFirst()))
        terminateProcess(status)
    }

    /// Runs `sealbox` with `arguments`, writing messages to stdout/stderr; returns the exit status.
    public static func run(arguments: [String]) async -> ExitStatus {
        umask(0o077)  // every file sealbox creates is private to the user
        SecureMemory.disableCoreDumps()  // decrypted reports must not end up in a core file
        let arguments = CommandLineInput.joiningSplitReference(arguments)
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return .ok
        } catch let error as CLIError {
            Terminal.error(error.description)
            return error.status
        } catch let error as ExitStatusError {
            return error.status
        } catch {
            if exitCode(for: error) == .validationFailure,
               let typo = CommandLineInput.malformedReference(arguments, known: { CommandLineInput.storedReferences(arguments) }) {
                Terminal.error(typo.description)
                return typo.status
            }
            return report(argumentError: error)
        }
    }

    /// Reports an ArgumentParser error (help, version, usage) in sealbox's voice.
    private static func report(argumentError error: any Error) -> ExitStatus {
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            return .ok
        }
        var text = fullMessage(for: error)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        Terminal.error("sealbox: error: " + text)
        return code == .validationFailure ? .usage : .failure
    }
}

/// Ends a command with a status after it has written its own messages.
struct ExitStatusError: Error {
    let status: ExitStatus
}

/// Ends the process with `status` (a free function: inside the command type `exit` means ArgumentParser's).
func terminateProcess(_ status: ExitStatus) -> Never {
    exit(status.rawValue)
}
