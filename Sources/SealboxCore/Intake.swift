// The submission path without HTTP: derive the reporter's secrets from a fresh code on
// the bounded pool, seal the report to the team key (and to the reporter's own key, so
// that the thread can be shown back later), and commit case, item and blobs at once.
// A code derived ahead (CodePool) is taken when one is ready, so the reporter does not
// wait for Argon2id; else the code is derived now. The code is returned only after that commit. The case records the Argon2id cost its
// code was derived with, so that the cost can be raised later (docs/PROTOCOL.md §6.2).
import Foundation
import Synchronization
import SealboxCrypto

/// The keys the daemon seals the team's copy of a report, follow-up or attachment to:
/// the team key (`crypto.team_public_key`), or, once the roster announces epochs, the
/// newest epoch key and the recovery key (docs/PROTOCOL.md §12.5). It changes when the
/// roster rotates, so it is read at each sealing.
public final class TeamRecipients: Sendable {
    private struct State {
        var keys: [BoxPublicKey]
        /// A restricted case's keys (its case key and the recovery key, PROTOCOL §12.7).
        var restricted: [CaseReference: [BoxPublicKey]] = [:]
    }

    private let state: Mutex<State>

    public init(_ keys: [BoxPublicKey]) {
        precondition(!keys.isEmpty)
        state = Mutex(State(keys: keys))
    }

    /// The keys new items are sealed to, in envelope order (a new case is never restricted).
    public var current: [BoxPublicKey] { state.withLock { $0.keys } }

    /// The keys new items of case `reference` are sealed to.
    public func current(for reference: CaseReference) -> [BoxPublicKey] {
        state.withLock { $0.restricted[reference] ?? $0.keys }
    }

    /// Whether case `reference` is restricted.
    public func isRestricted(_ reference: CaseReference) -> Bool {
        state.withLock { $0.restricted[reference] != nil }
    }

    /// Replaces the keys (after a roster entry that starts an epoch or restricts a case).
    public func replace(with keys: [BoxPublicKey], restricted: [CaseReference: [BoxPublicKey]] = [:]) {
        precondition(!keys.isEmpty)
        state.withLock { $0 = State(keys: keys, restricted: restricted) }
    }
}

/// What the daemon needs to accept reports.
public struct IntakeSettings: Sendable {
    public let team: TeamRecipients
    public var pepper: Pepper
    public var cost: KDFCost
    public var limits: SubmissionLimits

    /// The first key of the team's recipients (the team key, or the newest epoch key).
    public var teamKey: BoxPublicKey { team.current[0] }

    public init(team: TeamRecipients, pepper: Pepper, cost: KDFCost, limits: SubmissionLimits) {
        self.team = team
        self.pepper = pepper
        self.cost = cost
        self.limits = limits
    }

    public init(teamKey: BoxPublicKey, pepper: Pepper, cost: KDFCost, limits: SubmissionLimits) {
        self.init(team: TeamRecipients([teamKey]), pepper: pepper, cost: cost, limits: limits)
    }
}

/// An attachment that has been sealed into a staging file, with what the report lists of it.
public struct SealedAttachment: Sendable {
    public let blob: StagedBlob
    public let manifest: AttachmentManifest

    public init(blob: StagedBlob, manifest: AttachmentManifest) {
        self.blob = blob
        self.manifest = manifest
    }
}

/// What a reporter is shown once: the case reference, the code, the day.
public struct SubmissionReceipt: Sendable {
    public let caseReference: CaseReference
    public let code: ReporterCode
    public let day: Day
}

/// Accepts validated reports and stores them sealed.
public final class Intake: Sendable {
    public let database: MailboxDatabase
    public let pool: BlockingPool
    public let settings: IntakeSettings
    /// Codes derived ahead (`crypto.code_pool`); nil when off.
    public let codes: CodePool?

    public init(database: MailboxDatabase, pool: BlockingPool, settings: IntakeSettings, codes: CodePool? = nil) {
        self.database = database
        self.pool = pool
        self.settings = settings
        self.codes = codes
    }

    /// True when a new submission would be refused for lack of key-derivation capacity:
    /// no code is ready and every place of the pool is taken.
    public var isSaturated: Bool { pool.load >= pool.workers + pool.queueLimit && (codes?.readyCount ?? 0) == 0 }

    /// Seals and stores a report. `draft` must be normalised and free of issues; `lang`
    /// is the language of the page (or API answer) the reporter used, sealed with it.
    /// A `reservation` from `pool.reserve()` (taken before the upload was read) guarantees the derivation a place.
    public func submit(_ draft: ReportDraft, attachments: [SealedAttachment], day: Day = .today(),
                       lang: LanguageTag? = nil, reservation: PoolReservation? = nil) async throws -> SubmissionReceipt {
        let secrets: PreparedCode
        if let ready = codes?.take(), ready.cost == settings.cost {
            reservation?.release()
            secrets = ready
        } else {
            let pepper = settings.pepper
            let cost = settings.cost
            secrets = try await pool.run({ try PreparedCode.derive(pepper: pepper, cost: cost) }, reservation: reservation)
        }
        let code = secrets.code
        let cost = secrets.cost
        var lastError: any Error = StorageError.collision
        for _ in 0..<3 {
            let reference = CaseReference.generate()
            var content = ReportContent(
                type: .report, caseReference: reference, day: day, reporterKey: secrets.reporterKey.publicKey,
                text: draft.text, grounds: draft.grounds, area: draft.area, when: draft.when,
                where: draft.whereText, contact: draft.contact, attachments: attachments.map(\.manifest),
                reporterSigningKey: secrets.reporterSigningKey.publicKey
            )
            content.lang = lang
            content.incident = draft.incidentDate
            var plaintext = try content.encoded()
            let envelope = try Envelope.seal(
                plaintext, kind: .report, to: settings.team.current + [secrets.reporterKey.publicKey])
            SecureMemory.wipe(&plaintext)
            let new = NewCase(
                reference: reference, lookupHash: secrets.lookupHash, cost: cost, reporterKey: secrets.reporterKey.publicKey,
                day: day, itemID: .generate(), envelope: envelope, blobs: attachments.map(\.blob))
            do {
                try await database.insert(new)
                return SubmissionReceipt(caseReference: reference, code: code, day: day)
            } catch StorageError.collision {
                lastError = StorageError.collision
            }
        }
        throw lastError
    }
}
