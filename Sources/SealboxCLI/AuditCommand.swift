// `sealbox audit [--verify]`: the daemon's hash-chained log of staff actions
// (GET /api/v1/staff/audit, docs/PROTOCOL.md §11): day, the key id of the member who
// acted (none for the daemon itself), the action and the case. Never content. --verify
// recomputes the chain from its first entry with SealboxCrypto's one definition of the
// hash and names the first broken entry (exit status 3).
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the server's log of staff actions, or verify its hash chain.",
        discussion: """
            Each line: the day, the key id of the member who acted (yours is marked; \
            "sealboxd" for the daemon's own deletions by retention and expired deletion \
            requests), the action (reply, status:<status>, delete-request, delete-confirm, \
            delete-expired, delete, retain:<day>, retention-delete, and sync and read once \
            per member and day) and the case. Within a day entries are in a random order, \
            never the order of time. The log holds no content. --verify recomputes the hash \
            chain and names the first entry that does not fit (exit status 3), so that an \
            entry changed, removed or inserted in the server's database is seen. Needs your \
            staff key file and its passphrase.
            """)

    @Flag(name: .customLong("json"), help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .customLong("verify"), help: "Recompute the hash chain and name the first broken entry.")
    var verify = false

    @OptionGroup var staff: StaffOptions

    func run() async throws {
        let settings = try Settings.current()
        let client = try staff.client(settings: settings, purpose: "`sealbox audit`")
        let log = try client.decode(AuditLog.self, from: try await client.get(StaffPath.audit), what: "an audit log")
        if verify {
            try Self.verify(log)
        } else if json {
            print(Terminal.prettyJSON(log))
        } else if log.entries.isEmpty {
            print("The audit log is empty.")
        } else {
            print(Self.table(log.entries, ownKeyID: client.key.publicKey.keyID), terminator: "")
        }
    }

    static func verify(_ log: AuditLog) throws(CLIError) {
        guard let broken = AuditChainVerifier.firstBreak(log.entries.map(\.entry)) else {
            let head = log.entries.last.map { " Its head is \(Hex.encode($0.hash.bytes))." } ?? ""
            print("The audit chain holds: \(Terminal.count(log.entries.count, "entry", "entries")) verified.\(head)")
            return
        }
        let entry = log.entries[broken.index]
        let why = switch broken.reason {
        case .prev: "its prev is not the hash of the entry before it (an entry was removed, inserted or changed before it)"
        case .hash: "its hash does not match its fields (the entry was changed)"
        case .order: "it is out of the chain's order (day, id)"
        }
        throw CLIError("the audit chain is broken at entry \(broken.index + 1) of \(log.entries.count) "
                       + "(\(entry.day.text) \(entry.action.text)\(entry.case.map { " " + $0.text } ?? ""), id \(entry.id.text)): \(why)",
                       hint: "the server's audit log was altered; keep this output and tell the administrator",
                       status: .authentication)
    }

    static func table(_ entries: [AuditLogEntry], ownKeyID: KeyID) -> String {
        let rows = [["DAY", "MEMBER", "ACTION", "CASE"]] + entries.map { entry in
            [entry.day.text, entry.member.map { $0 == ownKeyID ? $0.hex + " (you)" : $0.hex } ?? "sealboxd",
             entry.action.text, entry.case?.text ?? "-"]
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
