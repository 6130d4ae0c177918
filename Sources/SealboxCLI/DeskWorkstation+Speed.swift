// The desk's speed (docs/design/DESK.md §6, issue 11): what one unlocked session keeps in
// memory so that the inbox need not open the case data of every case on every request,
// and the full-text search index over the decrypted texts.
//
// Rules this file enforces:
// - everything here lives in DeskSessionMemory (SealboxDesk), owned by the session's keys: wiping the
//   keys (Lock, idle lock, the desk's end) drops it; nothing of it is written to disk
//   or logged (the search text included);
// - a cache is used only while the store's change fingerprint (WorkstationStore
//   +Fingerprint) and the day are those it was built for; the desk's own sends drop it;
// - the search index is built in the background after unlock (Desk.run calls
//   `backgroundWork`), rebuilt when the store changed (after a sync), within the budget
//   `desk_search_memory_mb`; until the first build is done the search says so.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxDesk
import SealboxWorkstation

extension DeskWorkstation {
    /// The default of `desk_search_memory_mb`.
    static let defaultSearchMemoryMB = 256.0

    /// `desk_search_memory_mb` in bytes: more than 0, at most 65,536 MB (fractions allowed).
    static func searchBudget(_ settings: Settings) throws(CLIError) -> Int {
        guard let text = settings.value(.deskSearchMemoryMB, flag: nil) else {
            return Int(defaultSearchMemoryMB * 1_048_576)
        }
        guard text.count <= 20, let megabytes = Double(text), megabytes.isFinite, megabytes > 0, megabytes <= 65_536 else {
            throw CLIError("desk_search_memory_mb must be a number of megabytes above 0 and at most 65536, not \"\(text.prefix(20))\"",
                           hint: "set SEALBOX_DESK_SEARCH_MEMORY_MB or \"desk_search_memory_mb\" in the settings file",
                           status: .usage)
        }
        return Int(megabytes * 1_048_576)
    }

    /// The inbox rows, from the session's cache while the store has not changed.
    func cachedInbox(keys: any DeskKeys, today: Day) throws(DeskFailure) -> [DeskCaseSummary] {
        guard let workstationKeys = keys as? DeskWorkstationKeys else { throw DeskFailure(.other) }
        let opened = try workstationKeys.get()
        return try desk {
            guard let local = try LocalStore.open(directory, create: false) else { return [] }
            let fingerprint = try storeRead { try local.changeFingerprint() }
            if let rows = workstationKeys.memory.inboxRows(fingerprint: fingerprint, today: today) { return rows }
            let rows = try inboxRows(local, opened: opened, today: today)
            workstationKeys.memory.keep(inbox: rows, fingerprint: fingerprint, today: today)
            return rows
        }
    }

    /// The inbox rows computed from the store: metadata, and the case data and codings
    /// opened (DESK.md §6: no report or message is read).
    private func inboxRows(_ local: WorkstationStore, opened: (source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey),
                           today: Day) throws -> [DeskCaseSummary] {
        let policy = try settings.deadlinePolicy(acknowledgeFlag: nil, feedbackFlag: nil)
        let team = try TeamDirectory.load(settings: settings, store: local)
        let staffKeys = try knownStaffKeys(local, team: team, own: opened.signing)
        let own = settings.path(.staffKey, flag: nil).flatMap { try? KeyFiles.ownMemberID(at: $0) }
        let work = try storeRead { try local.items(ofKinds: [.caseData, .coding]) }
        let dueDays = try settings.replyDueDays()
        let unanswered = try storeRead { try local.repliesDue(dueDays: dueDays) }
        let unread = try storeRead { try local.unreadCases() }
        var rows: [DeskCaseSummary] = []
        for summary in try storeRead({ try local.cases() }) {
            var state = CaseWorkState()
            if let items = work[summary.reference] {
                state = CaseWorkState.read(items, case: summary.reference, keyring: opened.keyring, staffKeys: staffKeys)
            }
            var deadlines: [DeskDeadline] = []
            if let next = ListCommand.deadlines(summary, today: today, policy: policy).next {
                deadlines.append(DeskDeadline(kind: next.kind, due: next.due))
            }
            if let followUp = state.followUp, summary.status != .closed {
                deadlines.append(DeskDeadline(kind: .followUp, due: followUp))
            }
            let due = unanswered[summary.reference]
            if let replyDue = due?.due { deadlines.append(DeskDeadline(kind: .reply, due: replyDue)) }
            if let expires = summary.expires { deadlines.append(DeskDeadline(kind: .retention, due: expires)) }
            var row = DeskCaseSummary(
                reference: summary.reference, status: summary.status, assigned: state.assigned.map { team.shown($0, own: own) },
                lastActivity: summary.lastActivity, awaitingAnswer: due.map { !$0.messages.isEmpty } ?? false,
                nextDeadline: deadlines.min { $0.due < $1.due })
            row.assignedToMe = own != nil && state.assigned == own
            row.unread = unread.contains(summary.reference)
            row.replyDue = due?.due
            row.grounds = state.coding?.content.grounds ?? []
            row.area = state.coding?.content.area
            rows.append(row)
        }
        return rows.sorted { ($0.lastActivity, $0.reference.text) > ($1.lastActivity, $1.reference.text) }
    }

    // MARK: Search

    func searchIndex(_ query: String, keys: any DeskKeys) -> DeskSearchResult {
        guard let workstationKeys = keys as? DeskWorkstationKeys, (try? workstationKeys.get()) != nil else {
            return DeskSearchResult(state: .building)
        }
        let memory = workstationKeys.memory
        guard let current = memory.searchIndex else { return DeskSearchResult(state: .building) }
        let matches = current.index.searchPrepared(query)
        var state: DeskSearchResult.State = current.index.isComplete ? .complete : .incomplete
        if state == .complete, memory.isRebuilding { state = .updating }
        return DeskSearchResult(state: state, matches: matches)
    }

    /// Builds the index when there is none or the store changed since it was built.
    func refreshIndex(keys: any DeskKeys) async {
        guard let workstationKeys = keys as? DeskWorkstationKeys else { return }
        let memory = workstationKeys.memory
        let current = memory.searchIndex
        guard current == nil || memory.shouldCheck(every: .seconds(2)) else { return }
        guard memory.beginBuild() else { return }
        let budget = (try? Self.searchBudget(settings)) ?? Int(Self.defaultSearchMemoryMB * 1_048_576)
        let built: (String, DeskSearchIndex?)? = try? await pool.run { [self] in
            guard let local = try? LocalStore.open(directory, create: false),
                  let fingerprint = try? local.changeFingerprint() else { return ("", nil) }
            if let current, current.fingerprint == fingerprint { return (fingerprint, nil) }
            memory.markRebuilding()
            return (fingerprint, buildIndex(local, keys: workstationKeys, budget: budget))
        }
        memory.finishBuild(built?.1, fingerprint: built?.0 ?? "")
    }

    /// Opens the reports, follow-ups, replies and notes of every case, one case at a
    /// time, and indexes their texts; nil when the keys were wiped meanwhile.
    private func buildIndex(_ local: WorkstationStore, keys: DeskWorkstationKeys, budget: Int) -> DeskSearchIndex? {
        var index = DeskSearchIndex(budgetBytes: budget)
        guard let references = try? local.references() else { return nil }
        for reference in references {
            guard let opened = try? keys.get() else { return nil }
            guard let items = try? local.items(case: reference) else {
                index.markIncomplete()
                continue
            }
            for item in items where [.report, .followUp, .reply, .note].contains(item.kind) {
                guard case .opened(_, let content) = CaseOpener.open(item, filedUnder: reference, with: opened.keyring) else {
                    continue
                }
                var text = content.text
                for extra in [content.when, content.where].compactMap({ $0 }) { text += "\n" + extra }
                index.add(text, of: reference)
                if !index.isComplete { break }
            }
            if !index.isComplete { break }
        }
        index.prepare()
        return index
    }

    // MARK: Helpers

    func storeRead<T>(_ body: () throws -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            throw CLIError("cannot read the local store \(directory.path)")
        }
    }
}
