// How the command line's values become types, once, where they enter (STYLE.md lesson 16):
// a case reference, a status and a day are parsed by ArgumentParser through these
// conformances, so every command receives them typed and `--help` lists the statuses.
import ArgumentParser
import Foundation
import SealboxCore
import SealboxWorkstation

extension CaseReference: ExpressibleByArgument {
    /// Accepts `7KQM-3XWP`, lower case, a space or nothing for the dash (ReferenceInput);
    /// surrounding spaces are ignored.
    public init?(argument: String) {
        guard let reference = ReferenceInput.reference(argument) else { return nil }
        self = reference
    }
}

extension CaseStatus: ExpressibleByArgument {
    /// Accepts the English wire names and the German labels in any case, with `_`, a space or
    /// nothing for the hyphen: `In-Progress`, `inprogress`, `"in Bearbeitung"`, `abgeschlossen`.
    public init?(argument: String) {
        guard let status = ReferenceInput.status(argument) else { return nil }
        self = status
    }

    /// The status typed, or an error that suggests the nearest statuses ("did you mean closed?").
    static func parsing(argument: String) throws -> CaseStatus {
        if let status = CaseStatus(argument: argument) { return status }
        let shown = Terminal.displaySafe(String(argument.prefix(40)))
        let close = ReferenceInput.statusSuggestions(for: argument.trimmingCharacters(in: .whitespaces))
        let known = CaseStatus.allCases.map(\.rawValue).joined(separator: ", ")
        let german = WorkstationTexts(language: "de")
        let inGerman = CaseStatus.allCases.map { german.name(of: $0) }.joined(separator: ", ")
        guard !close.isEmpty else {
            throw ValidationError("unknown status \"\(shown)\"; the statuses are \(known) (in German: \(inGerman))")
        }
        throw ValidationError("unknown status \"\(shown)\"; did you mean \(close.map(\.rawValue).joined(separator: " or "))?")
    }
}

/// The command line as people type it, before ArgumentParser reads it (issue 11): a case
/// reference typed in two halves, `sealbox show 7kqm 3xwp`, becomes one argument.
enum CommandLineInput {
    /// Flags that take no value, so that what follows them may be a reference.
    static let valuelessFlags: Set<String> = ["--json", "--yes", "--confirm"]

    /// `arguments` (without the program name) with two arguments joined into `XXXX-XXXX`
    /// when each is four characters of the reference alphabet (in any case) and they
    /// directly follow the subcommand, or only flags without a value stand between (an
    /// option's value is never taken for half a reference). Nothing else changes.
    static func joiningSplitReference(_ arguments: [String]) -> [String] {
        guard let command = arguments.firstIndex(where: { !$0.hasPrefix("-") }) else { return arguments }
        var first = command + 1
        while first < arguments.count, valuelessFlags.contains(arguments[first]) { first += 1 }
        let second = first + 1
        guard second < arguments.count, arguments[first].count == 4, arguments[second].count == 4,
              let reference = ReferenceInput.reference(arguments[first] + "-" + arguments[second]) else { return arguments }
        var joined = arguments
        joined.replaceSubrange(first...second, with: [reference.text])
        return joined
    }

    /// The subcommands whose first positional argument is a case reference.
    static let caseCommands: Set<String> = ["show", "reply", "status", "note", "code", "assign", "follow-up", "delete",
                                            "retain", "restrict"]

    /// For a command line ArgumentParser refused: when the case argument of a case command
    /// is no reference at all (a letter too many or too few, a 0 for an O) but a reference
    /// of `known` is at most two edits away, the error that names it; else nil.
    static func malformedReference(_ arguments: [String], known: () -> [CaseReference]) -> CLIError? {
        guard let command = arguments.firstIndex(where: { !$0.hasPrefix("-") }), caseCommands.contains(arguments[command])
        else { return nil }
        var first = command + 1
        while first < arguments.count, valuelessFlags.contains(arguments[first]) { first += 1 }
        guard first < arguments.count, !arguments[first].hasPrefix("-"), ReferenceInput.reference(arguments[first]) == nil,
              (4...14).contains(arguments[first].count) else { return nil }
        let close = ReferenceInput.suggestions(for: arguments[first], among: known()).prefix(3)
        guard !close.isEmpty else { return nil }
        return CLIError("\"\(Terminal.displaySafe(arguments[first]))\" is not a case reference; did you mean "
                        + close.map(\.text).joined(separator: " or ") + "?", status: .usage)
    }

    /// The references in the local store named by `--store DIR` / `--store=DIR`, else by the
    /// settings; empty when there is none.
    static func storedReferences(_ arguments: [String]) -> [CaseReference] {
        var flag: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--store", index + 1 < arguments.count { flag = arguments[index + 1] }
            if argument.hasPrefix("--store=") { flag = String(argument.dropFirst("--store=".count)) }
        }
        guard let settings = try? Settings.current(),
              let store = try? LocalStore.open(settings.storeDirectory(flag: flag), create: false) else { return [] }
        return (try? store.references()) ?? []
    }
}

extension Day: ExpressibleByArgument {
    /// Accepts `YYYY-MM-DD`.
    public init?(argument: String) {
        self.init(argument)
    }
}

extension Month: ExpressibleByArgument {
    /// Accepts `YYYY-MM`.
    public init?(argument: String) {
        guard let month = try? Month(parsing: argument.trimmingCharacters(in: .whitespaces)) else { return nil }
        self = month
    }
}
