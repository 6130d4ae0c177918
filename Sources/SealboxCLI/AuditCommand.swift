// `sealbox audit [--verify]`: the daemon's hash-chained log of staff actions
// (GET /api/v1/staff/audit, docs/PROTOCOL.md §11): day, the member who acted (her label in
// the pinned roster, else the key id; none for the daemon itself), the action and the
// case. Never content. --verify recomputes the chain from its first entry with
// SealboxCrypto's one definition of the hash and names the first broken entry, and checks
// that the chain extends the one pinned in the local store (§11.1); either failure is
// exit status 3.
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
            Each line: the day, the member who acted (her label in the team roster this \
            workstation has verified, else the key id; yours is marked; "sealboxd" for the \
            daemon's own deletions by retention and expired deletion requests), the action \
            (reply, status:<status>, note, coding, case-data, delete-request, delete-confirm, \
            delete-expired, delete, retain:<day>, retention-delete, roster:<seq> for a change \
            of the team, and sync and read once per member and day) and the case. Within a \
            day entries are in a random order, never the order of time. The log holds no \
            content. --verify recomputes the hash chain and names the first entry that does \
            not fit (exit status 3), so that an entry changed, removed or inserted in the \
            server's database is seen; it also checks that the chain still holds what this \
            workstation verified before (the pin in the local store, also checked by `sealbox \
            sync`), so that a log rolled back or rewritten on the server is refused (exit \
            status 3). Needs your staff key file and its passphrase.
            """)

    @Flag(name: .customLong("json"), help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .customLong("verify"), help: "Recompute the hash chain and name the first broken entry.")
    var verify = false

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let settings = try Settings.current()
        let client = try staff.client(settings: settings, purpose: "`sealbox audit`")
        let log = try client.decode(AuditLog.self, from: try await client.get(StaffPath.audit), what: "an audit log")
        if verify {
            // The chain first (it names the broken entry), then the pin (rollback, rewrite).
            let holds = try Self.verify(log)
            let local = try LocalStore.open(settings.storeDirectory(flag: store.store), create: false)
            if let local { try AuditPinning.check(log, store: local, server: client.serverText) }
            print(holds + (local != nil ? " It extends the chain this workstation verified before, and is pinned now." : ""))
        } else if json {
            print(Terminal.prettyJSON(log))
        } else if log.entries.isEmpty {
            print("The audit log is empty.")
        } else {
            let local = try LocalStore.open(settings.storeDirectory(flag: store.store), create: false)
            let team = try TeamDirectory.load(settings: settings, store: local)
            let own = try KeyFiles.ownMemberID(at: try settings.requiredPath(.staffKey, flag: staff.server.staffKey, for: "`sealbox audit`"))
            print(Self.table(log.entries, own: own, team: team), terminator: "")
        }
    }

    /// The line saying that the chain holds; throws (status 3) naming the first broken entry.
    static func verify(_ log: AuditLog) throws(CLIError) -> String {
        guard let broken = AuditChainVerifier.firstBreak(log.entries.map(\.entry)) else {
            let head = log.entries.last.map { " Its head is \(Hex.encode($0.hash.bytes))." } ?? ""
            return "The audit chain holds: \(Terminal.count(log.entries.count, "entry", "entries")) verified.\(head)"
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

    static func table(_ entries: [AuditLogEntry], own: KeyID, team: TeamDirectory = TeamDirectory()) -> String {
        let rows = [["DAY", "MEMBER", "ACTION", "CASE"]] + entries.map { entry in
            [entry.day.text, entry.member.map { team.shown($0, own: own) } ?? "sealboxd",
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
