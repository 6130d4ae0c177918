// `sealbox retain CASE --until DAY --reason TEXT`: keeps one case past its retention
// expiry (docs/PROTOCOL.md §9.6). The until-day goes to the server in clear (a date, not
// content) and is audited `retain:<day>`; the reason goes in the same command as a sealed
// note of the team (PROTOCOL §3.4), "Retention extended until DAY: TEXT", which every
// member reads and the reporter never does (audited `note`). Everything that can be
// checked here (the case in the local store, the team key, the staff key) is checked
// before anything is sent; the note follows only a retention the server accepted.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct RetainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retain",
        abstract: "Keep a case past its retention period, until a day, and say why in a team note.",
        discussion: """
            The server deletes a case by itself once its retention period is over \\
            (retention.closed_days after it was closed, retention.inactive_days after its \\
            last activity otherwise; `sealbox list --expiring` shows the cases due within 30 \\
            days). This keeps CASE at least until DAY (in UTC, later than today). The day is \\
            sent in clear and recorded in the audit log. The reason is sent as a note of the \\
            team ("Retention extended until DAY: REASON"), signed with your staff key and \\
            sealed to the team key like `sealbox note`: every member reads it after `sealbox \\
            sync`, the reporter never does. Needs the case in the local store (`sealbox \\
            sync`), the team key file (its public part) and your staff key file.
            """)

    @Argument(help: ArgumentHelp("The case reference: 8 letters and digits, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Option(name: .customLong("until"), help: ArgumentHelp("Keep the case at least until this day (YYYY-MM-DD).", valueName: "DAY"))
    var until: Day

    @Option(name: .customLong("reason"), help: ArgumentHelp("Why the case is kept; sent as a sealed note of the team.", valueName: "TEXT"))
    var reason: String

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    func validate() throws {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("give the reason for keeping the case with --reason")
        }
    }

    /// The note's text: the day and the reason.
    static func noteText(until: Day, reason: String) -> String {
        "Retention extended until \(until.text): \(reason.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    func run() async throws {
        let settings = try Settings.current()
        let sender = try CaseWorkSender.prepare(reference, settings: settings, store: store, teamKey: teamKey,
                                                staff: staff, purpose: "`sealbox retain`")
        let changed = try await Self.send(until: until, reason: reason, sender: sender)
        print("Case \(reference.text) is kept until \(changed.expires.text) at least. The reason is in a team note.")
    }

    /// Extends the retention on the server, then sends the reason as a team note; the
    /// desk's retention form runs this too.
    static func send(until: Day, reason: String, sender: CaseWorkSender) async throws(CLIError) -> RetentionChanged {
        let reference = sender.reference
        let client = sender.client
        let answer = try await client.send(method: "POST", pathAndQuery: StaffPath.retention(reference),
                                           json: RetainRequest(until: until))
        let changed: RetentionChanged
        switch answer.status {
        case 200:
            changed = try client.decode(RetentionChanged.self, from: answer.body, what: "a retention change")
        case 404: throw client.unknownCase(reference)
        case 422: throw CLIError("\(until.text) is not later than today on the server; nothing was sent",
                                 hint: "give a day in the future")
        default: throw client.unexpected(answer.status)
        }
        do {
            _ = try await sender.send(.note(case: reference, day: .today(), text: noteText(until: until, reason: reason)),
                                      what: "note with the reason")
        } catch {
            throw CLIError("case \(reference.text) is kept until \(changed.expires.text), but the reason was not sent: \(error.message)",
                           hint: "send it with `sealbox note \(reference.text)`", status: error.status)
        }
        return changed
    }
}
