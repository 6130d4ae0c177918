// `sealbox audit`: the daemon's log of staff actions (GET /api/v1/staff/audit): day,
// the key id of the staff key that signed, the action (reply, status:<status>,
// delete) and the case. Never content.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the server's log of staff actions, oldest first.",
        discussion: """
            Each line: the day, the key id of the staff key that acted (yours is marked), the \
            action (reply, status:<status>, delete) and the case. The log holds no content. \
            Needs your staff key file and its passphrase.
            """)

    @Flag(name: .customLong("json"), help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var staff: StaffOptions

    func run() async throws {
        let settings = try Settings.current()
        let client = try staff.client(settings: settings, purpose: "`sealbox audit`")
        let log = try client.decode(AuditLog.self, from: try await client.get(StaffPath.audit), what: "an audit log")
        if json {
            print(Terminal.prettyJSON(log))
        } else if log.entries.isEmpty {
            print("The audit log is empty.")
        } else {
            print(Self.table(log.entries, ownKeyID: client.key.publicKey.keyID), terminator: "")
        }
    }

    static func table(_ entries: [AuditLogEntry], ownKeyID: KeyID) -> String {
        let rows = [["DAY", "STAFF KEY", "ACTION", "CASE"]] + entries.map { entry in
            [entry.day.text, entry.staffKeyID == ownKeyID ? entry.staffKeyID.hex + " (you)" : entry.staffKeyID.hex,
             entry.action.text, entry.case.text]
        }
        return TextTable.render(rows)
    }
}

/// Columns padded to their widest cell, three spaces apart, no trailing spaces.
enum TextTable {
    static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        var out = ""
        for row in rows {
            var text = ""
            for (column, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                text += rightAligned.contains(column) ? padding + cell : cell + padding
                if column < row.count - 1 { text += "   " }
            }
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        return out
    }
}
