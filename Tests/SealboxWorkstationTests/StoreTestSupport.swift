// Helpers for the store's tests: a temporary folder, items whose envelopes are opaque
// bytes (the store never opens them), and looks into the SQLite file that only tests
// need (pragmas, row counts, the raw case row, a store as schema version 1 left it).
import Foundation
import GRDB
import Synchronization
import SealboxAPI
import SealboxCore
import SealboxCrypto
import Testing
@testable import SealboxWorkstation

/// A folder of its own for one test, removed with the suite instance.
final class TemporaryFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sealbox-store-\(Random.identifier())")

    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }
}

// Literals for the values these tests name (`"7KQM-3XWP"`, `"2026-11-24"`); production
// code parses them at the edge instead.
extension CaseReference: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) { try! self.init(parsing: text) }
}

extension Day: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) { try! self.init(parsing: text) }
}

enum Fixtures {
    private static let positions = Atomic<Int>(0)

    /// A position larger than every one handed out before: items made one after another
    /// in a test keep that order inside their case (the server numbers them 1, 2, 3, …).
    static func nextPosition() -> Int { positions.add(1, ordering: .relaxed).newValue }

    /// An item of `kind` for `reference` as the staff API lists it, with random bytes for an envelope.
    static func item(reference: CaseReference, kind: EnvelopeKind = .report, day: Day = "2026-11-24",
                     position: Int = nextPosition(),
                     attachments: [(manifest: AttachmentManifest, blobSize: Int)] = []) -> StoredItem {
        StoredItem(id: .generate(), caseReference: reference, kind: kind, day: day, position: position,
                   envelope: Random.bytes(96),
                   attachments: attachments.map { StoredAttachment(id: $0.manifest.id, size: $0.blobSize) })
    }
}

extension WorkstationStore {
    /// The value of a pragma on the store's connection.
    func pragma(_ name: String) throws -> String? {
        try queue.inDatabase { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    /// How many items, attachments and fetched blobs are stored.
    func counts() throws -> (items: Int, attachments: Int, blobs: Int) {
        try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM items") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachments") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attachments WHERE blob IS NOT NULL") ?? 0)
        }
    }

    /// The stored server view of one case, read back from its row.
    func serverCase(_ reference: CaseReference) throws -> CaseSummary? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM cases WHERE ref = ?", arguments: [reference]).map { row in
                CaseSummary(case: try row.decode(forColumn: "ref"), status: try row.decode(forColumn: "status"),
                            received: try row.decode(forColumn: "received"),
                            acknowledged: try row.decode(forColumn: "acknowledged"), updated: try row.decode(forColumn: "updated"))
            }
        }
    }
}

/// A store file as version 1 of the schema left it, for the migration tests.
enum Version1Store {
    static func create(at path: String, items: [StoredItem], cursor: ItemID) throws {
        let queue = try DatabaseQueue(path: path)
        try WorkstationStore.migrator.migrate(queue, upTo: "v1-items-attachments-state")
        try queue.write { db in
            for item in items {
                try db.execute(sql: "INSERT INTO items (id, case_ref, kind, day, envelope) VALUES (?, ?, ?, ?, ?)",
                               arguments: [item.id, item.caseReference, item.kind, item.day, Data(item.envelope)])
                for attachment in item.attachments {
                    try db.execute(sql: "INSERT INTO attachments (id, item_id, size) VALUES (?, ?, ?)",
                                   arguments: [attachment.id, item.id, attachment.size])
                }
            }
            try db.execute(sql: "INSERT INTO state (key, value) VALUES ('cursor', ?)", arguments: [cursor])
        }
    }
}
