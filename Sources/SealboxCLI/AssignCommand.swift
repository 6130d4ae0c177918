// `sealbox assign CASE MEMBER | --none`: who works on a case, kept in the case data
// (PROTOCOL §3.4) with the follow-up day, which stays as it was. With a pinned roster a
// member is named by her label and stored as her member id (PROTOCOL §12.3); without one
// by the key id of a staff key; `me` is the user's own.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign a case to a member of the team, or to nobody.",
        discussion: """
            MEMBER is `me`, the label of an active member of the team roster this \
            workstation has verified (with trusted_leads set; `sealbox team list`), a \
            member id or staff key id (16 hex characters) or a public key; --none \
            leaves the case unassigned. The assignment is sealed to the team key in the case \
            data, together with the follow-up day (kept as it is: run `sealbox sync` first). \
            The server does not learn it. `sealbox list --mine` and `--unassigned` read it.
            """)

    @Argument(help: ArgumentHelp("The case reference, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Argument(help: ArgumentHelp("me, a member's label, a member id or staff key id, or a public key.", valueName: "member"))
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
        let keyFile = try settings.requiredPath(.staffKey, flag: staff.server.staffKey, for: "`sealbox assign`")
        let own = try KeyFiles.ownMemberID(at: keyFile)
        let team = try TeamDirectory.load(settings: settings, store: sender.local)
        let assigned = try member.map { text throws(CLIError) in try MemberArgument.parse(text, own: own, team: team) }
        let current = try sender.currentState(settings: settings, passphraseFlag: staff.passphrase.passphraseFile)
        let sent = try await Self.send(assigned, sender: sender, current: current)
        if json {
            print(Terminal.prettyJSON(sent))
        } else if let assigned {
            print("Case \(reference.text) assigned to \(team.shown(assigned, own: own)).")
        } else {
            print("Case \(reference.text) is unassigned.")
        }
    }

    /// Sends the case data naming `assigned` (nil: nobody) with the current follow-up day
    /// kept; the desk's assignment form runs this too.
    static func send(_ assigned: KeyID?, sender: CaseWorkSender, current: CaseWorkState) async throws(CLIError) -> CaseWorkCreated {
        try await sender.send(.caseData(case: sender.reference, day: .today(), assigned: assigned, followUp: current.followUp),
                              what: "case data")
    }
}
