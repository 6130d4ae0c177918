// The roster endpoints (docs/PROTOCOL.md §12.3): every signer may read the roster; only an
// active lead's request may append to it (403 `role_required` otherwise), and only an
// entry that extends the head (409 `roster_conflict`) and verifies (422
// `roster_entry_invalid`). Without `staff.leads` the daemon has no roster (404
// `roster_not_configured`). Every stored entry is audited `roster:<seq>` by its signer.
import Foundation
import HTTPTypes
import Hummingbird
import SealboxAPI
import SealboxCore
import SealboxCrypto

extension StaffController {
    func addRosterRoutes(to router: Router<SealboxRequestContext>) {
        router.get(RouterPath(StaffPath.roster)) { request, _ in try rosterPage(request) }
        router.post(RouterPath(StaffPath.roster)) { request, context in try await appendRoster(request, context: context) }
        router.get(RouterPath(StaffPath.grants)) { request, context in try await grants(request, context: context) }
    }

    static let rosterNotConfigured = PublicError(.notFound, "error.not_found", code: "roster_not_configured")
    static let roleRequired = PublicError(.forbidden, "error.unauthorized", code: "role_required")
    static let rosterConflict = PublicError(.conflict, "error.422.message", code: "roster_conflict")
    static let rosterEntryInvalid = PublicError(.unprocessableContent, "error.422.message", code: "roster_entry_invalid")

    func rosterPage(_ request: Request) throws -> Response {
        guard let roster else { throw Self.rosterNotConfigured }
        var after: UInt64 = 0
        if let text = request.uri.queryParameters.get("after") {
            guard (1...10).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                  let value = UInt64(text), value <= RosterEntry.maximumSeq
            else { throw PublicError.malformedBody }
            after = value
        }
        let entries: [RosterEntry]
        do {
            entries = try database.rosterEntries()
        } catch {
            throw PublicError.internalError
        }
        let verified = roster.current
        // The stored rows and the verified state agree up to the state's head; an entry
        // appended meanwhile is served at the next request.
        let page = RosterPage(leads: roster.leads,
                              entries: entries.filter { $0.seq > after && $0.seq <= verified.head.seq },
                              head: verified.head)
        return pages.json(page, status: .ok)
    }

    func appendRoster(_ request: Request, context: SealboxRequestContext) async throws -> Response {
        guard let roster else { throw Self.rosterNotConfigured }
        guard context.staffMember?.isLead == true else { throw Self.roleRequired }
        let body = try await jsonBody(request, as: RosterAppendRequest.self)
        var grants: [GrantRecord] = []
        for body in body.grants ?? [] {
            guard let record = body.record else { throw Self.rosterEntryInvalid }
            grants.append(record)
        }
        let head: RosterHead
        do {
            head = try await roster.append(body.entry, grants: grants, day: clock.today(), request: context.staffRequestDigest)
        } catch let error as RosterError {
            throw error.isConflict ? Self.rosterConflict : Self.rosterEntryInvalid
        } catch is GrantsDoNotFit {
            throw Self.rosterEntryInvalid
        }
        return pages.json(RosterAppended(head: head), status: .created)
    }

    /// `GET /api/v2/staff/grants`: the grants sealed to the signing member (a signer who is
    /// no member gets none); `?for=recovery`: those sealed to the recovery key, for an
    /// active lead only (403 `role_required` otherwise), for `sealbox recover`.
    func grants(_ request: Request, context: SealboxRequestContext) async throws -> Response {
        guard let roster else { throw Self.rosterNotConfigured }
        guard let key = context.staffKey else { throw PublicError.unauthorized }
        let member = roster.activeMember(signingKey: key)
        let owner: KeyID?
        switch request.uri.query {
        case nil, "":
            owner = member?.id
        case "for=recovery":
            guard member?.role == .lead else { throw Self.roleRequired }
            owner = roster.recovery?.keyID
        default:
            throw PublicError.malformedBody
        }
        var list: [GrantRecord] = []
        if let owner { list = try await database.grants(for: owner) }
        return pages.json(GrantList(grants: list.sorted { $0.scope < $1.scope }), status: .ok)
    }
}
