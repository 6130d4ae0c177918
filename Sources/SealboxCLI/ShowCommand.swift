// `sealbox show CASE`: opens a case with the team key and prints it; with
// --attachments DIR also decrypts its attachments into DIR. Items that do not open
// are named on stderr (the others are still shown) and the exit code is 3.
// Before the passphrase is asked, the envelopes' key ids are compared with the key
// file's public key, so a wrong key file is named at once.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Decrypt and print one case.",
        discussion: """
            CASE is a case reference such as 7KQM-3XWP (lower case, a space or a missing dash \
            are fine: 7kqm 3xwp). Prints the whole thread in the order stored: the report, the reporter's \
            follow-ups, the team's replies, the status changes and the team's own notes, \
            codings and case data (never shown to the reporter), each with its day; above \
            it the case's assignment and follow-up day, and for a case not coded yet the \
            reporter's own answers as a starting point for `sealbox code`. Needs \
            the team key file and its passphrase. The text is printed here only; with \
            --attachments DIR the attachments are written into DIR under their original \
            names (an existing file is never replaced). --json prints the exact decrypted \
            values for programs: the case's "status" and "items", each with "kind" \
            (report, follow-up, reply, status, note, coding, case-data; a coding and case data \
            with "current": true when they are the case's current ones), "author" (reporter or team), "day", and \
            "status": ok; unauthenticated (written before messages were signed); forged \
            (NOT AUTHENTIC: a signature that fails, an unknown signer, a copy); or why it \
            did not open (tampered, malformed, other-key, unsupported). A signed reply \
            names its "signer" (staff key id); replies are accepted from your own staff key \
            and the keys in staff_public_keys (SEALBOX_STAFF_PUBLIC_KEYS). A status change \
            has "case_status". A report and a follow-up name the language the reporter \
            used ("lang", e.g. tr; Leichte Sprache is de-simple), a report the incident date \
            the reporter gave ("incident", YYYY-MM or YYYY-MM-DD) and, while the two months \
            under the AGG may still run, the latest day they may end.
            """)

    @Argument(help: ArgumentHelp("The case reference: 8 letters and digits, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions
    @OptionGroup var passphrase: PassphraseOptions

    @Option(name: .customLong("attachments"), help: ArgumentHelp(
        "Also decrypt the attachments into this folder (created if missing).", valueName: "dir"))
    var attachments: String?

    @Flag(name: .customLong("json"), help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let settings = try Settings.current()
        let directory = settings.storeDirectory(flag: store.store)
        guard let local = try LocalStore.open(directory, create: false) else {
            throw LocalStore.unknownCase(reference, store: nil)
        }
        let items: [StoredItem]
        let summary: LocalCase?
        do {
            items = try local.thread(case: reference)
            summary = try local.localCase(reference)
        } catch {
            throw CLIError("cannot read the local store \(directory.path)")
        }
        guard !items.isEmpty else { throw LocalStore.unknownCase(reference, store: local) }

        let source = try TeamKeySource.resolve(settings: settings, store: local, teamKeyFlag: teamKey.teamKey,
                                               purpose: "`sealbox show`")
        if let foreign = source.foreignKeyIDs(of: items) { throw source.foreignError(foreign) }
        let saver = try attachments.map { dir throws(CLIError) in
            try AttachmentSaver(directory: URL(fileURLWithPath: dir).standardizedFileURL)
        }
        // Colleagues' replies: staff_public_keys, and with trusted_leads the signing key of
        // every member of the roster this workstation has verified (PROTOCOL §12.4).
        var staffKeys = try KeyFiles.knownStaffKeys(settings: settings)
        let team = try TeamDirectory.load(settings: settings, store: local)
        if let trusted = try RosterClient.trustedLeads(settings: settings) {
            staffKeys.formUnion(trusted.map(\.signingKey))
            staffKeys.formUnion(((try? local.rosterEntries()) ?? []).compactMap { $0.member?.key.signingKey })
        }
        // With the unlock agent, attachments too are opened without the passphrase (file-key).
        let key = try source.open(settings: settings, store: local, passphraseFlag: passphrase.passphraseFile)

        var problems: [(message: String, status: ExitStatus)] = []
        var shown: [ShownItem] = []
        var judge = AuthorshipJudge(staffKeys: staffKeys)
        for item in items {
            let outcome = CaseOpener.open(item, filedUnder: reference, with: key)
            if let problem = outcome.problem(case: reference) { problems.append((problem, .authentication)) }
            var entry = ShownItem(outcome: outcome, attachments: [])
            if case .opened(_, let content) = outcome {
                entry.authorship = judge.judge(content)
                if let problem = CaseView.authorshipProblem(entry, case: reference) { problems.append((problem, .authentication)) }
            }
            if case .opened(_, let content) = outcome {
                for manifest in content.attachments {
                    var attachment = ShownAttachment(manifest: manifest)
                    if let saver {
                        let result = Self.save(manifest, reference: reference, store: local, key: key, saver: saver)
                        attachment.savedAs = result.savedAs
                        if let problem = result.problem {
                            attachment.problem = problem.message
                            problems.append(problem)
                        }
                    }
                    entry.attachments.append(attachment)
                }
            }
            shown.append(entry)
        }

        var work = CaseWorkView()
        work.state = CaseWorkState.from(shown.compactMap { entry in
            guard case .opened(let item, let content) = entry.outcome, let authorship = entry.authorship else { return nil }
            return (item, content, authorship)
        })
        work.scheme = try? settings.codingScheme(flag: nil)
        work.ownKeyID = settings.path(.staffKey, flag: nil).flatMap { try? KeyFiles.ownMemberID(at: $0) }
        work.team = team
        let dueDays = try settings.replyDueDays()
        work.unanswered = Dictionary(uniqueKeysWithValues: Attention.unanswered(
            items.filter { !$0.isStatusChange }.map { ThreadEntry(id: $0.id, kind: $0.kind, day: $0.day) }, dueDays: dueDays
        ).map { ($0.id, $0.due) })
        let status = summary?.status
        print(json ? CaseView.json(reference: reference, status: status, items: shown, work: work)
                   : CaseView.text(reference: reference, status: status, items: shown, work: work),
              terminator: "")
        if !json, let deletion = summary?.deletion {
            let note = ListCommand.deletionNote(deletion, team: team)
            print("\n" + note.prefix(1).uppercased() + note.dropFirst()
                  + "; a second member confirms with `sealbox delete \(reference.text) --confirm` by \(deletion.expires.text).")
        }
        // Opened and shown: the case is read (`sealbox list --new`).
        try? local.markRead(reference)
        var seen = Set<String>()
        for problem in problems where seen.insert(problem.message).inserted {
            Terminal.error("sealbox: error: \(problem.message)")
        }
        if let worst = problems.map(\.status).max(by: { $0.rawValue < $1.rawValue }) {
            throw ExitStatusError(status: worst)
        }
    }

    /// Decrypts one attachment and writes it; the file written or the problem.
    static func save(_ manifest: AttachmentManifest, reference: CaseReference, store: WorkstationStore,
                     key keyring: TeamKeyring, saver: AttachmentSaver) -> (savedAs: URL?, problem: (message: String, status: ExitStatus)?) {
        let name = Terminal.displaySafe(manifest.name)
        guard let blob = try? store.blob(id: manifest.id) else {
            return (nil, ("attachment \"\(name)\" of case \(reference.text) has not been fetched yet; "
                          + "run `sealbox sync`, then try again", .failure))
        }
        let plaintext: [UInt8]
        do throws(CryptoError) {
            plaintext = try AttachmentOpening.open(blob, manifest: manifest, keyring: keyring)
        } catch .notSealedToThisKey {
            return (nil, ("attachment \"\(name)\" of case \(reference.text) was sealed to a different team key; "
                          + "use that key file", .authentication))
        } catch .internalFailure {
            return (nil, ("attachment \"\(name)\" of case \(reference.text) could not be opened: the unlock agent "
                          + "went away; run `sealbox unlock` again or leave it locked to be asked for the passphrase", .failure))
        } catch {
            return (nil, tampered(name, reference))
        }
        do throws(CLIError) {
            return (try saver.save(plaintext, name: manifest.name), nil)
        } catch {
            return (nil, (error.message, error.status))
        }
    }

    private static func tampered(_ name: String, _ reference: CaseReference) -> (message: String, status: ExitStatus) {
        ("attachment \"\(name)\" of case \(reference.text) failed authentication: it was altered or damaged; "
            + "it was not saved", .authentication)
    }

}
