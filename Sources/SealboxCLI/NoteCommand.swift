// `sealbox note CASE [--file F | -]`: a note for the team (PROTOCOL §3.4), written like a
// reply ($EDITOR, a file or standard input), signed with the staff key and sealed to the
// team key alone: the reporter never reads it, and the daemon stores it unread.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct NoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add a note for the team to a case (never shown to the reporter).",
        discussion: """
            Without --file or -, opens your editor ($VISUAL, else $EDITOR) on a template, \
            as `sealbox reply` does; with --file FILE the note is read from FILE, with - \
            from standard input. The note is signed with your staff key and sealed to the \
            team key only: every member reads it after `sealbox sync`, the reporter never \
            does, and it changes neither the case's status nor its deadlines. Needs the \
            team key file (its public part) and your staff key file.
            """)

    @Argument(help: ArgumentHelp("The case reference, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Argument(help: ArgumentHelp("- to read the note from standard input.", valueName: "-"))
    var standardInput: String?

    @Option(name: .customLong("file"), help: ArgumentHelp("Read the note from this file.", valueName: "file"))
    var file: String?

    @Flag(name: .customLong("json"), help: "Print the server's answer as JSON (id, case, kind, day, position).")
    var json = false

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    func validate() throws {
        if let standardInput, standardInput != "-" {
            throw ValidationError("unexpected argument '\(standardInput)'; to read the note from standard input, write -")
        }
        if standardInput != nil, file != nil {
            throw ValidationError("give either --file FILE or -, not both")
        }
    }

    func run() async throws {
        let settings = try Settings.current()
        let source: MessageSource = file.map { .file(URL(fileURLWithPath: $0).standardizedFileURL) }
            ?? (standardInput == nil ? .editor : .standardInput)
        if source == .editor, !Terminal.stdinIsTerminal {
            throw CLIError("no note given, and sealbox opens an editor only on a terminal",
                           hint: "give the note with --file FILE, or pipe it in with `-` (standard input)", status: .usage)
        }
        let sender = try CaseWorkSender.prepare(reference, settings: settings, store: store, teamKey: teamKey,
                                                staff: staff, purpose: "`sealbox note`")
        let text = try MessageInput.read(source, reference: reference, note: true)
        let sent = try await sender.send(.note(case: reference, day: .today(), text: text), what: "note")
        if json {
            print(Terminal.prettyJSON(sent))
        } else {
            print("Note added to case \(reference.text). Only the team can read it.")
        }
    }
}
