// The team's case work on the workstation (PROTOCOL §3.4): notes, codings and case data
// are signed with the author's staff key, sealed to the team key alone (never to the
// reporter key), sent to the daemon, and stored in the local store at once. Reading
// them back: the newest authentic coding and case data of a case are its coding and its
// assignment and follow-up; an item that does not open or is not authentic never counts.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

/// What the newest authentic coding and case data of a case say.
struct CaseWorkState {
    var coding: (content: ReportContent, signer: KeyID, id: ItemID)?
    var caseData: (content: ReportContent, signer: KeyID, id: ItemID)?

    var assigned: KeyID? { caseData?.content.assigned }
    var followUp: Day? { caseData?.content.followUp }

    /// The state from opened and judged items, by position: the last authentic one of each kind wins.
    static func from(_ items: [(item: StoredItem, content: ReportContent, authorship: Authorship)]) -> CaseWorkState {
        var state = CaseWorkState()
        for entry in items.sorted(by: { $0.item.position < $1.item.position }) {
            guard case .authentic(let signer) = entry.authorship else { continue }
            switch entry.content.type {
            case .coding: state.coding = (entry.content, signer, entry.item.id)
            case .caseData: state.caseData = (entry.content, signer, entry.item.id)
            default: break
            }
        }
        return state
    }

    /// Opens only the codings and case data of `items` and judges them (they are judged
    /// like replies: signed by a known staff key, no repeated nonce).
    static func read(_ items: [StoredItem], case reference: CaseReference, key: BoxSecretKey,
                     staffKeys: Set<SigningPublicKey>) -> CaseWorkState {
        read(items, case: reference, keyring: TeamKeyring(keys: [key], member: nil), staffKeys: staffKeys)
    }

    static func read(_ items: [StoredItem], case reference: CaseReference, keyring key: TeamKeyring,
                     staffKeys: Set<SigningPublicKey>) -> CaseWorkState {
        var judge = AuthorshipJudge(staffKeys: staffKeys)
        var judged: [(item: StoredItem, content: ReportContent, authorship: Authorship)] = []
        for item in items where item.kind == .coding || item.kind == .caseData {
            guard case .opened(_, let content) = CaseOpener.open(item, filedUnder: reference, with: key) else { continue }
            judged.append((item, content, judge.judge(content)))
        }
        return from(judged)
    }
}

/// Sending one item of case work for a case of the local store.
struct CaseWorkSender {
    let reference: CaseReference
    let local: WorkstationStore
    let keySource: TeamKeySource
    /// The opened keys, when the member key was opened already (grants); else opened when needed.
    let keyring: TeamKeyring?
    let client: StaffClient
    /// The day the case's report was stored: its month dates the case's statistic record.
    let reportDay: Day

    /// Whom the team's case work on this case is sealed to (PROTOCOL §9.1, §12.5, §12.7): the
    /// team key, or the newest epoch and the recovery key, or a restricted case's key.
    var recipients: [BoxPublicKey] { keySource.recipients(for: reference) }

    /// Whom a statistic record is sealed to (PROTOCOL §3.5): the team, never a case key, so
    /// that every member counts it (it names no case).
    var statisticRecipients: [BoxPublicKey] { keySource.recipients }

    /// Checks that the case is in the local store and sealed to keys this workstation holds
    /// (the team key, or the epochs of its grants), then opens the staff (or member) key.
    static func prepare(_ reference: CaseReference, settings: Settings, store: StoreOptions, teamKey: TeamKeyOptions,
                        staff: StaffOptions, purpose: String) throws(CLIError) -> CaseWorkSender {
        let directory = settings.storeDirectory(flag: store.store)
        let report = try ReplyCommand.storedReport(reference, directory: directory)
        guard let local = report.store else { throw LocalStore.unknownCase(reference, store: nil) }
        let keySource = try TeamKeySource.resolve(settings: settings, store: local, teamKeyFlag: teamKey.teamKey,
                                                  staffKeyFlag: staff.server.staffKey, purpose: purpose)
        if let foreign = keySource.foreignKeyIDs(of: [report.item]) { throw keySource.foreignError(foreign) }
        var keyring: TeamKeyring?
        if case .grants = keySource {
            keyring = try keySource.open(settings: settings, store: local, passphraseFlag: staff.passphrase.passphraseFile,
                                         staffPassphraseFlag: staff.staffPassphrase.staffPassphraseFile)
        }
        let client = try staff.client(settings: settings, purpose: purpose, signingKey: keyring?.signer)
        return CaseWorkSender(reference: reference, local: local, keySource: keySource, keyring: keyring, client: client,
                              reportDay: report.item.day)
    }

    /// The current coding and case data of the case, opened with the team's keys.
    func currentState(settings: Settings, passphraseFlag: String?) throws(CLIError) -> CaseWorkState {
        let items: [StoredItem]
        do {
            items = try local.items(case: reference)
        } catch {
            throw CLIError("cannot read the local store")
        }
        guard items.contains(where: { $0.kind == .coding || $0.kind == .caseData }) else { return CaseWorkState() }
        let keys: TeamKeyring
        if let keyring {
            keys = keyring
        } else {
            keys = try keySource.open(settings: settings, store: local, passphraseFlag: passphraseFlag)
        }
        var staffKeys = try KeyFiles.knownStaffKeys(settings: settings)
        staffKeys.insert(client.key.publicKey)
        staffKeys.formUnion(((try? local.rosterEntries()) ?? []).compactMap { $0.member?.key.signingKey })
        staffKeys.formUnion(try TeamDirectory.load(settings: settings, store: local).signingKeys)
        return CaseWorkState.read(items, case: reference, keyring: keys, staffKeys: staffKeys)
    }

    /// Signs `content`, seals it to the team key alone, sends it and stores it locally.
    func send(_ content: ReportContent, what: String) async throws(CLIError) -> CaseWorkCreated {
        var content = content
        let envelope: [UInt8]
        do {
            try content.sign(with: client.key)
            var plaintext = try content.encoded()
            defer { SecureMemory.wipe(&plaintext) }
            envelope = try Envelope.seal(plaintext, kind: content.type, to: recipients)
        } catch {
            throw CLIError("cannot seal the \(what) (\(error)); nothing was sent")
        }
        content.text = ""
        let answer = try await client.send(method: "POST", pathAndQuery: StaffPath.caseItems(reference),
                                           json: CaseWorkRequest(envelope: Base64URLBytes(envelope)))
        switch answer.status {
        case 200, 201: break
        case 404: throw client.unknownCase(reference)
        case 413:
            throw CLIError("the server refused the \(what) as too long", hint: "shorten it and send it again", status: .server)
        case 400, 422:
            let reason = StaffClient.errorMessage(in: answer.body).map { " (\($0))" } ?? ""
            throw CLIError(
                "the server refused the \(what)\(reason)",
                hint: "the keys it was sealed to (key ids \(keySource.recipients.map(\.keyID.hex).joined(separator: ", "))) may not be "
                    + "the ones the server seals to (run `sealbox sync`: the team may have a new key epoch), "
                    + "or the server is older than notes and coding; ask the administrator",
                status: .server)
        default:
            throw client.unexpected(answer.status)
        }
        let sent = try client.decode(CaseWorkCreated.self, from: answer.body, what: "an answer")
        guard sent.case == reference, let kind = sent.kind.envelopeKind, kind == content.type else {
            throw CLIError("the server's answer names another case or kind", status: .server)
        }
        do {
            try local.insertSent(StoredItem(id: sent.id, caseReference: reference, kind: kind, day: sent.day,
                                            position: sent.position, envelope: envelope))
        } catch {
            Terminal.warning("the \(what) was sent, but could not be stored in the local store; `sealbox sync` will fetch it")
        }
        return sent
    }
}

extension CaseWorkSender {
    /// Signs the statistic record of `coding` (PROTOCOL §3.5: the coding without case, text
    /// or day, dated by the month of the case's report), seals it like case work and puts it
    /// under `id`, replacing the record an earlier coding of the case sent.
    func sendStatistic(of coding: ReportContent, id: StatisticID) async throws(CLIError) {
        var record = StatisticRecord(coding: coding, month: Month(reportDay))
        let envelope: [UInt8]
        do {
            try record.sign(with: client.key)
            envelope = try Envelope.seal(try record.encoded(), kind: .statistic, to: statisticRecipients)
        } catch {
            throw CLIError("cannot seal the statistic record (\(error))")
        }
        let answer = try await client.send(method: "PUT", pathAndQuery: StaffPath.statistic(id),
                                           json: StatisticUpload(month: record.month, envelope: Base64URLBytes(envelope)))
        switch answer.status {
        case 200, 201:
            break
        case 404, 405:
            throw CLIError("the server does not keep statistic records (HTTP \(answer.status))",
                           hint: "it is older than this sealbox; ask the administrator to update sealboxd", status: .server)
        case 409:
            throw CLIError("the server keeps no more statistic records (HTTP 409 statistics_full)", status: .server)
        default:
            throw client.unexpected(answer.status)
        }
    }
}

/// A member named on the command line (PROTOCOL §12.4): with a pinned roster a label;
/// always `me`, a member or staff key id, or a public key.
enum MemberArgument {
    /// `me` (the user's own member id, or staff key id without a member key file), an active
    /// member's label in the pinned roster, a key id of 16 hex characters, a member public
    /// key (its member id) or a staff public key (its key id).
    static func parse(_ text: String, own: KeyID, team: TeamDirectory = TeamDirectory()) throws(CLIError) -> KeyID {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "me" { return own }
        if let member = team.activeMember(label: trimmed) { return member.id }
        if let id = try? KeyID(hex: trimmed.lowercased()) { return team.member(id)?.id ?? id }
        if let key = try? MemberPublicKey(text: trimmed) { return key.memberID }
        if let key = try? SigningPublicKey(text: trimmed) { return team.member(key.keyID)?.id ?? key.keyID }
        let labels = team.members.filter(\.active).map { Terminal.displaySafe($0.label) }
        throw CLIError(
            "\"\(Terminal.displaySafe(String(trimmed.prefix(40))))\" names no member",
            hint: labels.isEmpty
                ? "give `me`, a staff key id (16 hex characters, as `sealbox audit` and `sealbox show` print them) "
                    + "or a staff public key (sealbox-staff-v1:…); with trusted_leads set, a member's label"
                : "give `me` or the label of an active member: \(labels.joined(separator: ", ")) (`sealbox team list`)",
            status: .usage)
    }

    /// How a member is shown without a roster: the key id, and "(you)" for the user's own key.
    static func shown(_ id: KeyID, own: KeyID?) -> String {
        id == own ? "\(id.hex) (you)" : id.hex
    }
}
