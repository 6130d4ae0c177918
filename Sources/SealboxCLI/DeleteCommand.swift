// `sealbox delete CASE [--confirm] [--yes]`: deleting a case takes two members
// (docs/PROTOCOL.md §9.5). The first asks (`sealbox delete CASE`: the server records the
// request, nothing is deleted); a second, different member confirms within
// deletion.confirm_days (`sealbox delete CASE --confirm`): then the case is deleted on the
// server and in this local store, and every other workstation purges it at its next
// sync. In an office with a single staff key the server deletes in one step. Either way
// the case reference is typed again on the terminal (or --yes, for scripts); without a
// terminal and without --yes it refuses. A case the server no longer has (404) is still
// deleted here, and the message says so.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Ask to delete a case, or confirm another member's request to delete it.",
        discussion: """
            Deleting a case needs two members. `sealbox delete CASE` records your request on \
            the server; nothing is deleted yet, and `sealbox list` and `show` say "deletion \
            requested by <key id> on <day>". A second, different member confirms with \
            `sealbox delete CASE --confirm` within the office's deletion.confirm_days \
            (default 14; an older request is dropped). Then every message, attachment and \
            status change of the case is removed, on the server and in the local store, and \
            every other workstation removes it at its next `sealbox sync`; afterwards the \
            reporter's code opens nothing. You cannot confirm your own request, and with a \
            team roster only a lead confirms (a counsellor may ask). Where the \
            server knows a single staff key (a one-person office), `sealbox delete CASE` \
            deletes at once. Asks you to type the case reference again; --yes skips that \
            (needed when not on a terminal). Needs your staff key file and its passphrase.
            """)

    @Argument(help: ArgumentHelp("The case reference: 8 letters and digits, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Flag(name: .customLong("confirm"), help: "Confirm another member's request to delete the case: delete it now.")
    var confirmRequest = false

    @Flag(name: .customLong("yes"), help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let settings = try Settings.current()
        if !yes {
            try Self.confirm(reference, request: !confirmRequest,
                             preview: Terminal.stdinIsTerminal ? preview(settings: settings) : nil)
        }
        let client = try staff.client(settings: settings, purpose: "`sealbox delete`")
        let onServer: Bool
        if confirmRequest {
            onServer = try await Self.confirmOnServer(reference, client: client)
        } else {
            switch try await Self.ask(reference, client: client) {
            case .deleted(let there):
                onServer = there
            case .requested(let pending):
                print("""
                    Asked to delete case \(reference.text) (request by \(Self.requester(pending, settings: settings, store: store)) on \(pending.day.text)). \
                    Nothing is deleted yet: a second member confirms with `sealbox delete \(reference.text) --confirm` \
                    by \(pending.expires.text).
                    """)
                return
            }
        }
        try deleteHere(settings: settings, onServer: onServer)
    }

    /// The team note that carries the reason of a deletion request made on the desk.
    static func noteText(reason: String) -> String {
        "Deletion requested: \(reason.trimmingCharacters(in: .whitespacesAndNewlines))"
    }

    /// What asking to delete a case came to on the server.
    enum Asked {
        /// Deleted in one step (a single staff key), or not there (404).
        case deleted(onServer: Bool)
        /// Recorded as a request a second member confirms.
        case requested(PendingDeletion)
    }

    /// Asks the server to delete the case: in one step where it allows it (a single staff
    /// key), else as a request; nothing is deleted locally. The desk's deletion form runs this too.
    static func ask(_ reference: CaseReference, client: StaffClient) async throws(CLIError) -> Asked {
        let answer = try await client.send(method: "DELETE", pathAndQuery: StaffPath.case(reference))
        switch answer.status {
        case 204: return .deleted(onServer: true)
        case 404: return .deleted(onServer: false)
        case 409:
            let request = try await client.send(method: "POST", pathAndQuery: StaffPath.deletionRequest(reference))
            switch request.status {
            case 201: return .requested(try client.decode(PendingDeletion.self, from: request.body, what: "a deletion request"))
            case 404: throw client.unknownCase(reference)
            case 409: throw refusal(request.body, reference: reference)
            default: throw client.unexpected(request.status)
            }
        default: throw client.unexpected(answer.status)
        }
    }

    /// Confirms another member's request on the server: true when the server deleted the
    /// case, false when it had no such case (404). The desk's confirmation runs this too.
    static func confirmOnServer(_ reference: CaseReference, client: StaffClient) async throws(CLIError) -> Bool {
        let answer = try await client.send(method: "POST", pathAndQuery: StaffPath.deletionConfirm(reference))
        switch answer.status {
        case 204: return true
        case 404: return false
        case 403:
            throw CLIError("the server refused: only a lead of your team may confirm a deletion (HTTP 403 role_required); nothing was deleted",
                           hint: "ask a lead to confirm with `sealbox delete \(reference.text) --confirm`", status: .server)
        case 409: throw refusal(answer.body, reference: reference)
        default: throw client.unexpected(answer.status)
        }
    }

    /// Who asked, by her label in the pinned roster (else the key id).
    static func requester(_ pending: PendingDeletion, settings: Settings, store: StoreOptions) -> String {
        let local = try? LocalStore.open(settings.storeDirectory(flag: store.store), create: false)
        let team = (try? TeamDirectory.load(settings: settings, store: local ?? nil)) ?? TeamDirectory()
        return team.shown(pending.requestedBy, own: nil)
    }

    /// The message for a refusal of the four-eyes rule (409), by its machine code.
    static func refusal(_ body: Data, reference: CaseReference) -> CLIError {
        let code = (try? APICoding.decode(APIErrorBody.self, from: body))?.error.code
        switch code {
        case "own_deletion_request":
            return CLIError("you asked to delete case \(reference.text) yourself, and the same member cannot confirm it",
                            hint: "a second, different member confirms with `sealbox delete \(reference.text) --confirm`; nothing was deleted")
        case "no_deletion_request":
            return CLIError("no deletion of case \(reference.text) is waiting for confirmation (none was asked for, or the request expired)",
                            hint: "ask for it with `sealbox delete \(reference.text)`; a second member then confirms")
        case "deletion_pending":
            return CLIError("a deletion of case \(reference.text) is already asked for",
                            hint: "`sealbox list` shows who asked; a second, different member confirms with `sealbox delete \(reference.text) --confirm`")
        default:
            return CLIError("the server refused to delete case \(reference.text) (HTTP 409)", status: .server)
        }
    }

    /// Deletes the case in the local store, once the server deleted it (or has it no more).
    static func deleteLocally(_ reference: CaseReference, directory: URL) throws(CLIError) -> DeletedCase {
        guard let local = try LocalStore.open(directory, create: false) else { return DeletedCase(items: 0, attachments: 0) }
        do {
            return try local.deleteCase(reference)
        } catch {
            throw CLIError("the case was deleted on the server, but not in the local store \(directory.path)",
                           hint: "check the permissions of the store folder and run `sealbox sync`")
        }
    }

    func deleteHere(settings: Settings, onServer: Bool) throws {
        let removed = try Self.deleteLocally(reference, directory: settings.storeDirectory(flag: store.store))
        let here = removed.items > 0
        switch (onServer, here) {
        case (true, true):
            print("Deleted case \(reference.text) on the server and in the local store "
                  + "(\(Terminal.count(removed.items, "item")), \(Terminal.count(removed.attachments, "attachment"))).")
        case (true, false):
            print("Deleted case \(reference.text) on the server. It was not in the local store.")
        case (false, true):
            print("The server has no case \(reference.text) (it was deleted there already). Deleted it in the local store "
                  + "(\(Terminal.count(removed.items, "item")), \(Terminal.count(removed.attachments, "attachment"))).")
        case (false, false):
            throw CLIError("there is no case \(reference.text) on the server or in the local store",
                           hint: "check the reference with `sealbox list`")
        }
    }

    /// What the confirmation shows of the case, so that the right one goes (issue 11): the
    /// day its report arrived and, when the team key opens it, its first words
    /// (ThreadExcerpt.firstWords, terminal-safe); nil when the local store lacks the case.
    func preview(settings: Settings) -> String? {
        guard let local = try? LocalStore.open(settings.storeDirectory(flag: store.store), create: false),
              let report = (try? local.items(case: reference))?.first(where: { $0.kind == .report }) else { return nil }
        var text = "Its report arrived on \(report.day.text)"
        if let source = try? TeamKeySource.resolve(settings: settings, store: local, teamKeyFlag: nil,
                                                   staffKeyFlag: staff.server.staffKey, purpose: "showing the report"),
           let keyring = try? source.open(settings: settings, store: local, passphraseFlag: staff.passphrase.passphraseFile,
                                          staffPassphraseFlag: staff.staffPassphrase.staffPassphraseFile),
           case .opened(_, let content) = CaseOpener.open(report, filedUnder: reference, with: keyring) {
            text += " and begins: \"\(Terminal.displaySafe(ThreadExcerpt.firstWords(content.text)))\""
        }
        return text + "."
    }

    /// Asks for the case reference on the terminal; refuses without one.
    static func confirm(_ reference: CaseReference, request: Bool = false, preview: String? = nil) throws(CLIError) {
        guard Terminal.stdinIsTerminal else {
            throw CLIError("deleting a case needs a confirmation, and sealbox asks for it only on a terminal",
                           hint: "add --yes to delete without asking (for scripts); nothing was deleted")
        }
        if let preview { Terminal.errorRaw(preview + "\n") }
        Terminal.errorRaw(request
            ? "Ask to delete case \(reference.text) and everything in it (a second member must confirm)? Type the case reference to confirm: "
            : "Delete case \(reference.text) and everything in it, on the server and here? "
                + "This cannot be undone. Type the case reference to confirm: ")
        let typed = readLine(strippingNewline: true) ?? ""
        guard let given = ReferenceInput.reference(typed), given == reference else {
            throw CLIError("the reference typed was not \(reference.text); nothing was deleted")
        }
    }
}
