// `sealbox retain CASE --until DAY [--reason TEXT]`: keeps one case past its retention
// expiry (docs/PROTOCOL.md §9.6). The until-day goes to the server in clear (a date, not
// content) and is audited `retain:<day>`. The reason is meant to travel as a sealed note
// (issue 10); sealed notes are not built yet, so --reason is accepted and NOT sent.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct RetainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retain",
        abstract: "Keep a case past its retention period, until a day.",
        discussion: """
            The server deletes a case by itself once its retention period is over \\
            (retention.closed_days after it was closed, retention.inactive_days after its \\
            last activity otherwise; `sealbox list --expiring` shows the cases due within 30 \\
            days). This keeps CASE at least until DAY (in UTC, later than today). The day is \\
            sent in clear and recorded in the audit log. --reason is required by the office's \\
            rules but is NOT sent yet: it will travel as a sealed note once notes exist; keep \\
            it in your case file meanwhile. Needs your staff key file and its passphrase.
            """)

    @Argument(help: ArgumentHelp("The case reference: 8 letters and digits, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Option(name: .customLong("until"), help: ArgumentHelp("Keep the case at least until this day (YYYY-MM-DD).", valueName: "DAY"))
    var until: Day

    @Option(name: .customLong("reason"), help: ArgumentHelp("Why the case is kept (required; NOT sent yet: sealed notes do not exist yet).", valueName: "TEXT"))
    var reason: String

    @OptionGroup var staff: StaffOptions

    func run() async throws {
        let settings = try Settings.current()
        let client = try staff.client(settings: settings, purpose: "`sealbox retain`")
        let answer = try await client.send(method: "POST", pathAndQuery: StaffPath.retention(reference),
                                           json: RetainRequest(until: until))
        switch answer.status {
        case 200:
            let changed = try client.decode(RetentionChanged.self, from: answer.body, what: "a retention change")
            print("Case \(reference.text) is kept until \(changed.expires.text) at least.")
            Terminal.warning("the reason was not sent: sealed notes do not exist yet; keep it in your case file")
        case 404: throw client.unknownCase(reference)
        case 422: throw CLIError("\(until.text) is not later than today on the server", hint: "give a day in the future")
        default: throw client.unexpected(answer.status)
        }
    }
}
