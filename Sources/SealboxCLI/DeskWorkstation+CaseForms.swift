// The case forms of the desk (assignment, follow-up day, coding, retention, four-eyes
// deletion) with the code the commands run: MemberArgument.parse and AssignCommand.send,
// FollowUpCommand.send, CodeCommand.check and .send (the coding and its statistic
// record), RetainCommand.send, DeleteCommand.ask / .confirmOnServer / .deleteLocally.
// Nothing is deleted in the local store before the server deleted the case.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxDesk
import SealboxWorkstation

extension DeskWorkstation {
    // MARK: Reading

    func caseForms(_ reference: CaseReference, keys: any DeskKeys) async throws(DeskFailure) -> DeskCaseForms {
        let opened = try Self.openedKeys(keys)
        return try caseFormsCall {
            // Read only: no client and no check of the keys, so that a case the team's
            // keys cannot open (or a missing server setting) still shows its page.
            guard let local = try LocalStore.open(directory, create: false) else { throw LocalStore.unknownCase(reference, store: nil) }
            let items: [StoredItem]
            do {
                items = try local.items(case: reference)
            } catch {
                throw CLIError("cannot read the local store \(directory.path)")
            }
            guard !items.isEmpty else { throw LocalStore.unknownCase(reference, store: local) }
            let team = try TeamDirectory.load(settings: settings, store: local)
            let own = ownID(opened)
            let current = CaseWorkState.read(items, case: reference, keyring: opened.keyring,
                                             staffKeys: try knownStaffKeys(local, team: team, own: opened.signing))
            let summary = try? local.localCase(reference)
            let coding = current.coding.map { coding in
                CodingChoice(grounds: coding.content.grounds ?? [], area: coding.content.area, form: coding.content.form,
                             level: coding.content.level, interventions: coding.content.interventions ?? [],
                             outcome: coding.content.outcome)
            }
            return DeskCaseForms(
                members: members(team: team, own: own), assigned: current.assigned.map { value(of: $0, team: team) },
                followUp: current.followUp, scheme: try settings.codingScheme(flag: nil), coding: coding,
                expires: summary?.expires, retainedUntil: summary?.retainedUntil,
                deletion: summary?.deletion.map { pending(of: $0, team: team, opened: opened) })
        }
    }

    func deletionPreview(_ reference: CaseReference, keys: any DeskKeys) async throws(DeskFailure) -> DeskDeletionPreview {
        let opened = try Self.openedKeys(keys)
        return try caseFormsCall {
            let report = try ReplyCommand.storedReport(reference, directory: directory)
            guard let local = report.store else { throw LocalStore.unknownCase(reference, store: nil) }
            let team = try TeamDirectory.load(settings: settings, store: local)
            var words: String?
            if case .opened(_, let content) = CaseOpener.open(report.item, filedUnder: reference, with: opened.keyring) {
                words = ThreadExcerpt.firstWords(content.text)
            }
            let deletion = (try? local.localCase(reference))?.deletion.map { pending(of: $0, team: team, opened: opened) }
            return DeskDeletionPreview(reportDay: report.item.day, firstWords: words, deletion: deletion)
        }
    }

    // MARK: Sending

    func assign(_ reference: CaseReference, to member: String?, keys: any DeskKeys) async throws(DeskFailure) {
        let opened = try Self.openedKeys(keys)
        try await caseFormsAsync {
            let sender = try caseSender(reference, opened)
            let team = try TeamDirectory.load(settings: settings, store: sender.local)
            let assigned: KeyID?
            do throws(CLIError) {
                assigned = try member.map { text throws(CLIError) in try MemberArgument.parse(text, own: ownID(opened), team: team) }
            } catch {
                throw DeskFailure(.unknownMember)
            }
            let current = try sender.currentState(settings: settings, passphraseFlag: nil)
            _ = try await AssignCommand.send(assigned, sender: sender, current: current)
        }
    }

    func setFollowUp(_ reference: CaseReference, _ day: Day?, keys: any DeskKeys) async throws(DeskFailure) {
        let opened = try Self.openedKeys(keys)
        try await caseFormsAsync {
            let sender = try caseSender(reference, opened)
            let current = try sender.currentState(settings: settings, passphraseFlag: nil)
            _ = try await FollowUpCommand.send(day, sender: sender, current: current)
        }
    }

    func code(_ reference: CaseReference, _ choice: CodingChoice, keys: any DeskKeys) async throws(DeskFailure) {
        let opened = try Self.openedKeys(keys)
        try await caseFormsAsync {
            let scheme = try settings.codingScheme(flag: nil)
            do throws(CLIError) {
                try CodeCommand.check(choice, scheme: scheme)
            } catch {
                throw DeskFailure(.badCoding, detail: error.message)
            }
            let sender = try caseSender(reference, opened)
            let current = try sender.currentState(settings: settings, passphraseFlag: nil)
            _ = try await CodeCommand.send(choice, scheme: scheme, sender: sender, current: current)
        }
    }

    func retain(_ reference: CaseReference, until: Day, reason: String, keys: any DeskKeys) async throws(DeskFailure) {
        let opened = try Self.openedKeys(keys)
        try await caseFormsAsync {
            let sender = try caseSender(reference, opened)
            let changed = try await RetainCommand.send(until: until, reason: reason, sender: sender)
            try? sender.local.recordRetention(changed)
        }
    }

    func requestDeletion(_ reference: CaseReference, reason: String, keys: any DeskKeys) async throws(DeskFailure)
        -> DeskDeletionAsked
    {
        let opened = try Self.openedKeys(keys)
        var asked = DeskDeletionAsked.deleted
        try await caseFormsAsync {
            let sender = try caseSender(reference, opened)
            switch try await DeleteCommand.ask(reference, client: sender.client) {
            case .deleted:
                _ = try DeleteCommand.deleteLocally(reference, directory: directory)
            case .requested(let pending):
                try? sender.local.recordPendingDeletion(pending)
                let team = try TeamDirectory.load(settings: settings, store: sender.local)
                asked = .requested(self.pending(of: pending, team: team, opened: opened))
                do throws(CLIError) {
                    _ = try await sender.send(.note(case: reference, day: .today(), text: DeleteCommand.noteText(reason: reason)),
                                              what: "note with the reason")
                } catch {
                    throw CLIError("the deletion of case \(reference.text) is asked for, but the reason was not sent: \(error.message)",
                                   status: error.status)
                }
            }
        }
        return asked
    }

    func confirmDeletion(_ reference: CaseReference, keys: any DeskKeys) async throws(DeskFailure) {
        let opened = try Self.openedKeys(keys)
        try await caseFormsAsync {
            let onServer = try await DeleteCommand.confirmOnServer(reference, client: try client(opened.signing))
            let removed = try DeleteCommand.deleteLocally(reference, directory: directory)
            if !onServer, removed.items == 0 { throw LocalStore.unknownCase(reference, store: nil) }
        }
    }

    // MARK: Helpers

    /// A sender of case work with the session's keys, as `note` builds it.
    private func caseSender(_ reference: CaseReference,
                            _ opened: (source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey))
        throws(CLIError) -> CaseWorkSender
    {
        let report = try ReplyCommand.storedReport(reference, directory: directory)
        guard let local = report.store else { throw LocalStore.unknownCase(reference, store: nil) }
        if let foreign = opened.source.foreignKeyIDs(of: [report.item]) { throw opened.source.foreignError(foreign) }
        return CaseWorkSender(reference: reference, local: local, keySource: opened.source, keyring: opened.keyring,
                              client: try client(opened.signing), reportDay: report.item.day)
    }

    private func ownID(_ opened: (source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey)) -> KeyID {
        settings.path(.staffKey, flag: nil).flatMap { try? KeyFiles.ownMemberID(at: $0) } ?? opened.signing.publicKey.keyID
    }

    /// The members a case can be assigned to: the active members of the pinned roster by
    /// label; without a roster the user's own staff key and the known staff keys by key id.
    private func members(team: TeamDirectory, own: KeyID) -> [DeskCaseForms.Member] {
        let active = team.members.filter(\.active)
        if !active.isEmpty {
            return active.map { DeskCaseForms.Member(value: $0.label, label: team.shown($0.id, own: own)) }
                .sorted { ($0.label.hasSuffix("(you)") ? 0 : 1, $0.label) < ($1.label.hasSuffix("(you)") ? 0 : 1, $1.label) }
        }
        var ids = [own]
        let known = ((try? KeyFiles.knownStaffKeys(settings: settings)) ?? []).map(\.keyID).filter { $0 != own }
        ids += known.sorted { $0.hex < $1.hex }
        return ids.map { DeskCaseForms.Member(value: $0.hex, label: MemberArgument.shown($0, own: own)) }
    }

    /// The form value of an assigned member: her label, else the key id.
    private func value(of id: KeyID, team: TeamDirectory) -> String {
        team.member(id).map(\.label) ?? id.hex
    }

    private func pending(of deletion: PendingDeletion, team: TeamDirectory,
                         opened: (source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey)) -> DeskPendingDeletion {
        let mineIDs: Set<KeyID> = [ownID(opened), opened.signing.publicKey.keyID]
        let mine = mineIDs.contains(deletion.requestedBy)
            || team.member(deletion.requestedBy).map { mineIDs.contains($0.id) || mineIDs.contains($0.key.signingKey.keyID) } == true
        return DeskPendingDeletion(requestedBy: team.shown(deletion.requestedBy, own: nil), mine: mine, day: deletion.day,
                                   expires: deletion.expires)
    }

    private static func openedKeys(_ keys: any DeskKeys) throws(DeskFailure)
        -> (source: TeamKeySource, keyring: TeamKeyring, signing: SigningSecretKey)
    {
        guard let keys = keys as? DeskWorkstationKeys else { throw DeskFailure(.other) }
        return try keys.get()
    }

    private func caseFormsCall<T>(_ body: () throws -> T) throws(DeskFailure) -> T {
        do {
            return try body()
        } catch {
            throw Self.caseFormFailure(error)
        }
    }

    private func caseFormsAsync(_ body: () async throws -> Void) async throws(DeskFailure) {
        do {
            try await body()
        } catch {
            throw Self.caseFormFailure(error)
        }
    }

    /// The four-eyes refusals and the server's refusal of a day by their CLI words; the rest as `failure` names them.
    static func caseFormFailure(_ error: any Error) -> DeskFailure {
        if let error = error as? CLIError {
            let message = error.message
            if message.hasPrefix("you asked to delete case") { return DeskFailure(.ownDeletion) }
            if message.hasPrefix("no deletion of case") || message.hasPrefix("a deletion of case")
                || message.hasPrefix("the server refused to delete case") {
                return DeskFailure(.deletionConflict, detail: message)
            }
            if message.hasPrefix("the server refused: only a lead") { return DeskFailure(.leadRequired) }
            if message.contains("is not later than today on the server") { return DeskFailure(.badDay) }
        }
        return failure(error)
    }
}
