// The desk's statistics and audit pages over the code the commands run (docs/design/
// DESK.md §5, §7): the statistic records are fetched and opened by StatsCommand.fetchAll
// and StatsCommand.openAll (through the member's grants or the team key the session
// opened), counted by StatisticsTally and suppressed by its `published(minCell:)`; the
// audit log is fetched as `sealbox audit` does, its chain recomputed by
// AuditChainVerifier and checked against the local pin by AuditPinning.
//
// The opened records are kept in the session's keys (DeskWorkstationKeys) until the desk
// locks or syncs, so that changing the period does not fetch and open them again.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxDesk
import SealboxWorkstation

extension DeskWorkstation {
    // MARK: Statistics

    func statistics(from: Month, to: Month, keys: any DeskKeys) async throws(DeskFailure) -> DeskStatistics {
        let opened = try Self.opened(keys)
        var result: DeskStatistics?
        try await deskAsync {
            let scheme = try settings.codingScheme(flag: nil)
            let minCell = try settings.statsMinCell(flag: nil)
            let records: (records: [StatisticRecord], skipped: Int)
            if let cached = (keys as? DeskWorkstationKeys)?.cachedStatistics {
                records = cached
            } else {
                let client = try client(opened.signing)
                let sealed = try await StatsCommand.fetchAll(client)
                let local = try LocalStore.open(directory, create: false)
                var known = try KeyFiles.knownStaffKeys(settings: settings)
                known.insert(client.key.publicKey)
                known.formUnion(try TeamDirectory.load(settings: settings, store: local).signingKeys)
                records = StatsCommand.openAll(sealed, keyring: opened.keyring, known: known)
                (keys as? DeskWorkstationKeys)?.cachedStatistics = records
            }
            let figures = StatisticsTally(records.records, from: from, to: to).published(minCell: minCell)
            result = Self.deskStatistics(figures, scheme: scheme, skipped: records.skipped)
        }
        guard let result else { throw DeskFailure(.other) }
        return result
    }

    /// The published figures as the desk renders them.
    static func deskStatistics(_ figures: PublishedStatistics, scheme: CodingScheme, skipped: Int) -> DeskStatistics {
        var tables: [CodingScheme.Dimension: [DeskStatistics.Row]] = [:]
        for (dimension, rows) in figures.tables {
            tables[dimension] = rows.map { DeskStatistics.Row(id: $0.id, count: $0.count) }
        }
        return DeskStatistics(scheme: scheme, minCell: figures.minCell, total: figures.total, tables: tables,
                              months: figures.months, skipped: skipped)
    }

    // MARK: Audit

    func audit(keys: any DeskKeys) async throws(DeskFailure) -> DeskAudit {
        let opened = try Self.opened(keys)
        var result: DeskAudit?
        try await deskAsync {
            let client = try client(opened.signing)
            let log = try client.decode(AuditLog.self, from: try await client.get(StaffPath.audit), what: "an audit log")
            let local = try LocalStore.open(directory, create: false)
            let team = try TeamDirectory.load(settings: settings, store: local)
            let own = settings.path(.staffKey, flag: nil).flatMap { try? KeyFiles.ownMemberID(at: $0) }
            let entries = log.entries.map { entry in
                DeskAudit.Entry(day: entry.day, member: entry.member.map { team.shown($0, own: own) },
                                action: entry.action, reference: entry.case)
            }
            // The chain first (it names the broken entry), then the pin (rollback, rewrite),
            // as `sealbox audit --verify`; without a local store only the chain is checked.
            let verdict: DeskAudit.Verdict
            if let broken = AuditChainVerifier.firstBreak(log.entries.map(\.entry)) {
                verdict = .broken(index: broken.index, reason: Self.reason(broken.reason))
            } else {
                do {
                    if let local { try AuditPinning.check(log, store: local, server: client.serverText) }
                    verdict = .verified(head: log.entries.last.map { Hex.encode($0.hash.bytes) })
                } catch {
                    verdict = .pinRefused((error as? CLIError)?.message ?? "\(error)")
                }
            }
            result = DeskAudit(entries: entries, verdict: verdict)
        }
        guard let result else { throw DeskFailure(.other) }
        return result
    }

    private static func reason(_ reason: AuditChainVerifier.Break) -> DeskAudit.Reason {
        switch reason {
        case .prev: .prev
        case .hash: .hash
        case .order: .order
        }
    }
}
