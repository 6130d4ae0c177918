// `sealbox status CASE received|acknowledged|in-progress|closed`: sets a case's status
// on the server (the reporter sees it when they come back with their code). The local
// store records the server's answer for `list`; the status change itself appears in
// `show` after the next `sealbox sync` (or at once when the server names its item id).
import ArgumentParser
import Foundation
import SealboxAPI
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

    @Argument(help: ArgumentHelp("The case reference: 8 letters and digits, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Argument(help: ArgumentHelp("The new status: received, acknowledged, in-progress or closed (or in German: eingegangen, bestätigt, \"in Bearbeitung\", abgeschlossen).", valueName: "status"),
              transform: CaseStatus.parsing(argument:))
    var status: CaseStatus

    @Flag(name: .customLong("json"), help: "Print the server's answer as JSON (case, status, day).")
    var json = false

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let settings = try Settings.current()
        let client = try staff.client(settings: settings, purpose: "`sealbox status`")
        let changed = try await Self.send(status, reference: reference, client: client,
                                          storeDirectory: settings.storeDirectory(flag: store.store))
        if json {
            print(Terminal.prettyJSON(changed))
        } else {
            print("Case \(reference.text) is now \(changed.status.rawValue). The reporter sees this status.")
        }
    }

    /// Sets the status on the server and records the change in the local store (when it
    /// holds the case); the server's answer. `sealbox status` and the desk both set it here.
    static func send(_ status: CaseStatus, reference: CaseReference, client: StaffClient,
                     storeDirectory: URL) async throws(CLIError) -> StatusChanged {
        try await send(status, reference: reference, client: client, store: try? LocalStore.open(storeDirectory, create: false))
    }

    /// Sets the status of `reference` on the server and records the server's answer in the
    /// local store (when it holds the case); with `json` prints the answer. Returns the status
    /// now (`sealbox reply` reopening a closed case).
    @discardableResult
    static func set(_ status: CaseStatus, of reference: CaseReference, client: StaffClient, store local: WorkstationStore?,
                    json: Bool) async throws -> CaseStatus {
        let changed = try await send(status, reference: reference, client: client, store: local)
        if json { print(Terminal.prettyJSON(changed)) }
        return changed.status
    }

    /// The one place a status is sent: the server's answer, recorded in `local` when it holds the case.
    static func send(_ status: CaseStatus, reference: CaseReference, client: StaffClient,
                     store local: WorkstationStore?) async throws(CLIError) -> StatusChanged {
        let answer = try await client.send(method: "POST", pathAndQuery: StaffPath.status(reference),
                                           json: StatusRequest(status: status))
        switch answer.status {
        case 200, 201: break
        case 404: throw client.unknownCase(reference)
        case 400, 422:
            let reason = StaffClient.errorMessage(in: answer.body).map { " (\($0))" } ?? ""
            throw CLIError("the server refused the status \(status.rawValue)\(reason)", status: .server)
        default: throw client.unexpected(answer.status)
        }
        let changed = try client.decode(StatusChanged.self, from: answer.body, what: "an answer to the status change")
        let now = changed.status

        // Keep the local view in step; the case may not be in the local store at all.
        if let local {
            do {
                if !(try local.thread(case: reference)).isEmpty {
                    try local.insertSent(StoredItem(statusChange: changed.id, caseReference: reference, day: changed.day,
                                                    position: changed.position, status: now))
                }
                try local.recordServerStatus(case: reference, status: now, day: changed.day, received: nil)
            } catch {
                Terminal.warning("the status was set, but the local store could not record it; run `sealbox sync`")
            }
        }
        return changed
    }
}
