// The workstation behind `sealbox desk` (docs/design/DESK.md §2): SealboxDesk's
// DeskBackend implemented with the code the commands run, so the desk has no second way
// of opening, checking, replying, noting, setting a status or syncing: TeamKeySource and
// CaseOpener open, AuthorshipJudge checks, ReplyCommand.send, StatusCommand.send,
// CaseWorkSender and SyncCommand.synchronise send and fetch. The passphrase typed on
// the sign-in page opens the key files once (the passphrase_file setting is not used);
// the opened keys live in DeskWorkstationKeys until the desk locks.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxDesk
import SealboxWorkstation

/// The opened keys of one desk session.
final class DeskWorkstationKeys: DeskKeys, @unchecked Sendable {
    private let lock = NSLock()
    private var opened: (source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey)?
    /// What this session keeps in memory (inbox rows, search index); dropped with the keys.
    let memory = DeskSessionMemory()
    /// The statistic records opened in this session (DeskWorkstation+Statistics.swift); dropped on lock and sync.
    private var statisticRecords: (records: [StatisticRecord], skipped: Int)?

    init(source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey) {
        opened = (source, keyring, signing)
    }

    /// The keys, or a failure when the session was wiped meanwhile.
    func get() throws(DeskFailure) -> (source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey) {
        lock.lock()
        defer { lock.unlock() }
        guard let opened else { throw DeskFailure(.other, detail: "the desk is locked") }
        return opened
    }

    /// Drops the keys; their secure storage is wiped when released.
    func wipe() {
        lock.lock()
        opened = nil
        statisticRecords = nil
        lock.unlock()
        memory.drop()
    }

    /// The statistic records opened earlier in this session, if any.
    var cachedStatistics: (records: [StatisticRecord], skipped: Int)? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return opened == nil ? nil : statisticRecords
        }
        set {
            lock.lock()
            if opened != nil { statisticRecords = newValue }
            lock.unlock()
        }
    }
}

/// The local store and key files named by the settings, as the desk's backend.
struct DeskWorkstation: DeskBackend {
    let settings: Settings
    /// One thread for the key derivation (Argon2id) of a sign-in, off the cooperative pool.
    let pool: BlockingPool

    var directory: URL { settings.storeDirectory(flag: nil) }

    // MARK: Unlock

    func unlock(passphrase: SecureBytes) async throws(DeskFailure) -> any DeskKeys {
        do {
            return try await pool.run { [self] in try openKeys(passphrase: passphrase) }
        } catch {
            throw Self.failure(error)
        }
    }

    /// Opens the key files with the typed passphrase (blocking: Argon2id).
    private func openKeys(passphrase: SecureBytes) throws -> DeskWorkstationKeys {
        try desk {
            let local = try LocalStore.open(directory, create: false)
            let source = try TeamKeySource.resolve(settings: settings, store: local, teamKeyFlag: nil,
                                                   purpose: "`sealbox desk`")
            let keyring = try source.open(store: local, passphrase: passphrase)
            let signing: SigningSecretKey
            // Keys opened in this process: the member key's signing half is a SigningSecretKey.
            if let member = keyring.signer as? SigningSecretKey {
                signing = member
            } else {
                let file = try settings.requiredPath(.staffKey, flag: nil, for: "`sealbox desk`")
                let staffPassphrase = try settings.path(.staffPassphraseFile, flag: nil).map { url throws(CLIError) in
                    try Passphrase.read(file: url)
                } ?? passphrase
                signing = try KeyFiles.openStaffKey(at: file, passphrase: staffPassphrase)
            }
            return DeskWorkstationKeys(source: source, keyring: keyring, signing: signing)
        }
    }

    // MARK: Reading

    func inbox(keys: any DeskKeys, today: Day) async throws(DeskFailure) -> [DeskCaseSummary] {
        try cachedInbox(keys: keys, today: today)
    }

    func search(_ query: String, keys: any DeskKeys) async -> DeskSearchResult {
        searchIndex(query, keys: keys)
    }

    func backgroundWork(keys: any DeskKeys) async {
        await refreshIndex(keys: keys)
    }

    func thread(_ reference: CaseReference, keys: any DeskKeys) async throws(DeskFailure) -> DeskThread {
        let opened = try Self.opened(keys)
        return try desk {
            guard let local = try LocalStore.open(directory, create: false) else { throw LocalStore.unknownCase(reference, store: nil) }
            let items = try storeCall { try local.thread(case: reference) }
            guard !items.isEmpty else { throw LocalStore.unknownCase(reference, store: local) }
            let summary = try storeCall { try local.localCase(reference) }
            let team = try TeamDirectory.load(settings: settings, store: local)
            var view = CaseWorkView()
            view.team = team
            view.ownKeyID = settings.path(.staffKey, flag: nil).flatMap { try? KeyFiles.ownMemberID(at: $0) }
            var judge = AuthorshipJudge(staffKeys: try knownStaffKeys(local, team: team, own: opened.signing))
            var shown: [DeskThreadItem] = []
            var judged: [(item: StoredItem, content: ReportContent, authorship: Authorship)] = []
            for item in items {
                let outcome = CaseOpener.open(item, filedUnder: reference, with: opened.keyring)
                switch outcome {
                case .opened(let item, let content):
                    let authorship = judge.judge(content)
                    judged.append((item, content, authorship))
                    shown.append(Self.withAttachments(Self.item(item, content, authorship, view: view), content,
                                                      store: local, keyring: opened.keyring))
                case .statusChange(let item):
                    shown.append(DeskThreadItem(kind: .status, day: item.day, author: "team", check: .serverRecord,
                                                text: "", caseStatus: item.status))
                default:
                    shown.append(DeskThreadItem(kind: item.kind, day: item.day, author: CaseView.author(item.kind),
                                                check: .failed(outcome.problem(case: reference) ?? ""), text: ""))
                }
            }
            let state = CaseWorkState.from(judged)
            // Read, as `sealbox show` marks it; the session's caches follow the read mark alone.
            if let before = try? local.changeFingerprint(), (try? local.markRead(reference)) != nil,
               let after = try? local.changeFingerprint() {
                (keys as? DeskWorkstationKeys)?.memory.markedRead(reference, from: before, to: after)
            }
            var thread = DeskThread(reference: reference, status: summary?.status, assigned: state.assigned.map(view.shown),
                                    followUp: state.followUp, items: shown)
            thread.clocks = try clocks(of: summary, followUp: state.followUp, items: items, judged: judged)
            return thread
        }
    }

    /// The running clocks of a case as `list` and `list --due` compute them: the office's two
    /// promises, the follow-up day, a reply due, the AGG period, the retention expiry.
    private func clocks(of summary: LocalCase?, followUp: Day?, items: [StoredItem],
                        judged: [(item: StoredItem, content: ReportContent, authorship: Authorship)]) throws -> [DeskDeadline] {
        let today = Day.today()
        var clocks: [DeskDeadline] = []
        if let summary {
            let policy = try settings.deadlinePolicy(acknowledgeFlag: nil, feedbackFlag: nil)
            let promised = ListCommand.deadlines(summary, today: today, policy: policy)
            clocks += [promised.acknowledgement, promised.feedback].compactMap { $0 }.map { DeskDeadline(kind: $0.kind, due: $0.due) }
            if let expires = summary.expires { clocks.append(DeskDeadline(kind: .retention, due: expires)) }
        }
        if let followUp, summary?.status != .closed { clocks.append(DeskDeadline(kind: .followUp, due: followUp)) }
        let thread = items.filter { !$0.isStatusChange }.map { ThreadEntry(id: $0.id, kind: $0.kind, day: $0.day) }
        if let due = Attention.replyDue(thread, dueDays: try settings.replyDueDays()).due {
            clocks.append(DeskDeadline(kind: .reply, due: due))
        }
        // The AGG period runs from the incident date the reporter gave in the report.
        if let incident = judged.first(where: { $0.item.kind == .report })?.content.incident,
           let agg = AGGClock.deadline(incident: incident, today: today) {
            clocks.append(DeskDeadline(kind: .agg, due: agg.due))
        }
        return clocks.sorted { ($0.due, $0.kind.rawValue) < ($1.due, $1.kind.rawValue) }
    }

    /// One opened item as the case page shows it.
    static func item(_ item: StoredItem, _ content: ReportContent, _ authorship: Authorship,
                     view: CaseWorkView) -> DeskThreadItem {
        let check: DeskThreadItem.Check
        var author = CaseView.author(ItemKind(content.type))
        switch authorship {
        case .anchor: check = .checked
        case .authentic(let signer):
            check = .checked
            if author == "team" { author = view.signer(signer) }
        case .unauthenticated: check = .unsigned
        case .forged(let why): check = .failed(CaseView.forgeryReason(why))
        }
        var fields: [(key: String, value: String)] = []
        func add(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { fields.append((key, value)) }
        }
        var text = content.text
        switch content.type {
        case .coding:
            text = ""
            add("scheme", content.scheme)
            add("grounds", content.grounds?.joined(separator: ", "))
            add("area", content.area)
            add("form", content.form)
            add("level", content.level)
            add("interventions", content.interventions?.joined(separator: ", "))
            add("outcome", content.outcome)
        case .caseData:
            text = ""
            add("assigned", content.assigned.map(view.shown))
            add("follow_up", content.followUp?.text)
        case .note, .reply:
            break
        default:
            add("grounds", content.grounds?.joined(separator: ", "))
            add("area", content.area)
            add("when", content.when)
            add("where", content.where)
            add("contact", content.contact)
        }
        return DeskThreadItem(kind: ItemKind(content.type), day: content.day, author: author, check: check, text: text,
                              fields: fields)
    }

    // MARK: Sending

    func reply(_ reference: CaseReference, text: String, keys: any DeskKeys) async throws(DeskFailure) {
        let opened = try Self.openedForSending(keys)
        try await deskAsync {
            let report = try ReplyCommand.storedReport(reference, directory: directory)
            if let foreign = opened.source.foreignKeyIDs(of: [report.item]) { throw opened.source.foreignError(foreign) }
            let reporterKey = try ReplyCommand.reporterKey(of: report.item, reference: reference, keyring: opened.keyring)
            _ = try await ReplyCommand.send(text: text, reference: reference, report: report, keySource: opened.source,
                                            reporterKey: reporterKey, client: try client(opened.signing))
        }
    }

    func setStatus(_ reference: CaseReference, _ status: CaseStatus, keys: any DeskKeys) async throws(DeskFailure) {
        let opened = try Self.openedForSending(keys)
        try await deskAsync {
            _ = try await StatusCommand.send(status, reference: reference, client: try client(opened.signing),
                                             storeDirectory: directory)
        }
    }

    func note(_ reference: CaseReference, text: String, keys: any DeskKeys) async throws(DeskFailure) {
        let opened = try Self.openedForSending(keys)
        try await deskAsync {
            let report = try ReplyCommand.storedReport(reference, directory: directory)
            guard let local = report.store else { throw LocalStore.unknownCase(reference, store: nil) }
            if let foreign = opened.source.foreignKeyIDs(of: [report.item]) { throw opened.source.foreignError(foreign) }
            let sender = CaseWorkSender(reference: reference, local: local, keySource: opened.source, keyring: opened.keyring,
                                        client: try client(opened.signing), reportDay: report.item.day)
            _ = try await sender.send(.note(case: reference, day: .today(), text: text), what: "note")
        }
    }

    func sync(keys: any DeskKeys) async throws(DeskFailure) -> Int {
        let opened = try Self.openedForSending(keys)
        (keys as? DeskWorkstationKeys)?.cachedStatistics = nil
        var count = 0
        try await deskAsync {
            guard let local = try LocalStore.open(directory, create: true) else { return }
            let outcome = try await SyncCommand.synchronise(settings: settings, client: try client(opened.signing), store: local,
                                                            progress: ProgressLine(enabled: false))
            count = outcome.totals.items
        }
        return count
    }

    // MARK: Helpers

    func client(_ key: SigningSecretKey) throws(CLIError) -> StaffClient {
        let server = try settings.server(flag: nil)
        let file = try settings.requiredPath(.staffKey, flag: nil, for: "`sealbox desk`")
        let trust = try settings.serverTrust(for: server, caFileFlag: nil, pinFlag: nil)
        return StaffClient(server: server, key: key, keyFileName: file.path, trust: trust)
    }

    /// The staff keys whose signatures count, as `show` and `list` accept them.
    func knownStaffKeys(_ local: WorkstationStore, team: TeamDirectory,
                                own: SigningSecretKey) throws(CLIError) -> Set<SigningPublicKey> {
        var keys = try KeyFiles.knownStaffKeys(settings: settings)
        keys.insert(own.publicKey)
        keys.formUnion(((try? local.rosterEntries()) ?? []).compactMap { $0.member?.key.signingKey })
        keys.formUnion(team.signingKeys)
        return keys
    }

    func storeCall<T>(_ body: () throws -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            throw CLIError("cannot read the local store \(directory.path)")
        }
    }

    static func opened(_ keys: any DeskKeys) throws(DeskFailure)
        -> (source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey)
    {
        guard let keys = keys as? DeskWorkstationKeys else { throw DeskFailure(.other) }
        return try keys.get()
    }

    /// Opens the keys for a send, and forgets the session's cached inbox (the send changes the store).
    private static func openedForSending(_ keys: any DeskKeys) throws(DeskFailure)
        -> (source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey)
    {
        (keys as? DeskWorkstationKeys)?.memory.invalidate()
        return try opened(keys)
    }

    func desk<T>(_ body: () throws -> T) throws(DeskFailure) -> T {
        do {
            return try body()
        } catch {
            throw Self.failure(error)
        }
    }

    func deskAsync(_ body: () async throws -> Void) async throws(DeskFailure) {
        do {
            try await body()
        } catch {
            throw Self.failure(error)
        }
    }

    /// A CLI error as the desk names it; the message is the CLI's (never secret or decrypted).
    static func failure(_ error: any Error) -> DeskFailure {
        if let failure = error as? DeskFailure { return failure }
        guard let error = error as? CLIError else { return DeskFailure(.other) }
        if error.message.hasPrefix("the passphrase does not open") { return DeskFailure(.wrongPassphrase) }
        if error.message.hasPrefix("there is no case") { return DeskFailure(.unknownCase) }
        if error.message.hasPrefix("cannot read the local store") { return DeskFailure(.storeUnreadable, detail: error.message) }
        if error.status == .server { return DeskFailure(.server, detail: error.message) }
        return DeskFailure(.other, detail: error.message)
    }
}
