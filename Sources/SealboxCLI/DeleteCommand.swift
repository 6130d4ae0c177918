// `sealbox delete CASE [--yes]`: deletes a case on the server and in the local store,
// after the case reference is typed again on the terminal (or with --yes, for
// scripts). Without a terminal and without --yes it refuses. The server is asked
// first; when it cannot be reached nothing is deleted here either. A case the server
// no longer has (404) is still deleted here, and the message says so.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a case on the server and in the local store, for good.",
        discussion: """
            Removes every message, attachment and status change of the case, on the server \
            and in the local store; afterwards the reporter's code opens nothing. Asks you to \
            type the case reference again; --yes skips that (needed when not on a terminal). \
            Needs your staff key file and its passphrase.
            """)

    @Argument(help: ArgumentHelp("The case reference: 8 letters and digits, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Flag(name: .customLong("yes"), help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let settings = try Settings.current()
        if !yes { try Self.confirm(reference) }
        let client = try staff.client(settings: settings, purpose: "`sealbox delete`")
        let answer = try await client.send(method: "DELETE", pathAndQuery: StaffPath.case(reference))
        let onServer: Bool
        switch answer.status {
        case 200, 204: onServer = true
        case 404: onServer = false
        default: throw client.unexpected(answer.status)
        }

        let directory = settings.storeDirectory(flag: store.store)
        var removed = DeletedCase(items: 0, attachments: 0)
        if let local = try LocalStore.open(directory, create: false) {
            do {
                removed = try local.deleteCase(reference)
            } catch {
                throw CLIError("the case was deleted on the server, but not in the local store \(directory.path)",
                               hint: "check the permissions of the store folder and run `sealbox delete \(reference.text) --yes` again")
            }
        }
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

    /// Asks for the case reference on the terminal; refuses without one.
    static func confirm(_ reference: CaseReference) throws(CLIError) {
        guard Terminal.stdinIsTerminal else {
            throw CLIError("deleting a case needs a confirmation, and sealbox asks for it only on a terminal",
                           hint: "add --yes to delete without asking (for scripts); nothing was deleted")
        }
        Terminal.errorRaw("Delete case \(reference.text) and everything in it, on the server and here? "
                          + "This cannot be undone. Type the case reference to confirm: ")
        let typed = readLine(strippingNewline: true) ?? ""
        guard let given = try? CaseReference(parsing: typed.trimmingCharacters(in: .whitespaces)), given == reference else {
            throw CLIError("the reference typed was not \(reference.text); nothing was deleted")
        }
    }
}
