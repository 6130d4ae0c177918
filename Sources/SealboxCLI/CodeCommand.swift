// `sealbox code CASE --ground X … --area A --form F --level L --intervention I … --outcome O`:
// the case's coding for counselling and prevention statistics (PROTOCOL §3.4), checked
// against the coding scheme (data: the built-in advd / DeZIM-ADS scheme and the office's
// override file) before anything is sent. With the coding goes its statistic record
// (PROTOCOL §3.5), under the id the case's codings carry. `sealbox code --list` prints the scheme.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct CodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Code a case for the statistics (grounds, area, form, level, interventions, outcome).",
        discussion: """
            Each value is an id of the coding scheme; `sealbox code --list` prints them with \
            their German and English labels. --ground and --intervention may be repeated. \
            A coding replaces the case's previous one as a whole (the newest coding counts), \
            so give every value that applies. `sealbox show` prints the current coding, and \
            for a case not coded yet the reporter's own answers as a starting point. The \
            coding is signed with your staff key and sealed to the team key only. With it \
            goes a statistic record (the coding without the case, any text or any day finer \
            than the month of the report), which the server keeps when the case is deleted, \
            so that `sealbox stats` still counts it; a new coding of the case replaces it. An office \
            adds values with an override file (coding_scheme, SEALBOX_CODING_SCHEME, \
            --coding-scheme): {"scheme": "<new id>", "add": {"grounds": [{"id": "…", \
            "label": {"de": "…", "en": "…"}}]}}.
            """)

    @Argument(help: ArgumentHelp("The case reference, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference?

    @Option(name: .customLong("ground"), help: ArgumentHelp("A ground of discrimination (repeatable).", valueName: "id"))
    var grounds: [String] = []

    @Option(name: .customLong("area"), help: ArgumentHelp("The area of life.", valueName: "id"))
    var area: String?

    @Option(name: .customLong("form"), help: ArgumentHelp("The form of discrimination.", valueName: "id"))
    var form: String?

    @Option(name: .customLong("level"), help: ArgumentHelp("individual, institutional or structural.", valueName: "id"))
    var level: String?

    @Option(name: .customLong("intervention"), help: ArgumentHelp("An intervention (repeatable).", valueName: "id"))
    var interventions: [String] = []

    @Option(name: .customLong("outcome"), help: ArgumentHelp("The outcome.", valueName: "id"))
    var outcome: String?

    @Flag(name: .customLong("list"), help: "Print the coding scheme with its labels, and send nothing.")
    var list = false

    @Option(name: .customLong("coding-scheme"), help: ArgumentHelp(
        "The office's coding scheme override file (default: $SEALBOX_CODING_SCHEME or \"coding_scheme\" in the settings file).",
        valueName: "file"))
    var codingScheme: String?

    @Flag(name: .customLong("json"), help: "Print JSON (the scheme with --list, else the server's answer).")
    var json = false

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    var choice: CodingChoice {
        CodingChoice(grounds: grounds, area: area, form: form, level: level, interventions: interventions, outcome: outcome)
    }

    func validate() throws {
        if list {
            guard reference == nil, choice == CodingChoice() else {
                throw ValidationError("--list prints the scheme only; give no case and no values with it")
            }
        } else {
            guard reference != nil else { throw ValidationError("give the case to code, or --list to see the scheme") }
            guard choice != CodingChoice() else {
                throw ValidationError("give at least one value (--ground, --area, --form, --level, --intervention, --outcome)")
            }
        }
    }

    func run() async throws {
        let settings = try Settings.current()
        let scheme = try settings.codingScheme(flag: codingScheme)
        guard let reference else {
            print(json ? Self.json(scheme) : Self.text(scheme), terminator: "")
            return
        }
        try Self.check(choice, scheme: scheme)
        let sender = try CaseWorkSender.prepare(reference, settings: settings, store: store, teamKey: teamKey,
                                                staff: staff, purpose: "`sealbox code`")
        let current = try sender.currentState(settings: settings, passphraseFlag: staff.passphrase.passphraseFile)
        let sent = try await Self.send(choice, scheme: scheme, sender: sender, current: current)
        if json {
            print(Terminal.prettyJSON(sent))
        } else {
            print("Coding of case \(reference.text) saved (scheme \(scheme.id)).")
        }
    }

    /// Refuses a choice the scheme does not allow, before anything is sent.
    static func check(_ choice: CodingChoice, scheme: CodingScheme) throws(CLIError) {
        do {
            try scheme.check(choice)
        } catch {
            throw CLIError(error.message + "; nothing was sent", hint: "see the values with `sealbox code --list`",
                           status: .usage)
        }
    }

    /// Sends the coding of `choice` (checked already) and its statistic record, which keeps
    /// the id of the case's statistic record from coding to coding (PROTOCOL §3.5); the
    /// desk's coding form runs this too.
    static func send(_ choice: CodingChoice, scheme: CodingScheme, sender: CaseWorkSender,
                     current: CaseWorkState) async throws(CLIError) -> CaseWorkCreated {
        let reference = sender.reference
        let statistic = current.coding?.content.statistic ?? StatisticID.generate()
        let content = ReportContent.coding(case: reference, day: .today(), scheme: scheme.id, grounds: choice.grounds,
                                           area: choice.area, form: choice.form, level: choice.level,
                                           interventions: choice.interventions, outcome: choice.outcome, statistic: statistic)
        let sent = try await sender.send(content, what: "coding")
        do {
            try await sender.sendStatistic(of: content, id: statistic)
        } catch {
            throw CLIError("the coding of case \(reference.text) was saved, but its statistic record was not: \(error.message)",
                           hint: error.hint ?? "run the same `sealbox code` again", status: error.status)
        }
        return sent
    }

    static func text(_ scheme: CodingScheme) -> String {
        var out = "Coding scheme \(scheme.id): \(scheme.titles["en"] ?? "")\n"
        for dimension in CodingScheme.Dimension.allCases {
            let labels = scheme.dimensionLabels[dimension] ?? [:]
            let option = dimension.multiple ? " (several)" : ""
            out += "\n\(labels["en"] ?? dimension.rawValue) / \(labels["de"] ?? "") — --\(Self.flag(dimension))\(option)\n"
            for value in scheme.values[dimension] ?? [] {
                out += "  " + value.id.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + "\(value.label("en")) / \(value.label("de"))\n"
            }
        }
        return out
    }

    static func flag(_ dimension: CodingScheme.Dimension) -> String {
        switch dimension {
        case .grounds: "ground"
        case .interventions: "intervention"
        default: dimension.rawValue
        }
    }

    struct JSONValue: Encodable {
        let id: String
        let label: [String: String]
    }

    struct JSONDimension: Encodable {
        let id: String
        let multiple: Bool
        let label: [String: String]
        let values: [JSONValue]
    }

    struct JSONScheme: Encodable {
        let scheme: String
        let dimensions: [JSONDimension]
    }

    static func json(_ scheme: CodingScheme) -> String {
        Terminal.prettyJSON(JSONScheme(scheme: scheme.id, dimensions: CodingScheme.Dimension.allCases.map { dimension in
            JSONDimension(id: dimension.rawValue, multiple: dimension.multiple, label: scheme.dimensionLabels[dimension] ?? [:],
                          values: (scheme.values[dimension] ?? []).map { JSONValue(id: $0.id, label: $0.labels) })
        })) + "\n"
    }
}
