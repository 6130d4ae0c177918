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
    public let record: CaseRecord
    public let messages: [ThreadMessage]

    public init(record: CaseRecord, messages: [ThreadMessage]) {
        self.record = record
        self.messages = messages
    }
}

/// A well-formed code that opens no case (never existed, or deleted).
public struct UnknownCode: Error, Equatable, Sendable {
    public init() {}
}

public final class Conversation: Sendable {
    public let intake: Intake

    public init(intake: Intake) {
        self.intake = intake
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

    /// The case a code opens, without its messages (for sending a follow-up).
    public func find(_ code: ReporterCode) async throws -> CaseRecord {
        try await locate(code).0
    }

    /// Opens the whole thread with the key derived from the code.
    public func open(_ code: ReporterCode) async throws -> CaseThread {
        let (record, secrets) = try await locate(code)
        let items = try await intake.database.items(ofCase: record.reference)
        var messages: [ThreadMessage] = []
        for item in items where item.status == nil {
            guard let opened = try? Envelope.open(item.envelope, with: secrets.reporterKey),
                  var content = try? ReportContent.decode(opened.plaintext),
                  content.case == record.reference, content.type == opened.kind
            else { continue }
            messages.append(ThreadMessage(
                author: opened.kind == .reply ? .team : .reporter, day: item.day, text: content.text,
                attachments: content.attachments))
            content.text = ""
        }
        return CaseThread(record: record, messages: messages)
    }

    /// Seals a reporter's follow-up to the team and to the reporter's own key, and stores it.
    public func followUp(to record: CaseRecord, text: String, attachments: [SealedAttachment], day: Day = .today()) async throws {
        var plaintext = try ReportContent(
            type: .followUp, caseReference: record.reference, day: day, reporterKey: nil, text: text,
            attachments: attachments.map(\.manifest)
        ).encoded()
        let envelope = try Envelope.seal(plaintext, kind: .followUp, to: [intake.settings.teamKey, record.reporterKey])
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
