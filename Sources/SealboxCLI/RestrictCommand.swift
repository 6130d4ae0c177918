// `sealbox restrict CASE --to LABEL,LABEL` (docs/PROTOCOL.md §12.7): a lead restricts a
// case (a report about a colleague) to named members. Her workstation makes a case key
// pair, grants it to the named members and the recovery key, and sends one signed
// `restrict` entry. From then on the daemon seals the case's new items to the case key and
// the recovery key and serves the case only to the named members; every other
// workstation purges the case at its next sync. What was read before stays read.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct RestrictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restrict",
        abstract: "Restrict a case to named members (leads only).",
        discussion: """
            For a report about a colleague: the case's later items are sealed to a key \
            only the named members and the office's recovery key hold, and the server \
            serves the case (its items, attachments and list row) only to them. The other \
            members' workstations remove the case at their next `sealbox sync`; a \
            restriction cannot take back what they read before. Needs key epochs \
            (`sealbox team rotate --recovery-key …`). Restricting a case again replaces the \
            named members (with a new case key).
            """)

    @Argument(help: ArgumentHelp("The case reference, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Option(name: .customLong("to"), help: ArgumentHelp("The labels of the members who may read it, separated by commas.",
                                                        valueName: "labels"))
    var labels: String

    @OptionGroup var team: TeamOptions

    func run() async throws {
        let (client, roster, signer) = try await team.open(purpose: "`sealbox restrict`", signing: true)
        let (after, members) = try await Self.restrict(reference, labels: labels, client: client, roster: roster, signer: signer!)
        print("Case \(reference.text) is restricted to \(members.map { Terminal.displaySafe($0.label) }.joined(separator: ", ")) "
              + "(entry \(after.head.seq)). The other members' workstations remove it at their next sync.")
    }

    /// Appends the signed `restrict` entry with a new case key granted to the named members
    /// (`labels`, separated by commas) and the recovery key; also the desk's team page.
    static func restrict(_ reference: CaseReference, labels: String, client: RosterClient, roster: RosterVerifier,
                         signer: MemberSecretKey) async throws(CLIError) -> (RosterVerifier, [RosterMember]) {
        guard roster.epoch > 0 else {
            throw CLIError("a case can be restricted only once the team has key epochs",
                           hint: "a lead starts them with `sealbox team rotate --recovery-key …`", status: .failure)
        }
        var members: [RosterMember] = []
        for label in labels.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !label.isEmpty {
            guard let member = roster.activeMember(label: label) else {
                throw CLIError("the team has no active member labelled \"\(Terminal.displaySafe(String(label.prefix(70))))\"",
                               hint: "see the labels with `sealbox team list`", status: .usage)
            }
            if !members.contains(where: { $0.id == member.id }) { members.append(member) }
        }
        guard !members.isEmpty else { throw CLIError("name at least one member with --to", status: .usage) }
        let answer = try await client.client.send(method: "GET", pathAndQuery: StaffPath.cases)
        guard answer.status == 200 else { throw client.client.unexpected(answer.status) }
        let list = try client.client.decode(CaseList.self, from: answer.body, what: "a list of cases")
        guard list.cases.contains(where: { $0.case == reference }) else { throw client.client.unknownCase(reference) }
        let caseKey = BoxSecretKey.generate()
        let restriction = RosterCaseField(ref: reference, key: caseKey.publicKey, members: members.map(\.id))
        let after = try await client.append(roster, signer: signer, action: .restrict, member: nil,
                                            restriction: restriction) { entry, next throws(CLIError) in
            try EpochGrants.make(entry, before: roster, after: next, secrets: [.case(reference): caseKey])
        }
        return (after, members)
    }
}
