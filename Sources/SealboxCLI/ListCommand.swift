// `sealbox list`: the cases in the local store, newest first, from stored metadata
// only (nothing is decrypted, no passphrase is asked). When a team key file is
// configured, cases sealed to another team key are marked, read from the envelopes'
// key ids.
import ArgumentParser
import Foundation
import SealboxCore
import SealboxCrypto

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the cases in the local store, newest first.",
        discussion: """
            Shows each case's reference, the day it was received, and how many items \
            (report and follow-ups) and attachments it has. Nothing is decrypted. Run \
            `sealbox sync` first to fetch new reports.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    @Flag(name: .customLong("json"), help: "Print JSON instead of a table.")
    var json = false

    struct Row {
        let summary: CaseSummary
        let otherKey: Bool
    }

    func run() throws {
        let settings = try Settings.current()
        let directory = settings.storeDirectory(flag: store.store)
        var rows: [Row] = []
        if let local = try LocalStore.open(directory, create: false) {
            let key = settings.path(.teamKey, flag: teamKey.teamKey).flatMap { try? KeyFiles.teamPublicKey(at: $0) }
            do {
                rows = try local.cases().map { summary in
                    guard let key else { return Row(summary: summary, otherKey: false) }
                    let items = try local.items(case: summary.reference)
                    return Row(summary: summary, otherKey: CaseOpener.foreignKeyIDs(of: items, key: key) != nil)
                }
            } catch {
                throw CLIError("cannot read the local store \(directory.path)")
            }
        }
        if json {
            print(Self.json(rows))
        } else if rows.isEmpty {
            print("No cases in the local store yet.")
            Terminal.error("sealbox: hint: \(LocalStore.syncHint)")
        } else {
            print(Self.table(rows), terminator: "")
        }
    }

    static func table(_ rows: [Row]) -> String {
        let header = ["CASE", "RECEIVED", "LAST ACTIVITY", "ITEMS", "ATTACHMENTS", ""]
        var lines = [header]
        for row in rows {
            let s = row.summary
            var attachments = "\(s.attachments)"
            if s.missingAttachments > 0 { attachments += " (\(s.missingAttachments) not fetched)" }
            let note = row.otherKey ? "sealed to another team key" : ""
            lines.append([s.reference, s.received, s.lastActivity, "\(s.items)", attachments, note])
        }
        let widths = (0..<header.count).map { column in lines.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for line in lines {
            var text = ""
            for (column, cell) in line.enumerated() {
                let numeric = column == 3
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                text += numeric ? padding + cell : cell + padding
                if column < line.count - 1 { text += "   " }
            }
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        return out
    }

    struct JSONCase: Encodable {
        let `case`: String
        let received: String
        let lastActivity: String
        let items: Int
        let attachments: Int
        let attachmentsNotFetched: Int
        let otherTeamKey: Bool

        enum CodingKeys: String, CodingKey {
            case `case`, received, items, attachments
            case lastActivity = "last_activity"
            case attachmentsNotFetched = "attachments_not_fetched"
            case otherTeamKey = "other_team_key"
        }
    }

    static func json(_ rows: [Row]) -> String {
        let cases = rows.map { row in
            JSONCase(case: row.summary.reference, received: row.summary.received, lastActivity: row.summary.lastActivity,
                     items: row.summary.items, attachments: row.summary.attachments,
                     attachmentsNotFetched: row.summary.missingAttachments, otherTeamKey: row.otherKey)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(["cases": cases])) ?? Data(), as: UTF8.self)
    }
}
