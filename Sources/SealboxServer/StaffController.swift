// The staff API: sealed items after a cursor, and sealed attachment blobs. Everything
// it returns is ciphertext; only a workstation with the team key opens it.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SealboxCore
import SealboxCrypto

struct StaffController: Sendable {
    let database: MailboxDatabase
    let pages: PageFactory
    let teamKey: BoxPublicKey

    func addRoutes(to router: Router<SealboxRequestContext>) {
        router.get("/healthz") { _, _ in PublicController.plain("ok\n") }
        router.get("/api/v1/staff/items") { request, _ in try await items(request) }
        addCaseRoutes(to: router)
        router.get("/api/v1/staff/attachments/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            guard id.count == 32, id.allSatisfy(\.isHexDigit), let blob = try await database.blob(id: id) else {
                throw PublicError.notFound
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: blob)))
        }
    }

    struct ItemPage: Encodable {
        struct Item: Encodable {
            let id: String
            let `case`: String
            let kind: String
            let day: String
            let envelope: String?
            let status: String?
            let attachments: [Attachment]

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(id, forKey: .id)
                try c.encode(`case`, forKey: .case)
                try c.encode(kind, forKey: .kind)
                try c.encode(day, forKey: .day)
                try c.encode(envelope, forKey: .envelope)
                try c.encodeIfPresent(status, forKey: .status)
                try c.encode(attachments, forKey: .attachments)
            }
            enum CodingKeys: String, CodingKey { case id, `case`, kind, day, envelope, status, attachments }
        }
        struct Attachment: Encodable {
            let id: String
            let size: Int
        }
        let items: [Item]
        let next: String?

        enum CodingKeys: String, CodingKey { case items, next }

        /// `next` is always present: null when there is nothing after this page's cursor.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(items, forKey: .items)
            try c.encode(next, forKey: .next)
        }
    }

    func items(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let after: String? = query.get("after").map { String($0) }
        var limit = 100
        if let text = query.get("limit") {
            guard let value = Int(text), (1...500).contains(value) else { throw PublicError(.badRequest, "error.malformed_body") }
            limit = value
        }
        let stored: [StoredItem]
        do {
            stored = try await database.items(after: after, limit: limit)
        } catch StorageError.unknownCursor {
            throw PublicError(.badRequest, "error.malformed_body")
        }
        let page = ItemPage(
            items: stored.map { item in
                .init(id: item.id, case: item.caseReference, kind: item.kind, day: item.day,
                      envelope: item.status == nil ? Data(item.envelope).base64EncodedString() : nil,
                      status: item.status,
                      attachments: item.attachments.map { .init(id: $0.id, size: $0.size) })
            },
            next: stored.last?.id ?? after)
        return pages.json(page, status: .ok)
    }
}
