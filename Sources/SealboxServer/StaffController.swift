// The staff API: sealed items by (day, id) from a day and after a cursor (never in
// arrival order: docs/PROTOCOL.md §8), and sealed attachment blobs. Everything
// it returns is ciphertext; only a workstation with the team key opens it. The bodies
// are SealboxAPI's types, the same the workstation decodes.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct StaffController: Sendable {
    let database: MailboxDatabase
    let pages: PageFactory
    /// The keys the team's copies are sealed to (team key, or newest epoch and recovery key).
    let team: TeamRecipients
    /// The team roster; nil without `staff.leads`.
    var roster: RosterBook? = nil
    var clock: DaemonClock = .system
    /// The number of staff keys: one allows one-step deletion (FourEyes.allowsOneStep).
    var memberCount = 1
    var confirmDays = FourEyes.defaultConfirmDays
    var retention = RetentionPolicy.standard

    func addRoutes(to router: Router<SealboxRequestContext>) {
        router.get("/healthz") { _, _ in PublicController.plain("ok\n") }
        router.get(RouterPath(StaffPath.items)) { request, context in
            let page = try await items(request, context: context)
            try await auditOncePerDay(.sync, context)
            return page
        }
        addCaseRoutes(to: router)
        addRosterRoutes(to: router)
        addStatisticsRoutes(to: router)
        router.get("/api/v1/staff/attachments/:id") { _, context in
            guard let id = try? AttachmentID(parsing: context.parameters.get("id") ?? ""),
                  let blob = try await database.blob(id: id)
            else { throw PublicError.notFound }
            // A restricted case's attachments only to its named members (PROTOCOL §12.7).
            if let roster, let owner = try await database.caseOfAttachment(id: id),
               !roster.maySee(owner, signingKey: context.staffKey) {
                throw PublicError.notFound
            }
            try await auditOncePerDay(.read, context)
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: blob)))
        }
        // After the signature check, like every staff answer: only a signer learns the routes.
        router.refuseOtherMethods([("/healthz", [.get]), (StaffPath.items, [.get]), (StaffPath.cases, [.get]),
                                   (StaffPath.audit, [.get]), ("/api/v1/staff/attachments/:id", [.get]),
                                   ("/api/v1/staff/cases/:case/replies", [.post]),
                                   ("/api/v1/staff/cases/:case/status", [.post]),
                                   ("/api/v1/staff/cases/:case/items", [.post]),
                                   ("/api/v1/staff/cases/:case", [.delete]), (StaffPath.roster, [.get, .post]), (StaffPath.grants, [.get]),
                                   ("/api/v1/staff/cases/:case/deletion-request", [.post]),
                                   ("/api/v1/staff/cases/:case/deletion-confirm", [.post]),
                                   ("/api/v1/staff/cases/:case/retention", [.post]),
                                   (StaffPath.statistics, [.get]), ("/api/v2/staff/statistics/:id", [.put])])
    }

    /// Records a member's `sync` or `read` of the day, once (docs/PROTOCOL.md §11).
    func auditOncePerDay(_ action: AuditAction, _ context: SealboxRequestContext) async throws {
        guard let member = context.staffMember else { return }
        try await database.auditOncePerDay(action, day: clock.today(), member: member.id, request: context.staffRequestDigest)
    }

    func items(_ request: Request, context: SealboxRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var from: Day?
        if let text = query.get("from") {
            guard text.utf8.count == 10, let day = try? Day(parsing: String(text)) else {
                throw PublicError(.badRequest, "error.malformed_body")
            }
            from = day
        }
        var after: ItemID?
        if let text = query.get("after") {
            guard let cursor = try? ItemID(parsing: String(text)) else { throw PublicError.unknownCursor }
            after = cursor
        }
        var limit = StaffPath.defaultPageSize
        if let text = query.get("limit") {
            guard text.utf8.count <= 3, let value = Int(text), (1...StaffPath.maximumPageSize).contains(value) else {
                throw PublicError(.badRequest, "error.malformed_body")
            }
            limit = value
        }
        let stored: [StoredItem]
        do {
            stored = try await database.items(from: from, after: after, limit: limit)
        } catch StorageError.unknownCursor {
            throw PublicError.unknownCursor
        }
        let items = Self.withinBudget(stored)
        // A restricted case's items go only to its named members (PROTOCOL §12.7); the
        // cursor still moves past them.
        let served = roster.map { roster in items.filter { roster.maySee($0.caseReference, signingKey: context.staffKey) } } ?? items
        return pages.json(ItemPage(items: served.map(SealedItem.init), next: items.last?.id ?? after), status: .ok)
    }

    /// The leading items whose envelopes fit `StaffPath.pageEnvelopeBudget`; at least one.
    static func withinBudget(_ items: [StoredItem]) -> [StoredItem] {
        var total = 0
        var count = 0
        for item in items {
            total += item.envelope.count
            if count > 0, total > StaffPath.pageEnvelopeBudget { break }
            count += 1
        }
        return Array(items.prefix(count))
    }
}
