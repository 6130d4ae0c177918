// `sealbox stats [--from YYYY-MM] [--to YYYY-MM]`: the office's figures from the statistic
// records (docs/PROTOCOL.md §3.5), which the server keeps when cases are deleted: how many
// coded cases by ground, area, form, level, intervention, outcome and month of the report.
// Every record is opened with the team key (with key epochs: through the member's grants)
// and counted only when it is a statistic signed
// by a known member (its own month matching the one the server files it under); the rest
// are named on stderr as not counted. Labels are the scheme's English ones.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count the coded cases by ground, area, form, level, intervention, outcome and month.",
        discussion: """
            Reads the statistic records that `sealbox code` sends with every coding: the \\
            coding without the case, any text or any day finer than the month of the report. \\
            The server keeps them when a case is deleted (four eyes or retention), so the \\
            figures stay complete. --from and --to (YYYY-MM) limit the months counted. A \\
            case coded with several grounds or interventions counts once for each. Only \\
            records signed by a member this workstation knows are counted. Needs the team \\
            key file and its passphrase and your staff key file, or, once your team uses \\
            key epochs, your member key file (opening your grants).
            """)

    @Option(name: .customLong("from"), help: ArgumentHelp("The first month counted (YYYY-MM).", valueName: "month"))
    var from: Month?

    @Option(name: .customLong("to"), help: ArgumentHelp("The last month counted (YYYY-MM).", valueName: "month"))
    var to: Month?

    @Option(name: .customLong("coding-scheme"), help: ArgumentHelp(
        "The office's coding scheme override file (default: $SEALBOX_CODING_SCHEME or \"coding_scheme\" in the settings file).",
        valueName: "file"))
    var codingScheme: String?

    @Flag(name: .customLong("json"), help: "Print JSON instead of tables.")
    var json = false

    @Option(name: .customLong("min-cell"), help: ArgumentHelp(
        "Counts below this are shown as \"< N\", with more hidden where totals would reveal them (default: $SEALBOX_STATS_MIN_CELL, \"stats_min_cell\" in the settings file, or 5; 1 shows every count).",
        valueName: "N"))
    var minCell: String?

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    func validate() throws {
        if let from, let to, to < from { throw ValidationError("--to is before --from") }
    }

    func run() async throws {
        let settings = try Settings.current()
        let scheme = try settings.codingScheme(flag: codingScheme)
        let minCell = try settings.statsMinCell(flag: minCell)
        let local = try LocalStore.open(settings.storeDirectory(flag: store.store), create: false)
        // With key epochs the records open through the member's grants (every epoch she
        // holds), else with the team key file (PROTOCOL §12.5).
        let source = try TeamKeySource.resolve(settings: settings, store: local, teamKeyFlag: teamKey.teamKey,
                                               staffKeyFlag: staff.server.staffKey, purpose: "`sealbox stats`")
        var keyring: TeamKeyring?
        if case .grants = source {
            keyring = try source.open(settings: settings, store: local, passphraseFlag: staff.passphrase.passphraseFile,
                                      staffPassphraseFlag: staff.staffPassphrase.staffPassphraseFile)
        }
        let client = try staff.client(settings: settings, purpose: "`sealbox stats`", signingKey: keyring?.signer)
        let records = try await Self.fetchAll(client)
        let keys = try keyring ?? source.open(settings: settings, store: local, passphraseFlag: staff.passphrase.passphraseFile)
        var known = try KeyFiles.knownStaffKeys(settings: settings)
        known.insert(client.key.publicKey)
        known.formUnion(try TeamDirectory.load(settings: settings, store: local).signingKeys)
        let (opened, skipped) = Self.openAll(records, keyring: keys, known: known)
        let tally = StatisticsTally(opened, from: from, to: to)
        if skipped > 0 {
            Terminal.warning("\(Terminal.count(skipped, "statistic record")) not counted: not sealed to a key you hold, "
                             + "altered, or not signed by a member this workstation knows")
        }
        let figures = tally.published(minCell: minCell)
        print(json ? figures.json(from: from, to: to, skipped: skipped)
                   : figures.text(scheme: scheme, from: from, to: to),
              terminator: "")
    }

    /// Every record on the server, page by page.
    static func fetchAll(_ client: StaffClient) async throws(CLIError) -> [SealedStatistic] {
        var all: [SealedStatistic] = []
        var after: StatisticID?
        var seen: Set<StatisticID> = []
        while true {
            let answer = try await client.send(method: "GET", pathAndQuery: StaffPath.statistics(
                after: after, limit: StaffPath.maximumStatisticsPage))
            if answer.status == 404 || answer.status == 405 {
                throw CLIError("the server does not keep statistic records (HTTP \(answer.status))",
                               hint: "it is older than this sealbox; ask the administrator to update sealboxd", status: .server)
            }
            guard answer.status == 200 else { throw client.unexpected(answer.status) }
            let page = try client.decode(StatisticPage.self, from: answer.body, what: "statistic records")
            guard let next = page.next, !page.statistics.isEmpty, seen.insert(next).inserted else { break }
            all += page.statistics
            after = next
        }
        return all
    }

    /// The records that open and are signed by a known member, and how many did not.
    /// Shared with the desk's statistics page (DeskWorkstation+Statistics.swift).
    static func openAll(_ records: [SealedStatistic], keyring: TeamKeyring,
                        known: Set<SigningPublicKey>) -> (records: [StatisticRecord], skipped: Int) {
        var opened: [StatisticRecord] = []
        opened.reserveCapacity(records.count)
        for sealed in records {
            if let record = open(sealed, keyring: keyring, known: known) { opened.append(record) }
        }
        return (opened, records.count - opened.count)
    }

    /// The record inside `sealed`, when it opens, is a statistic filed under its own month,
    /// and is signed by a known member.
    static func open(_ sealed: SealedStatistic, keyring: TeamKeyring, known: Set<SigningPublicKey>) -> StatisticRecord? {
        guard let ids = try? Envelope.recipients(of: sealed.envelope.bytes).keyIDs, ids.contains(where: keyring.keyIDs.contains),
              let opened = try? keyring.open(sealed.envelope.bytes), opened.kind == .statistic,
              let record = try? StatisticRecord.decode(opened.plaintext), record.month == sealed.month,
              let signer = try? record.verifiedSigner(), known.contains(signer)
        else { return nil }
        return record
    }
}

/// Counts of coded cases by dimension value and by month.
struct StatisticsTally {
    var total = 0
    var counts: [CodingScheme.Dimension: [String: Int]] = [:]
    var months: [Month: Int] = [:]

    /// The key for a single-valued dimension left empty.
    static let notCoded = "(not coded)"

    init() {}

    /// The records of the months `from` … `to` (either end open when nil), counted.
    init(_ records: [StatisticRecord], from: Month?, to: Month?) {
        for record in records {
            if let from, record.month < from { continue }
            if let to, to < record.month { continue }
            add(record)
        }
    }

    mutating func add(_ record: StatisticRecord) {
        total += 1
        months[record.month, default: 0] += 1
        func count(_ dimension: CodingScheme.Dimension, _ ids: [String]) {
            for id in Set(ids) { counts[dimension, default: [:]][id, default: 0] += 1 }
        }
        count(.grounds, record.grounds)
        count(.area, [record.area ?? Self.notCoded])
        count(.form, [record.form ?? Self.notCoded])
        count(.level, [record.level ?? Self.notCoded])
        count(.interventions, record.interventions)
        count(.outcome, [record.outcome ?? Self.notCoded])
    }

    /// The tally as published: every table suppressed with `minCell` (SmallCells.swift).
    func published(minCell: Int) -> PublishedStatistics {
        var tables: [CodingScheme.Dimension: [(id: String, count: PublishedCount)]] = [:]
        var totalHidden = total > 0 && total < minCell
        for dimension in CodingScheme.Dimension.allCases {
            // Largest first, then by id: the order does not depend on which cells are hidden.
            let rows = (counts[dimension] ?? [:]).sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            let table = SuppressedTable(oneWay: rows.map(\.value), total: total, minCell: minCell)
            totalHidden = totalHidden || table.total == .hidden || table.rowTotals.first == .hidden
            tables[dimension] = zip(rows, table.cells.first ?? []).map { (id: $0.key, count: $1) }
        }
        let sortedMonths = months.sorted { $0.key < $1.key }
        let monthTable = SuppressedTable(oneWay: sortedMonths.map(\.value), total: total, minCell: minCell)
        totalHidden = totalHidden || monthTable.total == .hidden || monthTable.rowTotals.first == .hidden
        return PublishedStatistics(
            minCell: minCell, total: totalHidden ? .hidden : .shown(total), tables: tables,
            months: zip(sortedMonths, monthTable.cells.first ?? []).map { (month: $0.key, count: $1) })
    }
}

/// The figures as printed: counts below `minCell`, and those that totals would reveal, hidden.
struct PublishedStatistics {
    let minCell: Int
    let total: PublishedCount
    let tables: [CodingScheme.Dimension: [(id: String, count: PublishedCount)]]
    let months: [(month: Month, count: PublishedCount)]

    func text(scheme: CodingScheme, from: Month?, to: Month?) -> String {
        let span = [from.map { "from \($0.text)" }, to.map { "to \($0.text)" }].compactMap { $0 }.joined(separator: " ")
        var out = "Coded cases\(span.isEmpty ? "" : " " + span): \(total.text(minCell: minCell))\n"
        guard total != .shown(0) else { return out }
        for dimension in CodingScheme.Dimension.allCases {
            let title = scheme.dimensionLabels[dimension]?["en"] ?? dimension.rawValue
            out += "\n" + title + (dimension.multiple ? " (cases naming each; a case may name several)" : "") + "\n"
            let rows = (tables[dimension] ?? []).map { id, n in
                let label = scheme.value(id, of: dimension).map { "\($0.label("en")) (\(id))" } ?? Terminal.displaySafe(id)
                return ["  " + label, n.text(minCell: minCell)]
            }
            out += TextTable.render(rows, rightAligned: [1])
        }
        out += "\nMonth of the report\n"
        out += TextTable.render(months.map { ["  " + $0.month.text, $0.count.text(minCell: minCell)] }, rightAligned: [1])
        if minCell > 1 {
            out += "\n\"< \(minCell)\": fewer than \(minCell) cases, or hidden so that the totals do not reveal a small count.\n"
        }
        return out
    }

    /// `null` for a hidden count (`min_cell` says below what).
    struct JSONTally: Encodable {
        let from: Month?
        let to: Month?
        let minCell: Int
        let cases: Int?
        let skipped: Int
        let grounds, area, form, level, interventions, outcome: [String: Int?]
        let months: [String: Int?]

        func encode(to encoder: any Encoder) throws {
            enum K: String, CodingKey {
                case from, to, minCell = "min_cell", cases, skipped, grounds, area, form, level, interventions, outcome, months
            }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(minCell, forKey: .minCell)
            try c.encode(cases, forKey: .cases)
            try c.encode(skipped, forKey: .skipped)
            try c.encode(grounds, forKey: .grounds)
            try c.encode(area, forKey: .area)
            try c.encode(form, forKey: .form)
            try c.encode(level, forKey: .level)
            try c.encode(interventions, forKey: .interventions)
            try c.encode(outcome, forKey: .outcome)
            try c.encode(months, forKey: .months)
        }
    }

    func json(from: Month?, to: Month?, skipped: Int) -> String {
        func table(_ dimension: CodingScheme.Dimension) -> [String: Int?] {
            Dictionary(uniqueKeysWithValues: (tables[dimension] ?? []).map { ($0.id, $0.count.value) })
        }
        return Terminal.prettyJSON(JSONTally(
            from: from, to: to, minCell: minCell, cases: total.value, skipped: skipped, grounds: table(.grounds),
            area: table(.area), form: table(.form), level: table(.level), interventions: table(.interventions),
            outcome: table(.outcome), months: Dictionary(uniqueKeysWithValues: months.map { ($0.month.text, $0.count.value) })
        )) + "\n"
    }
}
