// `sealbox assign CASE MEMBER | --none`: who works on a case, kept in the case data
// (PROTOCOL §3.4) with the follow-up day, which stays as it was. A member is today the
// key id of a staff key (docs/design/TEAM.md §2); `me` is the user's own.
import ArgumentParser
import Foundation
import SealboxCore
import SealboxCrypto

struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign a case to a member of the team, or to nobody.",
        discussion: """
            MEMBER is `me`, a staff key id (16 hex characters, as `sealbox show` and \
            `sealbox audit` print them) or a staff public key (sealbox-staff-v1:…); --none \
            leaves the case unassigned. The assignment is sealed to the team key in the case \
            data, together with the follow-up day (kept as it is: run `sealbox sync` first). \
            The server does not learn it. `sealbox list --mine` and `--unassigned` read it.
            """)

    @Argument(help: ArgumentHelp("The case reference, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Argument(help: ArgumentHelp("me, a staff key id or a staff public key.", valueName: "member"))
    var member: String?

    @Flag(name: .customLong("none"), help: "Leave the case unassigned.")
    var none = false

    @Flag(name: .customLong("json"), help: "Print the server's answer as JSON.")
    var json = false

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    func validate() throws {
        guard (member != nil) != none else { throw ValidationError("give either a MEMBER or --none") }
    }

    func run() async throws {
        let settings = try Settings.current()
        let sender = try CaseWorkSender.prepare(reference, settings: settings, store: store, teamKey: teamKey,
                                                staff: staff, purpose: "`sealbox assign`")
        let own = sender.client.key.publicKey
        let assigned = try member.map { text throws(CLIError) in try MemberArgument.parse(text, own: own) }
        let current = try sender.currentState(settings: settings, passphraseFlag: staff.passphrase.passphraseFile)
        let sent = try await sender.send(
            .caseData(case: reference, day: .today(), assigned: assigned, followUp: current.followUp), what: "case data")
        if json {
            print(Terminal.prettyJSON(sent))
        } else if let assigned {
            print("Case \(reference.text) assigned to \(MemberArgument.shown(assigned, own: own.keyID)).")
        } else {
            print("Case \(reference.text) is unassigned.")
        }
    }
}
