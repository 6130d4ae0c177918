// The workstation's pin on the audit chain (docs/PROTOCOL.md §11.1, migration
// v8-audit-pin): a later chain must hold the settled entry with the same hash and every
// pinned entry of the newest day with the same fields; entries joining that day or later
// days extend it; a rollback (an entry missing) or a rewrite (an entry changed, or put in
// before the newest day) is refused and the pin stays as it was.
import Foundation
import SealboxCore
import SealboxCrypto
import Testing
@testable import SealboxWorkstation

@Suite struct WorkstationStoreAuditPinTests {
    let folder: TemporaryFolder
    let store: WorkstationStore
    let member = SigningSecretKey.generate().publicKey.keyID

    init() throws {
        folder = try TemporaryFolder()
        store = try WorkstationStore(directory: folder.url)
    }

    struct Raw {
        let day: Day
        let id: ItemID
        var action: AuditAction
    }

    func raw(_ day: Day, _ action: AuditAction = .sync) -> Raw { Raw(day: day, id: .generate(), action: action) }

    /// The chain of `raws` in its order (day, id), linked as the daemon links it.
    func chain(_ raws: [Raw]) -> [AuditEntry] {
        var prev = AuditChain.start
        return raws.sorted { ($0.day, $0.id.text) < ($1.day, $1.id.text) }.map { r in
            let unlinked = AuditEntry(id: r.id, day: r.day, member: member, action: r.action, caseReference: nil,
                                      request: [], prev: prev, hash: [])
            let entry = AuditEntry(id: r.id, day: r.day, member: member, action: r.action, caseReference: nil,
                                   request: [], prev: prev, hash: unlinked.computedHash(prev: prev))
            prev = entry.hash
            return entry
        }
    }

    var base: [Raw] { [raw("2026-12-01"), raw("2026-12-01", .reply), raw("2026-12-02"), raw("2026-12-03"), raw("2026-12-03", .read)] }

    @Test func aChainThatGrowsWithinItsDayAndAfter_extendsThePin() throws {
        let raws = base
        try store.pinAudit(chain(raws))
        let pin = try store.auditPin()
        #expect(pin.settled?.day == "2026-12-02" && pin.newestDay.count == 2)
        // Another entry of the same day relinks that day; a later day follows.
        let more = raws + [raw("2026-12-03", .reply)]
        try store.pinAudit(chain(more))
        #expect(try store.auditPin().newestDay.count == 3)
        try store.pinAudit(chain(more + [raw("2026-12-05")]))
        #expect(try store.auditPin().settled?.day == "2026-12-03")
        #expect(try store.auditPin().newestDay.map(\.day) == ["2026-12-05"])
    }

    @Test func anEmptyPin_acceptsAnyChain_andAnEmptyChainPinsNothing() throws {
        try store.pinAudit([])
        #expect(try store.auditPin().isEmpty)
        try store.pinAudit(chain(base))
        #expect(try !store.auditPin().isEmpty)
    }

    @Test func aChainRolledBackWithinTheNewestDay_isRefused_andThePinStays() throws {
        let raws = base
        try store.pinAudit(chain(raws))
        let before = try store.auditPin()
        let older = chain(Array(raws.dropLast()))  // the restored copy lacks today's last entry
        #expect(throws: AuditPinError.rolledBack(day: raws[4].day, id: raws[4].id)) { try store.pinAudit(older) }
        #expect(try store.auditPin() == before)
    }

    @Test func aChainRolledBackToAnEarlierDay_isRefused_evenWithNewEntriesAfter() throws {
        let raws = base
        try store.pinAudit(chain(raws))
        // Restored to the copy of 2026-12-01, then used for days: as many entries, other ones.
        let restored = Array(raws.prefix(2)) + [raw("2026-12-04"), raw("2026-12-04", .reply), raw("2026-12-05")]
        #expect(throws: AuditPinError.self) { try store.pinAudit(chain(restored)) }
        do {
            try store.pinAudit(chain(restored))
        } catch let error as AuditPinError {
            #expect(error == .rolledBack(day: raws[2].day, id: raws[2].id))
            #expect(error.description.contains("rolled back"))
        }
    }

    @Test func aRewrittenEarlierEntry_withEveryHashRecomputed_isRefusedAsRewritten() throws {
        var raws = base
        try store.pinAudit(chain(raws))
        raws[1].action = .status(.closed)  // changed, and the chain recomputed: it verifies
        let rewritten = chain(raws)
        #expect(AuditChainVerifier.firstBreak(rewritten) == nil)
        #expect(throws: AuditPinError.rewritten(day: raws[2].day, id: raws[2].id)) { try store.pinAudit(rewritten) }
    }

    @Test func aRewrittenEntryOfTheNewestDay_isRefused() throws {
        var raws = base
        try store.pinAudit(chain(raws))
        raws[3].action = .delete
        #expect(throws: AuditPinError.rewritten(day: raws[3].day, id: raws[3].id)) { try store.pinAudit(chain(raws)) }
    }

    @Test func anEntryPutInBeforeTheNewestDay_isRefused() throws {
        let raws = base
        try store.pinAudit(chain(raws))
        let backdated = raw("2026-12-02", .reply)
        // Between the settled entry (the last of 12-02) and the newest day, or before it.
        let error = #expect(throws: AuditPinError.self) { try store.pinAudit(chain(raws + [backdated])) }
        #expect(error == .rewritten(day: raws[2].day, id: raws[2].id) || error == .rewritten(day: backdated.day, id: backdated.id))
    }

    @Test func thePin_isKeptInTheStoreFile() throws {
        try store.pinAudit(chain(base))
        let again = try WorkstationStore(directory: folder.url)
        #expect(try again.auditPin() == store.auditPin())
        #expect(try !again.auditPin().isEmpty)
    }
}
