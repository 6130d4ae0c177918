// Staff actions on a case: replies (sealed on the workstation to the reporter key found
// inside the sealed report and to the team key), status changes, deletion, the server's
// case list and the audit log. Every action is audited by staff key id, never content.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SealboxCore
import SealboxCrypto

extension StaffController {
    func addCaseRoutes(to router: Router<SealboxRequestContext>) {
        router.get("/api/v1/staff/cases") { _, _ in try await cases() }
        router.get("/api/v1/staff/audit") { _, _ in try await audit() }
        router.post("/api/v1/staff/cases/:case/replies") { request, context in
            try await reply(request, reference: try reference(context), staffKey: context.staffKeyID ?? "?")
        }
        router.post("/api/v1/staff/cases/:case/status") { request, context in
            try await status(request, reference: try reference(context), staffKey: context.staffKeyID ?? "?")
        }
        router.delete("/api/v1/staff/cases/:case") { _, context in
            do {
                try await database.deleteCase(try reference(context), day: .today(), staffKey: context.staffKeyID ?? "?")
            } catch CaseError.unknownCase {
                throw PublicError.notFound
            }
            return Response(status: .noContent)
        }
    }

    func reference(_ context: SealboxRequestContext) throws -> String {
        guard let text = context.parameters.get("case"), let reference = try? CaseReference(parsing: text) else {
            throw PublicError.notFound
        }
        return reference.text
    }

    func jsonBody<T: Decodable>(_ request: Request, as type: T.Type) async throws -> T {
        let bytes = try await request.collectBody(limit: 4 << 20)
        guard let value = try? JSONDecoder().decode(T.self, from: Data(bytes)) else { throw PublicError.malformedBody }
        return value
    }

    func reply(_ request: Request, reference: String, staffKey: String) async throws -> Response {
        struct Body: Decodable { let envelope: String }
        guard let record = try await database.caseRecord(reference: reference) else { throw PublicError.notFound }
        let body = try await jsonBody(request, as: Body.self)
        guard let data = Data(base64Encoded: body.envelope), data.count <= 4 << 20 else { throw PublicError.malformedBody }
        let envelope = Array(data)
        let reporterID = KeyID(publicKey: record.reporterKey)
        guard let header = try? Envelope.recipients(of: envelope), header.kind == .reply,
              header.keyIDs == [reporterID, teamKey.keyID]
        else { throw PublicError(.unprocessableContent, "error.malformed_body") }
        let id = Random.identifier()
        let day = Day.today()
        let status = try await database.appendReply(case: reference, itemID: id, envelope: envelope, day: day, staffKey: staffKey)
        struct Created: Encodable { let id, `case`, day, status: String }
        return pages.json(Created(id: id, case: reference, day: day.text, status: status.rawValue), status: .created)
    }

    func status(_ request: Request, reference: String, staffKey: String) async throws -> Response {
        struct Body: Decodable { let status: String }
        let body = try await jsonBody(request, as: Body.self)
        guard let status = CaseStatus(rawValue: body.status) else {
            throw PublicError(.unprocessableContent, "error.invalid_choice")
        }
        let day = Day.today()
        let id: String
        do {
            id = try await database.setStatus(case: reference, to: status, day: day, staffKey: staffKey)
        } catch CaseError.unknownCase {
            throw PublicError.notFound
        }
        struct Changed: Encodable { let id, `case`, status, day: String }
        return pages.json(Changed(id: id, case: reference, status: status.rawValue, day: day.text), status: .ok)
    }

    func cases() async throws -> Response {
        struct Entry: Encodable {
            let `case`, status, received, updated: String
            let acknowledged: String?

            enum CodingKeys: String, CodingKey { case `case`, status, received, updated, acknowledged }

            /// `acknowledged` is always present: null until the case is acknowledged.
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(self.case, forKey: .case)
                try c.encode(status, forKey: .status)
                try c.encode(received, forKey: .received)
                try c.encode(updated, forKey: .updated)
                try c.encode(acknowledged, forKey: .acknowledged)
            }
        }
        let entries = try await database.caseRecords().map {
            Entry(case: $0.reference, status: $0.status.rawValue, received: $0.received.text,
                  updated: $0.updated.text, acknowledged: $0.acknowledged?.text)
        }
        return pages.json(["cases": entries], status: .ok)
    }

    func audit() async throws -> Response {
        struct Entry: Encodable {
            let day, action, `case`: String
            let staffKey: String
            enum CodingKeys: String, CodingKey { case day, action, `case`, staffKey = "staff_key" }
        }
        let entries = try await database.auditEntries().map {
            Entry(day: $0.day, action: $0.action, case: $0.caseReference, staffKey: $0.staffKey)
        }
        return pages.json(["entries": entries], status: .ok)
    }
}
