// The reporter's side of a case, without HTTP: a code is turned into the lookup hash and
// the reporter's key pair on the bounded pool; the thread is opened in memory with that
// key, which is released (and wiped) when the call returns.
import Foundation
import SealboxCrypto

/// One message of a thread as the reporter sees it.
public struct ThreadMessage: Sendable, Equatable {
    public enum Author: String, Sendable { case reporter, team }
    public let author: Author
    public let day: Day
    public let text: String
    public let attachments: [AttachmentManifest]
}

/// A case and its messages, opened for the reporter.
public struct CaseThread: Sendable {
    /// The case as the reporter sees it: `acknowledged` only when a reply they can read
    /// (or a status change) exists (PROTOCOL §9.2).
    public let record: CaseRecord
    public let messages: [ThreadMessage]
    /// The reporter signing key derived from the code, for follow-ups sent in this visit.
    public let signingKey: SigningSecretKey?

    public init(record: CaseRecord, messages: [ThreadMessage], signingKey: SigningSecretKey? = nil) {
        self.record = record
        self.messages = messages
        self.signingKey = signingKey
    }
}

/// What a code gives for sending a follow-up: the case and the key that signs it.
public struct ReporterAccess: Sendable {
    public let record: CaseRecord
    public let signingKey: SigningSecretKey

    public init(record: CaseRecord, signingKey: SigningSecretKey) {
        self.record = record
        self.signingKey = signingKey
    }
}

/// A well-formed code that opens no case (never existed, or deleted).
public struct UnknownCode: Error, Equatable, Sendable {
    public init() {}
}

public final class Conversation: Sendable {
    public let intake: Intake
    /// The staff keys whose signed replies the reporter is shown (`staff.keys`).
    public let staffKeys: Set<SigningPublicKey>
    /// The signing keys of the team roster's members, asked at each opening (PROTOCOL §12):
    /// every member ever added, so that a reply stays shown after its author left.
    let memberKeys: @Sendable () -> Set<SigningPublicKey>

    public init(intake: Intake, staffKeys: Set<SigningPublicKey> = [],
                memberKeys: @escaping @Sendable () -> Set<SigningPublicKey> = { [] }) {
        self.intake = intake
        self.staffKeys = staffKeys
        self.memberKeys = memberKeys
    }

    /// Derives the code's secrets on the pool and finds its case. A code is derived with
    /// every Argon2id cost in use (the configured one, then each cost stored cases were
    /// made with, most recent first: docs/PROTOCOL.md §6.2), and every derived lookup
    /// hash is looked up, so a known and an unknown code cost exactly the same.
    func locate(_ code: ReporterCode) async throws -> (CaseRecord, CodeSecrets) {
        let settings = intake.settings
        let costs = Self.costsToTry(configured: settings.cost, stored: try await intake.database.codeCosts())
        let derived = try await intake.pool.run {
            try costs.map { cost in try CodeDerivation.derive(code: code, pepper: settings.pepper, cost: cost) }
        }
        let records = try await intake.database.caseRecords(lookupHashes: derived.map(\.lookupHash))
        var found: (CaseRecord, CodeSecrets)?
        for (record, secrets) in zip(records, derived) {
            if let record, found == nil,
               constantTimeEquals(record.reporterKey.bytes, secrets.reporterKey.publicKey.bytes) {
                found = (record, secrets)
            }
        }
        guard let found else { throw UnknownCode() }
        return found
    }

    /// The configured cost first, then every other stored cost in the order given.
    static func costsToTry(configured: KDFCost, stored: [KDFCost]) -> [KDFCost] {
        [configured] + stored.filter { $0 != configured }
    }

    /// The case a code opens and its signing key, without its messages (for sending a follow-up).
    public func find(_ code: ReporterCode) async throws -> ReporterAccess {
        let (record, secrets) = try await locate(code)
        return ReporterAccess(record: record, signingKey: secrets.reporterSigningKey)
    }

    /// Opens the whole thread with the key derived from the code. An item that does not
    /// open, does not parse, names another case or is forged (PROTOCOL §3.3) is left out;
    /// it never makes the thread fail.
    public func open(_ code: ReporterCode) async throws -> CaseThread {
        let (record, secrets) = try await locate(code)
        let items = try await intake.database.items(ofCase: record.reference)
        var messages: [ThreadMessage] = []
        var judge = AuthorshipJudge(staffKeys: staffKeys.union(memberKeys()))
        var statusChanged = false
        for item in items {
            if item.status != nil {
                statusChanged = true
                continue
            }
            // The team's notes, codings and case data are never the reporter's to see
            // (PROTOCOL §3.4); they are not sealed to the reporter key either.
            if item.kind.isCaseWork { continue }
            guard let opened = try? Envelope.open(item.envelope, with: secrets.reporterKey),
                  var content = try? ReportContent.decode(opened.plaintext),
                  content.case == record.reference, content.type == opened.kind, !opened.kind.isCaseWork
            else { continue }
            if case .forged = judge.judge(content) { continue }
            messages.append(ThreadMessage(
                author: opened.kind == .reply ? .team : .reporter, day: item.day, text: content.text,
                attachments: content.attachments))
            content.text = ""
        }
        let answered = statusChanged || messages.contains { $0.author == .team }
        return CaseThread(record: Self.reporterView(of: record, answered: answered), messages: messages,
                          signingKey: secrets.reporterSigningKey)
    }

    /// The case as the reporter may see it (PROTOCOL §9.2): the server counts any stored
    /// reply as an acknowledgement, but a reply the reporter cannot read acknowledges nothing.
    static func reporterView(of record: CaseRecord, answered: Bool) -> CaseRecord {
        guard record.status == .acknowledged, !answered else { return record }
        return CaseRecord(reference: record.reference, reporterKey: record.reporterKey, status: .received,
                          received: record.received, acknowledged: nil, updated: record.updated)
    }

    /// Signs a reporter's follow-up with the code's signing key, seals it to the team and
    /// to the reporter's own key, and stores it.
    /// `lang` is the language of the page (or API answer) the reporter used, sealed with it.
    public func followUp(to access: ReporterAccess, text: String, attachments: [SealedAttachment], day: Day = .today(),
                         lang: LanguageTag? = nil) async throws {
        try await followUp(to: access.record, signingKey: access.signingKey, text: text, attachments: attachments, day: day,
                           lang: lang)
    }

    /// As `followUp(to:…)`, for a visit that holds the case and the signing key.
    public func followUp(to record: CaseRecord, signingKey: SigningSecretKey, text: String,
                         attachments: [SealedAttachment], day: Day = .today(), lang: LanguageTag? = nil) async throws {
        var content = ReportContent(
            type: .followUp, caseReference: record.reference, day: day, reporterKey: nil, text: text,
            attachments: attachments.map(\.manifest))
        content.lang = lang  // not signed (PROTOCOL §3.2): readers before 0.9.0 keep verifying
        try content.sign(with: signingKey)
        var plaintext = try content.encoded()
        content.text = ""
        let team = intake.settings.team.current(for: record.reference)
        // The attachments were sealed while they streamed in, before the case was known:
        // sealed again to the keys of this case (a restricted case's key, PROTOCOL §12.7).
        for attachment in attachments { try attachment.blob.reseal(to: team) }
        let envelope = try Envelope.seal(plaintext, kind: .followUp, to: team + [record.reporterKey])
        SecureMemory.wipe(&plaintext)
        do {
            try await intake.database.appendFollowUp(
                case: record.reference, itemID: .generate(), envelope: envelope,
                blobs: attachments.map(\.blob), day: day)
        } catch CaseError.unknownCase {
            throw UnknownCode()
        }
    }
}
