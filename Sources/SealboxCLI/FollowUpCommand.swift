// `sealbox follow-up CASE --on DAY | --none`: the day the team means to look at a case
// again, kept in the case data (PROTOCOL §3.4) with the assignment, which stays as it was.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct FollowUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow-up",
        abstract: "Set or clear the day to look at a case again (shown by `list --due`).",
        discussion: """
            --on DAY (YYYY-MM-DD) sets the follow-up day, --none clears it. The day is sealed \
            to the team key in the case data, together with the assignment (kept as it is: \
            run `sealbox sync` first so that you build on your colleagues' latest case data). \
            The server does not learn it. `sealbox list --due` lists a case from 7 days \
            before its follow-up day.
            """)

    @Argument(help: ArgumentHelp("The case reference, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Option(name: .customLong("on"), help: ArgumentHelp("The follow-up day.", valueName: "YYYY-MM-DD"))
    var on: Day?

    @Flag(name: .customLong("none"), help: "Clear the follow-up day.")
    var none = false

    @Flag(name: .customLong("json"), help: "Print the server's answer as JSON.")
    var json = false

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    func validate() throws {
        guard (on != nil) != none else { throw ValidationError("give either --on DAY or --none") }
    }

    func run() async throws {
        let settings = try Settings.current()
        let sender = try CaseWorkSender.prepare(reference, settings: settings, store: store, teamKey: teamKey,
                                                staff: staff, purpose: "`sealbox follow-up`")
        let current = try sender.currentState(settings: settings, passphraseFlag: staff.passphrase.passphraseFile)
        let sent = try await Self.send(on, sender: sender, current: current)
        if json {
            print(Terminal.prettyJSON(sent))
        } else if let on {
            print("Follow-up of case \(reference.text) set to \(on.text).")
        } else {
            print("Follow-up of case \(reference.text) cleared.")
        }
    }

    /// Sends the case data with the follow-up day `day` (nil: none) and the current
    /// assignment kept; the desk's follow-up form runs this too.
    static func send(_ day: Day?, sender: CaseWorkSender, current: CaseWorkState) async throws(CLIError) -> CaseWorkCreated {
        try await sender.send(.caseData(case: sender.reference, day: .today(), assigned: current.assigned, followUp: day),
                              what: "case data")
    }
}
