// The workstation's pin on the daemon's audit chain (docs/PROTOCOL.md §11.1, table
// `audit_pin`, migration v8-audit-pin).
//
// Rules this file enforces:
// - the chain's order is (day, id) and the entries of the newest day may still be joined
//   by others (their links are recomputed), so the pin is not one hash: it is the last
//   entry of the earlier days (never changed again, its hash covers everything before
//   it) and every entry of the newest day by the digest of its own fields;
// - a later chain extends the pin when it holds the settled entry with the same hash,
//   every pinned entry of the newest day with the same fields, and nothing new between
//   the settled entry and that day; otherwise it was rolled back (an entry is missing)
//   or rewritten (an entry changed, or one was put in before), and it is refused;
// - the pin moves only to a chain that verifies and extends it, in one transaction.
import Foundation
import SealboxCore
import SealboxCrypto
internal import GRDB

/// Why an audit chain does not extend the one this workstation has verified.
public enum AuditPinError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A pinned entry is not in the chain any more.
    case rolledBack(day: Day, id: ItemID)
    /// A pinned entry is there with other fields or another hash, or an entry was put in
    /// before the newest day pinned.
    case rewritten(day: Day, id: ItemID)

    public var description: String {
        switch self {
        case .rolledBack(let day, let id):
            "the server's audit log does not extend the one this workstation has verified: its entry of \(day.text) "
                + "(id \(id.text)) is missing, so the log was rolled back (the server's database restored from an older copy) "
                + "or entries were removed"
        case .rewritten(let day, let id):
            "the server's audit log does not extend the one this workstation has verified: at its entry of \(day.text) "
                + "(id \(id.text)) it differs, so the log was rewritten (forked) on the server"
        }
    }
}

/// What a workstation keeps of a verified audit chain.
public struct AuditPin: Sendable, Equatable {
    /// The last entry before the newest day, with its chain hash (nil: none).
    public var settled: (day: Day, id: ItemID, hash: [UInt8])?
    /// Every entry of the newest day, by the digest of its fields.
    public var newestDay: [(day: Day, id: ItemID, digest: [UInt8])] = []

    public init() {}

    public static func == (a: AuditPin, b: AuditPin) -> Bool {
        a.settled?.day == b.settled?.day && a.settled?.id == b.settled?.id && a.settled?.hash == b.settled?.hash
            && a.newestDay.map { "\($0.day.text)/\($0.id.text)/\(Hex.encode($0.digest))" }
            == b.newestDay.map { "\($0.day.text)/\($0.id.text)/\(Hex.encode($0.digest))" }
    }

    /// Whether nothing is pinned yet.
    public var isEmpty: Bool { settled == nil && newestDay.isEmpty }

    /// The digest of an entry's own fields: its hash after the start, whatever its `prev`.
    public static func digest(_ entry: AuditEntry) -> [UInt8] { entry.computedHash(prev: AuditChain.start) }

    /// The pin of `entries` (a chain in its order).
    public init(chain entries: [AuditEntry]) {
        guard let newest = entries.last?.day else { return }
        if let last = entries.last(where: { $0.day < newest }) { settled = (last.day, last.id, last.hash) }
        newestDay = entries.filter { $0.day == newest }.map { ($0.day, $0.id, Self.digest($0)) }
    }

    /// Throws unless `entries` (a chain in its order) extends this pin.
    public func check(_ entries: [AuditEntry]) throws(AuditPinError) {
        var byID: [String: AuditEntry] = [:]
        for entry in entries { byID[entry.day.text + "/" + entry.id.text] = entry }
        if let settled {
            guard let found = byID[settled.day.text + "/" + settled.id.text] else {
                throw .rolledBack(day: settled.day, id: settled.id)
            }
            guard found.hash == settled.hash else { throw .rewritten(day: settled.day, id: settled.id) }
        }
        for pinned in newestDay {
            guard let found = byID[pinned.day.text + "/" + pinned.id.text] else { throw .rolledBack(day: pinned.day, id: pinned.id) }
            guard Self.digest(found) == pinned.digest else { throw .rewritten(day: pinned.day, id: pinned.id) }
        }
        // Nothing may appear between the settled entry and the newest day pinned.
        if let first = newestDay.first {
            let inserted = entries.first { entry in
                entry.day < first.day && settled.map { (entry.day.text, entry.id.text) > ($0.day.text, $0.id.text) } ?? true
            }
            if let inserted { throw .rewritten(day: inserted.day, id: inserted.id) }
        }
    }
}

extension WorkstationStore {
    /// The audit pin stored here (empty before the first verified chain).
    public func auditPin() throws -> AuditPin {
        try queue.read { db in
            var pin = AuditPin()
            for row in try Row.fetchAll(db, sql: "SELECT day, id, settled, hash FROM audit_pin ORDER BY day, id") {
                let key = row.key("day") + "/" + row.key("id")
                let day: Day = try row.value("day", of: "audit_pin", key: key)
                let id: ItemID = try row.value("id", of: "audit_pin", key: key)
                let hash = [UInt8](row["hash"] as Data)
                if (row["settled"] as Int64) == 1 {
                    pin.settled = (day, id, hash)
                } else {
                    pin.newestDay.append((day, id, hash))
                }
            }
            return pin
        }
    }

    /// Checks that `entries` (a chain that verifies, in its order) extends the pin, then
    /// moves the pin to it. Throws AuditPinError, changing nothing, when it does not.
    public func pinAudit(_ entries: [AuditEntry]) throws {
        try auditPin().check(entries)
        let pin = AuditPin(chain: entries)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM audit_pin")
            if let settled = pin.settled {
                try db.execute(sql: "INSERT INTO audit_pin (day, id, settled, hash) VALUES (?, ?, 1, ?)",
                               arguments: [settled.day, settled.id, Data(settled.hash)])
            }
            for entry in pin.newestDay {
                try db.execute(sql: "INSERT INTO audit_pin (day, id, settled, hash) VALUES (?, ?, 0, ?)",
                               arguments: [entry.day, entry.id, Data(entry.digest)])
            }
        }
    }
}
