// `sealbox sync`: fetches new sealed items and their attachment blobs over the
// signed staff API into the local store, still sealed. The feed is ordered by (day, id),
// never by arrival (PROTOCOL §8), so every sync starts again at the day before the newest
// day synced and stores each item once: an item that arrived later on a synced day is
// fetched even when its id sorts before everything fetched that day. Each page is
// committed with the day it reached, and each blob on its own, so a sync that was
// interrupted resumes where it stopped. Nothing is decrypted here.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Fetch new reports from the server into the local store.",
        discussion: """
            Reports stay sealed in the local store; `sealbox show` opens them. Needs your \
            staff key file and its passphrase. If a sync is interrupted, run it again: it \
            continues where it stopped.
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var passphrase: PassphraseOptions
    @OptionGroup var staffPassphrase: StaffPassphraseOptions

    /// Items asked for per request: the most the server gives (a page is still cut at
    /// `StaffPath.pageEnvelopeBudget` bytes of envelopes).
    static let pageSize = StaffPath.maximumPageSize

    func run() async throws {
        let settings = try Settings.current()
        let serverURL = try settings.server(flag: server.server)
        let keyFile = try settings.requiredPath(.staffKey, flag: server.staffKey, for: "`sealbox sync`")
        let directory = settings.storeDirectory(flag: store.store)
        let trust = try settings.serverTrust(for: serverURL, caFileFlag: server.serverCAFile, pinFlag: server.serverCertificateSHA256)
        let key = try KeyAccessResolver.signer(keyFile: keyFile, settings: settings, passphraseFlag: passphrase.passphraseFile,
                                               staffPassphraseFlag: staffPassphrase.staffPassphraseFile)
        guard let local = try LocalStore.open(directory, create: true) else { return }
        let client = StaffClient(server: serverURL, key: key, keyFileName: keyFile.path, trust: trust)
        // The store's change counter before the sync: the cases changed after it are named at the end.
        let changesBefore = try? local.latestChange()
        let outcome = try await Self.synchronise(settings: settings, client: client, store: local, progress: ProgressLine())
        if !outcome.restrictedPurged.isEmpty {
            print("Removed \(Terminal.count(outcome.restrictedPurged.count, "case")) restricted to other members from the local store: "
                  + outcome.restrictedPurged.map(\.text).joined(separator: ", ") + ".")
        }
        let totals = outcome.totals
        for id in totals.unavailable {
            Terminal.warning("attachment \(id) is no longer on the server; it cannot be shown")
        }
        let lost = (try? local.cases().filter(\.lostOnServer).map(\.reference.text)) ?? []
        if !lost.isEmpty {
            Terminal.warning("""
                \(Terminal.count(lost.count, "case")) on this workstation \(lost.count == 1 ? "is" : "are") no longer on \
                the server, which has no record of deleting \(lost.count == 1 ? "it" : "them"): \(lost.joined(separator: ", ")). \
                The server was probably restored from an older backup: \(lost.count == 1 ? "this report is" : "these reports are") \
                lost there (the code no longer opens it) but kept here. Tell the administrator and your team.
                """)
        }
        if let broken = totals.brokenAudit {
            Terminal.warning("the server's audit log does not verify (entry \(broken + 1) is broken); "
                             + "run `sealbox audit --verify` and tell the administrator")
        }
        if !totals.purged.isEmpty {
            print("Removed \(Terminal.count(totals.purged.count, "case")) deleted on the server from the local store: "
                  + totals.purged.map(\.text).joined(separator: ", ") + ".")
        }
        print("\(Terminal.count(totals.items, "new item")), \(Terminal.count(totals.attachments, "new attachment")).")
        if let changesBefore, let changed = try? local.casesChanged(after: changesBefore), !changed.isEmpty {
            print(Self.changedLine(changed))
        }
    }

    /// How many references `changedLine` names before it counts the rest.
    static let changedShown = 20

    /// "New or changed: 7KQM-3XWP, 9ABC-DEFG." (at most `changedShown` names, then "and N more").
    static func changedLine(_ changed: [CaseReference]) -> String {
        var names = changed.prefix(changedShown).map(\.text).joined(separator: ", ")
        if changed.count > changedShown { names += " and \(changed.count - changedShown) more (`sealbox list --new`)" }
        return "New or changed: \(names)."
    }

    /// Verifies the roster and the audit chain, fetches grants and every new item into the
    /// local store: the totals, and the cases purged as restricted to others. `sealbox sync`
    /// and the desk both sync here.
    static func synchronise(settings: Settings, client: StaffClient, store local: WorkstationStore,
                            progress: ProgressLine) async throws -> (totals: Synchroniser.Totals, restrictedPurged: [CaseReference]) {
        var restrictedPurged: [CaseReference] = []
        // With trusted leads set, the team roster is verified first: a forked, rolled-back or
        // foreign roster stops the sync before anything is fetched (PROTOCOL §12.4).
        if let trusted = try RosterClient.trustedLeads(settings: settings) {
            let roster = try await RosterClient(client: client, store: local, trustedLeads: trusted).refresh()
            // With key epochs, the member's grants (PROTOCOL §12.5) are fetched and kept sealed.
            if roster.epoch > 0 {
                try await RosterClient(client: client, store: local, trustedLeads: trusted).fetchGrants()
            }
            // Cases restricted to others are purged here, as deleted ones are (PROTOCOL §12.7).
            if let me = roster.activeMember(signingKey: client.key.publicKey) {
                restrictedPurged = (try? local.purgeRestricted(roster, notNaming: me.id)) ?? []
            }
        }
        var sync = Synchroniser(client: client, store: local, progress: progress)
        // The audit chain must extend the one pinned here (PROTOCOL §11.1): a log rolled back
        // or rewritten on the server stops the sync before anything is fetched.
        try await sync.checkAudit()
        let totals = try await sync.run()
        sync.progress.finish()
        return (totals, restrictedPurged)
    }
}

/// The sync loop, separate from the command so that tests can drive it.
struct Synchroniser {
    struct Totals {
        var items = 0
        var attachments = 0
        var unavailable: [AttachmentID] = []
        /// Cases the server deleted, purged from the local store by this sync.
        var purged: [CaseReference] = []
        /// The index of the first broken entry of the server's audit chain, if it is broken.
        var brokenAudit: Int?
    }

    let client: StaffClient
    let store: WorkstationStore
    let progress: ProgressLine
    var totals = Totals()

    init(client: StaffClient, store: WorkstationStore, progress: ProgressLine) {
        self.client = client
        self.store = store
        self.progress = progress
    }

    mutating func run() async throws(CLIError) -> Totals {
        show()
        try await fetchMissingBlobs()  // left over from an interrupted sync
        let from = try storeCall { try store.resumeDay }
        var cursor: ItemID? = nil
        var visited: Set<ItemID> = []
        // The next page is asked for as soon as this one is decoded, so that the server
        // prepares it while this page is written to the local store (one request ahead).
        var ahead = Self.fetchPage(client, from: from, after: nil)
        defer { ahead.cancel() }
        while true {
            let answer = try await Self.answer(of: ahead)
            if answer.status == 400, cursor != nil {
                // The server no longer knows the item that ended its previous page, not even
                // as the tombstone of a deleted case: its database was replaced meanwhile.
                throw CLIError(
                    "the server does not know a report it has just listed",
                    hint: "its database may have been replaced; ask the administrator, then run `sealbox sync` again",
                    status: .server)
            }
            guard answer.status == 200 else { throw client.unexpected(answer.status) }
            let page = try client.decode(ItemPage.self, from: answer.body, what: "a list of reports")
            guard let last = page.items.last else { break }
            let next = page.next ?? last.id
            // A server that does not move the cursor on, or leads it round in a circle,
            // would keep this loop going forever.
            guard visited.insert(next).inserted else { break }
            ahead = Self.fetchPage(client, from: from, after: next)
            let new = try storeCall { try store.insert(items: page.items.map(StoredItem.init)) }
            totals.items += new.items
            cursor = next
            show()
            try await fetchMissingBlobs()
        }
        try await fetchCases()
        return totals
    }

    /// One page of items, asked for in a task of its own.
    private static func fetchPage(_ client: StaffClient, from: Day?, after cursor: ItemID?) -> Task<StaffClient.Answer, any Error> {
        Task {
            try await client.send(method: "GET", pathAndQuery: StaffPath.items(from: from, after: cursor, limit: SyncCommand.pageSize),
                                  limit: StaffPath.maximumPageAnswer)
        }
    }

    /// The answer of a page asked for ahead (its error as the client gave it).
    private static func answer(of task: Task<StaffClient.Answer, any Error>) async throws(CLIError) -> StaffClient.Answer {
        do {
            return try await task.value
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(error)", status: .server)
        }
    }

    /// The server's view of every case (status, days), stored for `list`. A server
    /// without the case list (before issue 3) answers 404: statuses then come from
    /// the status changes among the items.
    private mutating func fetchCases() async throws(CLIError) {
        let answer = try await client.send(method: "GET", pathAndQuery: StaffPath.cases)
        if answer.status == 404 { return }
        guard answer.status == 200 else { throw client.unexpected(answer.status) }
        let list = try client.decode(CaseList.self, from: answer.body, what: "a list of cases")
        try storeCall { try store.replaceServerCases(list.cases) }
        // The audit log tells a case deleted on the server from one lost in a restore. It
        // only labels cases, so a log that cannot be had leaves them unlabelled, not the
        // sync failed.
        var deleted: Set<CaseReference>?
        if let log = try await auditLog() {
            totals.brokenAudit = try AuditPinning.check(log, store: store, server: client.serverText)?.index
            deleted = Set(log.entries.filter { $0.action.deletesCase }.compactMap(\.case))
        }
        try storeCall { try store.replaceServerDeletions(deleted) }
        // Deletion reaches every workstation (issue 10): a case the audit log records as
        // deleted on the server is purged here too.
        if let deleted { totals.purged = try storeCall { try store.purgeDeleted(deleted) } }
    }

    /// The server's audit log; nil when it cannot be had (a server before the chain). With
    /// `strict`, a failed exchange (no answer, an answer over the cap, 401, 5xx) is thrown.
    private func auditLog(strict: Bool = false) async throws(CLIError) -> AuditLog? {
        let answer: StaffClient.Answer
        do {
            answer = try await client.send(method: "GET", pathAndQuery: StaffPath.audit)
        } catch {
            if strict { throw error }
            return nil
        }
        guard answer.status == 200 else { return nil }
        return try? client.decode(AuditLog.self, from: answer.body, what: "the audit log")
    }

    /// Checks the server's audit log against the pin (and moves the pin when it verifies),
    /// before anything is fetched: a server that fails here fails the sync.
    mutating func checkAudit() async throws(CLIError) {
        guard let log = try await auditLog(strict: true) else { return }
        totals.brokenAudit = try AuditPinning.check(log, store: store, server: client.serverText)?.index
    }

    private mutating func fetchMissingBlobs() async throws(CLIError) {
        let missing = try storeCall { try store.missingAttachments() }
        for attachment in missing where !totals.unavailable.contains(attachment.id) {
            let answer = try await client.send(method: "GET", pathAndQuery: StaffPath.attachment(attachment.id),
                                               limit: attachment.size)
            if answer.status == 404 {
                totals.unavailable.append(attachment.id)
                continue
            }
            guard answer.status == 200 else { throw client.unexpected(answer.status) }
            guard answer.body.count == attachment.size else {
                throw CLIError("an attachment arrived incomplete (\(answer.body.count) of \(attachment.size) bytes)",
                               hint: "run `sealbox sync` again", status: .server)
            }
            try storeCall { try store.storeBlob(id: attachment.id, data: Array(answer.body)) }
            totals.attachments += 1
            show()
        }
    }

    private func show() {
        progress.update("Fetching… \(Terminal.count(totals.items, "item")), \(Terminal.count(totals.attachments, "attachment"))")
    }

    @discardableResult
    private func storeCall<T>(_ body: () throws -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            throw CLIError("cannot write to the local store (\(error))",
                           hint: "check the free disk space and the permissions of the store folder")
        }
    }
}
