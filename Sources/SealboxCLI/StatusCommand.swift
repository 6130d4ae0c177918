// `sealbox status CASE received|acknowledged|in-progress|closed`: sets a case's status
// on the server (the reporter sees it when they come back with their code). The local
// store records the server's answer for `list`; the status change itself appears in
// `show` after the next `sealbox sync` (or at once when the server names its item id).
import ArgumentParser
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Set the status of a case; the reporter sees it.",
        discussion: """
            STATUS is one of received, acknowledged, in-progress, closed. Needs your staff \
            key file and its passphrase; the case need not be in the local store. A closed \
            case has no more deadlines in `sealbox list`.
            """)

    @Argument(help: ArgumentHelp("The case reference, for example 7KQM-3XWP.", valueName: "case"))
    var caseReference: String

    @Argument(help: ArgumentHelp("received, acknowledged, in-progress or closed.", valueName: "status"))
    var status: String

    @Flag(name: .customLong("json"), help: "Print the server's answer as JSON (case, status, day).")
    var json = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var passphrase: PassphraseOptions
    @OptionGroup var staffPassphrase: StaffPassphraseOptions

    static func parseStatus(_ text: String) throws(CLIError) -> CaseStatus {
        let normalised = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        guard let status = CaseStatus(rawValue: normalised == "inprogress" ? "in-progress" : normalised) else {
            throw CLIError("\"\(Terminal.displaySafe(text))\" is not a status",
                           hint: "use one of " + CaseStatus.allCases.map(\.rawValue).joined(separator: ", "),
                           status: .usage)
        }
        return status
    }

    func run() async throws {
        let settings = try Settings.current()
        let reference = try ShowCommand.parseReference(caseReference)
        let status = try Self.parseStatus(self.status)
        let client = try StaffClient.configured(settings: settings, server: server, passphrase: passphrase,
                                                staffPassphrase: staffPassphrase,
                                                purpose: "`sealbox status`")
        let answer = try await client.send(method: "POST", pathAndQuery: "/api/v1/staff/cases/\(reference.text)/status",
                                           json: ["status": status.rawValue])
        switch answer.status {
        case 200, 201: break
        case 404: throw client.unknownCase(reference)
        case 400, 422:
            let reason = StaffClient.errorMessage(in: answer.body).map { " (\($0))" } ?? ""
            throw CLIError("the server refused the status \(status.rawValue)\(reason)", status: .server)
        default: throw client.unexpected(answer.status)
        }
        let changed = ChangedStatus.decode(answer.body)
        let now = changed.flatMap { CaseStatus(rawValue: $0.status) } ?? status
        let day = changed?.day ?? Day.today().text

        // Keep the local view in step; the case may not be in the local store at all.
        if let local = try? LocalStore.open(settings.storeDirectory(flag: store.store), create: false) {
            do {
                if let id = changed?.id, !(try local.thread(case: reference.text)).isEmpty {
                    try local.insertSent(SyncedItem(statusChange: id, caseReference: reference.text, day: day,
                                                    status: now.rawValue))
                }
                try local.recordServerStatus(case: reference.text, status: now, day: day, received: nil)
            } catch {
                Terminal.warning("the status was set, but the local store could not record it; run `sealbox sync`")
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let value = ChangedStatus(case: reference.text, status: now.rawValue, day: day, id: changed?.id)
            print(String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self))
        } else {
            print("Case \(reference.text) is now \(now.rawValue). The reporter sees this status.")
        }
    }
}

/// The server's answer to a status change: `200 {"case", "status", "day"}` (and the item id, if given).
struct ChangedStatus: Codable {
    let `case`: String
    let status: String
    let day: String
    let id: String?

    static func decode(_ data: Data) -> ChangedStatus? {
        guard var value = try? JSONDecoder().decode(ChangedStatus.self, from: data),
              CaseStatus(rawValue: value.status) != nil, Day(value.day) != nil
        else { return nil }
        if let id = value.id, !Random.isIdentifier(id) {
            value = ChangedStatus(case: value.case, status: value.status, day: value.day, id: nil)
        }
        return value
    }
}
