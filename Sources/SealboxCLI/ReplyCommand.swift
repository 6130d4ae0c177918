// `sealbox reply CASE [--file F | -]`: answers the reporter of a case. The reporter's
// public key is taken from inside the sealed report in the local store (opened with
// the team key), never from anything the server says (PROTOCOL §3.2, §9.1). The reply
// is sealed to [reporter key, team key] in that order, sent signed, and stored in the
// local store at once, so that `show` lists it before the next sync (which then
// recognises it by its id and does not store it twice).
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct ReplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: "Send a reply to the reporter of a case.",
        discussion: """
            Without --file or -, opens your editor ($VISUAL, else $EDITOR, else editor or \
            vi) on a template, like `git commit`: lines starting with # are removed and an \
            empty message sends nothing; the template names the language the reporter \
            wrote in. With --file FILE the text is read from FILE, with \
            - from standard input, exactly as written (blank lines at the start and end \
            removed).

            The reply is sealed to the reporter's key found inside the sealed report and to \
            the team key, so the case must be in the local store (run `sealbox sync` first). \
            Needs the team key file, your staff key file and their passphrases. The first \
            reply marks a received case as acknowledged. The reporter reads the reply when \
            they come back with their code. A reply to a closed case reopens it: the status \
            becomes in-progress, and the reporter sees it. The editor's template quotes the \
            reporter's latest messages as lines starting with #, removed before sending.

            --template NAME starts the editor's text from a reply template \
            (acknowledgement, more-detail, referral, closing) in the reporter's language \
            (German when there are none in it), the desk's templates with the office's \
            reply_templates folder over them (docs/REPLY-TEMPLATES.md). A part in \
            [[double brackets]] left in the text refuses the reply: nothing is sent.
            """)

    @Argument(help: ArgumentHelp("The case reference: 8 letters and digits, for example 7KQM-3XWP.", valueName: "case"))
    var reference: CaseReference

    @Argument(help: ArgumentHelp("- to read the reply from standard input.", valueName: "-"))
    var standardInput: String?

    @Option(name: .customLong("file"), help: ArgumentHelp("Read the reply from this file.", valueName: "file"))
    var file: String?

    @Option(name: .customLong("template"), help: ArgumentHelp(
        "Start the editor's text from this reply template, in the reporter's language.", valueName: "name"))
    var template: String?

    @Flag(name: .customLong("json"), help: "Print the server's answer as JSON (id, case, day, status).")
    var json = false

    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    func validate() throws {
        if let standardInput, standardInput != "-" {
            throw ValidationError("unexpected argument '\(standardInput)'; to read the reply from standard input, write -")
        }
        if standardInput != nil, file != nil {
            throw ValidationError("give either --file FILE or -, not both")
        }
        if let template {
            guard ReplyTemplates.names.contains(template) else {
                throw ValidationError("unknown template '\(template)'; the templates are \(ReplyTemplates.names.joined(separator: ", "))")
            }
            guard standardInput == nil, file == nil else {
                throw ValidationError("--template starts the editor's text; it cannot be combined with --file or -")
            }
        }
    }

    var source: MessageSource {
        if let file { return .file(URL(fileURLWithPath: file).standardizedFileURL) }
        return standardInput == nil ? .editor : .standardInput
    }

    func run() async throws {
        let settings = try Settings.current()
        let source = self.source
        if source == .editor, !Terminal.stdinIsTerminal {
            throw CLIError("no reply given, and sealbox opens an editor only on a terminal",
                           hint: "give the reply with --file FILE, or pipe it in with `-` (standard input)",
                           status: .usage)
        }

        // The report, from the local store: it holds the reporter's key.
        let directory = settings.storeDirectory(flag: store.store)
        let report = try Self.storedReport(reference, directory: directory)
        let keySource = try TeamKeySource.resolve(settings: settings, store: report.store, teamKeyFlag: teamKey.teamKey,
                                                  staffKeyFlag: staff.server.staffKey, purpose: "`sealbox reply`")
        if let foreign = keySource.foreignKeyIDs(of: [report.item]) { throw keySource.foreignError(foreign) }
        let keyring = try keySource.open(settings: settings, store: report.store, passphraseFlag: staff.passphrase.passphraseFile,
                                         staffPassphraseFlag: staff.staffPassphrase.staffPassphraseFile)
        let reporterKey = try Self.reporterKey(of: report.item, reference: reference, keyring: keyring)

        let client = try staff.client(settings: settings, purpose: "`sealbox reply`", signingKey: keyring.signer)
        let tag = source == .editor ? Self.reporterLanguage(of: reference, store: report.store, keyring: keyring) : nil
        let language = tag.map(ReporterLanguage.name)
        let quote = source == .editor ? Self.quotedThread(reference, store: report.store, keyring: keyring) : []
        let start = try template.map { name throws(CLIError) in
            (try settings.replyTemplates().choose(for: tag?.text).texts[name] ?? "") + "\n"
        } ?? ""
        let text = try MessageInput.read(source, reference: reference, language: language, quote: quote, start: start)
        let left = ReplyTemplates.placeholders(in: text)
        if template != nil, !left.isEmpty {
            throw CLIError("the reply still contains \(left.joined(separator: ", ")) to fill in; nothing was sent",
                           hint: "replace every part in [[double brackets]], then run `sealbox reply` again")
        }
        guard let sent = try await Self.send(text: text, reference: reference, report: report, keySource: keySource,
                                             reporterKey: reporterKey, client: client) else {
            Terminal.warning("the server accepted the reply, but its answer could not be read; run `sealbox sync`")
            print("Reply sent to case \(reference.text). The reporter can read it with their code.")
            return
        }
        if json {
            print(Terminal.prettyJSON(sent))
        } else {
            print("Reply sent to case \(reference.text). The reporter can read it with their code. Status: \(sent.status).")
            if sent.status == .closed {
                print("Case \(reference.text) was closed; it is open again: \(CaseStatus.inProgress.rawValue). "
                      + "The reporter sees this status.")
            }
        }
    }

    /// Seals `text` to the reporter and the team, sends it signed and stores it in the local
    /// store; the server's answer, or nil when it accepted the reply but its answer was unreadable.
    /// `sealbox reply` and the desk both send through here.
    static func send(text: String, reference: CaseReference, report: (item: StoredItem, store: WorkstationStore?),
                     keySource: TeamKeySource, reporterKey: BoxPublicKey,
                     client: StaffClient) async throws(CLIError) -> ReplyCreated? {
        let envelope = try ReplySealer.seal(text: text, reference: reference, day: Day.today(),
                                            reporterKey: reporterKey, team: keySource.recipients(for: reference), signedBy: client.key)

        let answer = try await client.send(method: "POST", pathAndQuery: StaffPath.replies(reference),
                                           json: ReplyRequest(envelope: Base64URLBytes(envelope)))
        switch answer.status {
        case 200, 201: break
        case 404: throw client.unknownCase(reference)
        case 413:
            throw CLIError("the server refused the reply as too long", hint: "shorten it and send it again")
        case 400, 422:
            let reason = StaffClient.errorMessage(in: answer.body).map { " (\($0))" } ?? ""
            throw CLIError(
                "the server refused the reply\(reason)",
                hint: "the keys it was sealed to (key ids \(keySource.recipients.map(\.keyID.hex).joined(separator: ", "))) may not be "
                    + "the ones the server seals to: run `sealbox sync` (the team may have a new key epoch) or ask the administrator",
                status: .server)
        default:
            throw client.unexpected(answer.status)
        }
        guard let sent = try? APICoding.decode(ReplyCreated.self, from: answer.body), sent.case == reference else {
            return nil
        }

        if let local = report.store {
            do {
                try local.insertSent(StoredItem(id: sent.id, caseReference: reference, kind: .reply, day: sent.day,
                                                position: sent.position, envelope: envelope))
                try local.recordServerStatus(case: reference, status: sent.status, day: sent.day, received: report.item.day)
            } catch {
                Terminal.warning("the reply was sent, but could not be stored in the local store; "
                                 + "`sealbox sync` will fetch it")
            }
        }
        // A reply to a closed case reopens it (issue 11): the reporter wrote again and was
        // answered, so the case is in progress, and the reporter sees so (CLI and desk alike).
        if sent.status == .closed {
            do {
                try await StatusCommand.set(.inProgress, of: reference, client: client, store: report.store, json: false)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("the reply was sent, but the case could not be opened again (\(error))", status: .server)
            }
        }
        return sent
    }

    /// The reporter's latest messages of `reference` (those that open), quoted for the
    /// editor's template; terminal-safe.
    static func quotedThread(_ reference: CaseReference, store: WorkstationStore?, keyring: TeamKeyring) -> [String] {
        let items = ((try? store?.items(case: reference)) ?? []).filter { $0.kind == .report || $0.kind == .followUp }
        let messages = items.suffix(3).compactMap { item -> ThreadExcerpt.Message? in
            guard case .opened(_, let content) = CaseOpener.open(item, filedUnder: reference, with: keyring) else { return nil }
            return ThreadExcerpt.Message(kind: item.kind, day: item.day, text: Terminal.displaySafe(content.text, multiline: true))
        }
        return ThreadExcerpt.quoted(messages)
    }

    /// The stored report of `reference`, or a clear error.
    static func storedReport(_ reference: CaseReference, directory: URL) throws(CLIError)
        -> (item: StoredItem, store: WorkstationStore?)
    {
        guard let local = try LocalStore.open(directory, create: false) else {
            throw LocalStore.unknownCase(reference, store: nil)
        }
        let items: [StoredItem]
        do {
            items = try local.items(case: reference)
        } catch {
            throw CLIError("cannot read the local store \(directory.path)")
        }
        guard let report = items.first(where: { $0.kind == .report }) else {
            throw LocalStore.unknownCase(reference, store: local)
        }
        return (report, local)
    }

    /// The language of the reporter's newest authentic message that names one (PROTOCOL §3.2 `lang`).
    static func reporterLanguage(of reference: CaseReference, store: WorkstationStore?, keyring: TeamKeyring) -> LanguageTag? {
        guard let items = try? store?.items(case: reference) else { return nil }
        var judge = AuthorshipJudge(staffKeys: [])
        var contents: [ReportContent] = []
        for item in items where item.kind == .report || item.kind == .followUp {
            guard case .opened(_, let content) = CaseOpener.open(item, filedUnder: reference, with: keyring) else { continue }
            switch judge.judge(content) {
            case .anchor, .authentic: contents.append(content)
            case .unauthenticated, .forged: break
            }
        }
        return ReporterLanguage.latest(contents)
    }

    /// The reporter's public key from inside the sealed report.
    static func reporterKey(of report: StoredItem, reference: CaseReference,
                            key: BoxSecretKey) throws(CLIError) -> BoxPublicKey {
        try reporterKey(of: report, reference: reference, keyring: TeamKeyring(keys: [key], member: nil))
    }

    static func reporterKey(of report: StoredItem, reference: CaseReference,
                            keyring: TeamKeyring) throws(CLIError) -> BoxPublicKey {
        let opened = CaseOpener.open(report, filedUnder: reference, with: keyring)
        guard case .opened(_, let content) = opened else {
            let status: ExitStatus = if case .unsupported = opened { .failure } else { .authentication }
            throw CLIError((opened.problem(case: reference) ?? "the report did not open") + "; no reply was sent",
                           status: status)
        }
        guard let reporterKey = content.reporterPublicKey else {
            throw CLIError("the report of case \(reference.text) carries no reporter key, so a reply cannot be sealed to the reporter",
                           hint: "the reporter cannot read replies to this case; nothing was sent")
        }
        return reporterKey
    }
}

/// Building and sealing a reply (PROTOCOL §9.1, §3.3): plaintext
/// `{"v":2,"type":"reply","case","day","text","attachments":[],"nonce","signer","signature"}`
/// signed with the author's staff key, envelope kind `reply`, recipients
/// [reporter key, team key] in this order (with epochs: [reporter key, newest epoch key,
/// recovery key], PROTOCOL §12.5).
enum ReplySealer {
    static func content(text: String, reference: CaseReference, day: Day,
                        signedBy staffKey: any MessageSigner) throws -> ReportContent {
        var content = ReportContent(type: .reply, caseReference: reference, day: day, reporterKey: nil, text: text,
                                    attachments: [])
        try content.sign(with: staffKey)
        return content
    }

    static func seal(text: String, reference: CaseReference, day: Day, reporterKey: BoxPublicKey,
                     teamKey: BoxPublicKey, signedBy staffKey: any MessageSigner) throws(CLIError) -> [UInt8] {
        try seal(text: text, reference: reference, day: day, reporterKey: reporterKey, team: [teamKey], signedBy: staffKey)
    }

    static func seal(text: String, reference: CaseReference, day: Day, reporterKey: BoxPublicKey,
                     team: [BoxPublicKey], signedBy staffKey: any MessageSigner) throws(CLIError) -> [UInt8] {
        do {
            var plaintext = try content(text: text, reference: reference, day: day, signedBy: staffKey).encoded()
            defer { SecureMemory.wipe(&plaintext) }
            return try Envelope.seal(plaintext, kind: .reply, to: [reporterKey] + team)
        } catch {
            throw CLIError("cannot seal the reply (\(error)); nothing was sent")
        }
    }
}
