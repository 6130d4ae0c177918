// Staff actions on a case: replies (sealed on the workstation to the reporter key found
// inside the sealed report and to the team key), status changes, deletion, the server's
// case list and the audit log. Every action is audited by staff key id, never content.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SealboxAPI
import SealboxCore
import SealboxCrypto

extension StaffController {
    func addCaseRoutes(to router: Router<SealboxRequestContext>) {
        router.get(RouterPath(StaffPath.cases)) { _, context in try await cases(context) }
        router.get(RouterPath(StaffPath.audit)) { _, _ in try await audit() }
        router.post("/api/v1/staff/cases/:case/replies") { request, context in
            try await reply(request, reference: try reference(context), staffKeyID: try memberID(context),
                            digest: context.staffRequestDigest)
        }
        router.post("/api/v1/staff/cases/:case/items") { request, context in
            try await caseWork(request, reference: try reference(context), staffKeyID: try memberID(context),
                               digest: context.staffRequestDigest)
        }
        router.post("/api/v1/staff/cases/:case/status") { request, context in
            try await status(request, reference: try reference(context), staffKeyID: try memberID(context),
                             digest: context.staffRequestDigest)
        }
        router.delete("/api/v1/staff/cases/:case") { _, context in
            let reference = try reference(context)
            // One step only where no second member exists (docs/PROTOCOL.md §9.5).
            guard FourEyes.allowsOneStep(memberCount: memberCount) else {
                guard try await database.caseRecord(reference: reference) != nil else { throw PublicError.notFound }
                throw Self.refusal(.secondMemberRequired)
            }
            do {
                try await database.deleteCase(reference, day: clock.today(), staffKeyID: try memberID(context),
                                              request: context.staffRequestDigest)
            } catch CaseError.unknownCase {
                throw PublicError.notFound
            }
            return Response(status: .noContent)
        }
        router.post("/api/v1/staff/cases/:case/deletion-request") { _, context in
            try await requestDeletion(try reference(context), context)
        }
        router.post("/api/v1/staff/cases/:case/deletion-confirm") { _, context in
            do {
                try await database.confirmDeletion(of: try reference(context), day: clock.today(), member: try member(context),
                                                   rosterInForce: roster != nil, request: context.staffRequestDigest,
                                                   confirmDays: confirmDays)
            } catch CaseError.unknownCase {
                throw PublicError.notFound
            } catch let error as DeletionError {
                throw Self.refusal(error)
            }
            return Response(status: .noContent)
        }
        router.post("/api/v1/staff/cases/:case/retention") { request, context in
            try await retain(request, reference: try reference(context), context)
        }
    }

    func requestDeletion(_ reference: CaseReference, _ context: SealboxRequestContext) async throws -> Response {
        do {
            let pending = try await database.requestDeletion(
                of: reference, day: clock.today(), member: try memberID(context), request: context.staffRequestDigest,
                confirmDays: confirmDays)
            return pages.json(pendingDeletion(pending), status: .created)
        } catch CaseError.unknownCase {
            throw PublicError.notFound
        } catch let error as DeletionError {
            throw Self.refusal(error)
        }
    }

    func pendingDeletion(_ request: DeletionRequest) -> PendingDeletion {
        PendingDeletion(case: request.caseReference, requestedBy: request.member, day: request.day,
                        expires: request.lastDay(confirmDays: confirmDays))
    }

    /// 409 with a machine code for each refusal of the four-eyes rule; 403 `role_required`
    /// when a roster is in force and the member is no lead.
    static func refusal(_ error: DeletionError) -> PublicError {
        switch error {
        case .leadRequired: roleRequired
        case .alreadyRequested: PublicError(.conflict, "error.invalid_choice", code: "deletion_pending")
        case .noRequest: PublicError(.conflict, "error.invalid_choice", code: "no_deletion_request")
        case .ownRequest: PublicError(.conflict, "error.invalid_choice", code: "own_deletion_request")
        case .secondMemberRequired: PublicError(.conflict, "error.invalid_choice", code: "second_member_required")
        }
    }

    func retain(_ request: Request, reference: CaseReference, _ context: SealboxRequestContext) async throws -> Response {
        let body = try await jsonBody(request, as: RetainRequest.self)
        let today = clock.today()
        guard body.until > today else { throw PublicError(.unprocessableContent, "error.invalid_choice", code: "day_not_in_future") }
        do {
            try await database.retain(reference, until: body.until, day: today, member: try memberID(context),
                                      request: context.staffRequestDigest)
        } catch CaseError.unknownCase {
            throw PublicError.notFound
        }
        let state = try await database.retentionStates(policy: retention).first { $0.caseReference == reference }
        guard let state else { throw PublicError.notFound }
        return pages.json(RetentionChanged(case: reference, retainedUntil: body.until, expires: state.expires), status: .ok)
    }

    /// The case of the route; 404 for a restricted case the signer is not named for (PROTOCOL §12.7).
    func reference(_ context: SealboxRequestContext) throws -> CaseReference {
        guard let reference = try? CaseReference(parsing: context.parameters.get("case") ?? "") else {
            throw PublicError.notFound
        }
        if let roster, !roster.maySee(reference, signingKey: context.staffKey) { throw PublicError.notFound }
        return reference
    }

    /// The signer, set by `StaffAuthenticator` on every request that reaches a route.
    func member(_ context: SealboxRequestContext) throws -> StaffMember {
        guard let member = context.staffMember else { throw PublicError.unauthorized }
        return member
    }

    /// The signer's member id (a `staff.keys` key's key id): the `member` of audit entries
    /// and deletion requests (PROTOCOL §11, §12.3).
    func memberID(_ context: SealboxRequestContext) throws -> KeyID { try member(context).id }

    func jsonBody<T: Decodable>(_ request: Request, as type: T.Type) async throws -> T {
        let bytes = try await request.collectBody(limit: StaffAuthenticator.bodyLimit)
        guard let value = try? APICoding.decode(T.self, from: bytes) else { throw PublicError.malformedBody }
        return value
    }

    func reply(_ request: Request, reference: CaseReference, staffKeyID: KeyID, digest: [UInt8]) async throws -> Response {
        guard let record = try await database.caseRecord(reference: reference) else { throw PublicError.notFound }
        let envelope = try await jsonBody(request, as: ReplyRequest.self).envelope.bytes
        guard envelope.count <= Self.maximumEnvelope else { throw PublicError.malformedBody }
        guard let header = try? Envelope.recipients(of: envelope), header.kind == .reply,
              header.keyIDs == [record.reporterKey.keyID] + team.current(for: reference).map(\.keyID),
              envelope.count >= Envelope.minimumLength(recipients: header.keyIDs.count)
        else { throw PublicError(.unprocessableContent, "error.malformed_body") }
        let id = ItemID.generate()
        let day = clock.today()
        let stored = try await database.appendReply(case: reference, itemID: id, envelope: envelope, day: day,
                                                    staffKeyID: staffKeyID, request: digest)
        return pages.json(ReplyCreated(id: id, case: reference, day: day, status: stored.status,
                                       position: stored.position), status: .created)
    }

    /// The largest sealed reply: 4 MiB.
    static let maximumEnvelope = 4 << 20

    /// The largest sealed note: 1 MiB. A coding or case data is a few hundred bytes of
    /// plaintext, so it must fit the smallest padding bucket (PROTOCOL §3.1, §3.4).
    static let maximumNote = 1 << 20

    /// Stores a note, coding or case data (PROTOCOL §3.4) unread, after the checks the
    /// daemon can make without a key: an envelope of one of those kinds, sealed to the
    /// team key alone (so never to the reporter key), of a plausible length.
    func caseWork(_ request: Request, reference: CaseReference, staffKeyID: KeyID, digest: [UInt8]) async throws -> Response {
        guard try await database.caseRecord(reference: reference) != nil else { throw PublicError.notFound }
        let envelope = try await jsonBody(request, as: CaseWorkRequest.self).envelope.bytes
        guard let header = try? Envelope.recipients(of: envelope), header.kind.isCaseWork,
              acceptsCaseWorkRecipients(header.keyIDs, case: reference),
              envelope.count >= Envelope.minimumLength(recipients: header.keyIDs.count),
              envelope.count <= (header.kind == .note
                  ? Self.maximumNote : Envelope.minimumLength(recipients: header.keyIDs.count))
        else { throw PublicError(.unprocessableContent, "error.malformed_body") }
        let id = ItemID.generate()
        let day = clock.today()
        let position: Int
        do {
            position = try await database.appendCaseWork(case: reference, kind: header.kind, itemID: id,
                                                         envelope: envelope, day: day, staffKeyID: staffKeyID,
                                                         request: digest)
        } catch CaseError.unknownCase {
            throw PublicError.notFound
        }
        return pages.json(CaseWorkCreated(id: id, case: reference, kind: ItemKind(header.kind), day: day,
                                          position: position), status: .created)
    }

    /// Whether an item of case work (of `reference`), or a statistic record (no case), is
    /// sealed to exactly the recipients the team's case work is sealed to (PROTOCOL §9.1,
    /// §12.5: the newest epoch and the recovery key; a restricted case's key, §12.7): never
    /// the reporter key. A statistic record goes to the team, never to a case key.
    func acceptsCaseWorkRecipients(_ keyIDs: [KeyID], case reference: CaseReference? = nil) -> Bool {
        keyIDs == (reference.map { team.current(for: $0) } ?? team.current).map(\.keyID)
    }

    func status(_ request: Request, reference: CaseReference, staffKeyID: KeyID, digest: [UInt8]) async throws -> Response {
        let bytes = try await request.collectBody(limit: StaffAuthenticator.bodyLimit)
        guard let body = try? APICoding.decode(StatusRequest.self, from: bytes) else {
            throw Self.isWellFormedObject(bytes)
                ? PublicError(.unprocessableContent, "error.invalid_choice") : PublicError.malformedBody
        }
        let day = clock.today()
        let stored: (id: ItemID, position: Int)
        do {
            stored = try await database.setStatus(case: reference, to: body.status, day: day, staffKeyID: staffKeyID,
                                                  request: digest)
        } catch CaseError.unknownCase {
            throw PublicError.notFound
        }
        return pages.json(StatusChanged(id: stored.id, case: reference, status: body.status, day: day,
                                        position: stored.position), status: .ok)
    }

    /// Whether `bytes` is a JSON object with a string `status` (an unknown status is 422, not 400).
    static func isWellFormedObject(_ bytes: [UInt8]) -> Bool {
        (try? APICoding.decode(LooseStatusRequest.self, from: bytes)) != nil
    }

    func cases(_ context: SealboxRequestContext) async throws -> Response {
        try await database.dropExpiredDeletionRequests(today: clock.today(), confirmDays: confirmDays)
        let deletions = try await database.deletionRequests()
        var retention: [CaseReference: RetentionState] = [:]
        for state in try await database.retentionStates(policy: self.retention) { retention[state.caseReference] = state }
        let visible = try await database.caseRecords().filter { roster?.maySee($0.reference, signingKey: context.staffKey) ?? true }
        let list = CaseList(cases: visible.map {
            CaseSummary(case: $0.reference, status: $0.status, received: $0.received,
                        acknowledged: $0.acknowledged, updated: $0.updated, expires: retention[$0.reference]?.expires,
                        retainedUntil: retention[$0.reference]?.retainedUntil,
                        deletion: deletions[$0.reference].map(pendingDeletion))
        })
        return pages.json(list, status: .ok)
    }

    func audit() async throws -> Response {
        let log = AuditLog(entries: try await database.auditEntries().map(AuditLogEntry.init))
        return pages.json(log, status: .ok)
    }
}

/// A status request before its status is checked.
private struct LooseStatusRequest: Decodable {
    let status: String
}
