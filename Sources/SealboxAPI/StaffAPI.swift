// The staff API's wire contract (docs/PROTOCOL.md §8, docs/openapi.yaml): the request and
// response bodies, defined once. The daemon encodes them, the workstation decodes the
// same types, so the two ends cannot drift. Every value is typed: a body whose case
// reference, id, day, status or base64url field does not parse is refused as a whole.
import SealboxCore
import SealboxCrypto

/// The paths of the staff API.
public enum StaffPath {
    public static let items = "/api/v1/staff/items"
    public static let cases = "/api/v1/staff/cases"
    public static let audit = "/api/v1/staff/audit"

    /// `GET` items in the order (day, id): from the day `from` (the first day when nil),
    /// after the item `cursor` (from the start of `from` when nil), at most `limit`.
    public static func items(from day: Day? = nil, after cursor: ItemID?, limit: Int) -> String {
        items + "?limit=\(limit)" + (day.map { "&from=\($0.text)" } ?? "") + (cursor.map { "&after=\($0.text)" } ?? "")
    }

    /// `GET` one sealed attachment blob.
    public static func attachment(_ id: AttachmentID) -> String { "/api/v1/staff/attachments/\(id.text)" }
    /// `DELETE` a case.
    public static func `case`(_ reference: CaseReference) -> String { cases + "/" + reference.text }
    /// `POST` a reply.
    public static func replies(_ reference: CaseReference) -> String { `case`(reference) + "/replies" }
    /// `POST` a status change.
    public static func status(_ reference: CaseReference) -> String { `case`(reference) + "/status" }
    /// `POST` a deletion request (the first of two members, PROTOCOL §9.5).
    public static func deletionRequest(_ reference: CaseReference) -> String { `case`(reference) + "/deletion-request" }
    /// `POST` the confirmation of a deletion request (the second member).
    public static func deletionConfirm(_ reference: CaseReference) -> String { `case`(reference) + "/deletion-confirm" }
    /// `POST` a retention extension.
    public static func retention(_ reference: CaseReference) -> String { `case`(reference) + "/retention" }

    /// `POST`: a note, coding or case data of the team (PROTOCOL §3.4).
    public static func caseItems(_ reference: CaseReference) -> String { `case`(reference) + "/items" }

    /// The largest page the server gives.
    public static let maximumPageSize = 500
    /// The page size when none is asked for.
    public static let defaultPageSize = 100

    /// A page holds items until their envelopes pass this many bytes (always at least one item).
    public static let pageEnvelopeBudget = 8 << 20

    /// The largest answer to an item page a workstation reads: the budget and one more
    /// envelope of at most 4 MiB, in base64url, and the items' other fields.
    public static let maximumPageAnswer = (pageEnvelopeBudget + (4 << 20)) * 4 / 3 + maximumPageSize * 1024

    /// The largest sealed attachment blob a workstation accepts (announced sizes above it are refused).
    public static let maximumBlobSize = 1 << 30
}

/// `GET /api/v1/staff/items`: items ordered by (day, id), never by arrival; `next` is the
/// cursor for the following page (null on an empty first page), always present. An item
/// stored later on a day may sort before `next`: a workstation reads its last synced day
/// again at every sync (docs/PROTOCOL.md §8).
public struct ItemPage: Codable, Sendable, Equatable {
    public let items: [SealedItem]
    public let next: ItemID?

    public init(items: [SealedItem], next: ItemID?) {
        self.items = items
        self.next = next
    }

    enum CodingKeys: String, CodingKey { case items, next }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(next, forKey: .next)
    }
}

/// One item of the feed: a sealed report, follow-up or reply, or a status change
/// (kind `status`: no envelope, no attachments, a `status`).
public struct SealedItem: Codable, Sendable, Equatable {
    public let id: ItemID
    public let `case`: CaseReference
    public let kind: ItemKind
    public let day: Day
    /// The item's place in its case (1 for the report, then 2, 3, …): orders the thread.
    public let position: Int
    /// The sealed envelope; nil for a status change.
    public let envelope: Base64URLBytes?
    /// The new status, for a status change only.
    public let status: CaseStatus?
    public let attachments: [AttachmentReference]

    public init(id: ItemID, case reference: CaseReference, kind: ItemKind, day: Day, position: Int,
                envelope: Base64URLBytes?, status: CaseStatus?, attachments: [AttachmentReference]) {
        self.id = id
        self.case = reference
        self.kind = kind
        self.day = day
        self.position = position
        self.envelope = envelope
        self.status = status
        self.attachments = attachments
    }

    enum CodingKeys: String, CodingKey { case id, `case`, kind, day, position, envelope, status, attachments }

    /// The largest position a workstation accepts (a case of more items is not plausible).
    public static let maximumPosition = 1 << 31

    /// Refuses an item whose shape does not fit its kind.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(ItemID.self, forKey: .id)
        self.case = try c.decode(CaseReference.self, forKey: .case)
        kind = try c.decode(ItemKind.self, forKey: .kind)
        day = try c.decode(Day.self, forKey: .day)
        position = try c.decode(Int.self, forKey: .position)
        guard (1...Self.maximumPosition).contains(position) else {
            throw DecodingError.dataCorruptedError(forKey: .position, in: c, debugDescription: "position out of range")
        }
        envelope = try c.decodeIfPresent(Base64URLBytes.self, forKey: .envelope)
        status = try c.decodeIfPresent(CaseStatus.self, forKey: .status)
        attachments = try c.decodeIfPresent([AttachmentReference].self, forKey: .attachments) ?? []
        let fits = kind == .status
            ? envelope == nil && status != nil && attachments.isEmpty
            : envelope != nil && status == nil
        guard fits else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "fields do not fit the kind")
        }
    }

    /// `envelope` is always present (null for a status change); `status` only for a status change.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(self.case, forKey: .case)
        try c.encode(kind, forKey: .kind)
        try c.encode(day, forKey: .day)
        try c.encode(position, forKey: .position)
        try c.encode(envelope, forKey: .envelope)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encode(attachments, forKey: .attachments)
    }
}

/// A sealed attachment blob of an item: fetch it by id; `size` is its sealed length.
public struct AttachmentReference: Codable, Sendable, Equatable {
    public let id: AttachmentID
    public let size: Int

    public init(id: AttachmentID, size: Int) {
        self.id = id
        self.size = size
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(AttachmentID.self, forKey: .id)
        size = try c.decode(Int.self, forKey: .size)
        guard (0...StaffPath.maximumBlobSize).contains(size) else {
            throw DecodingError.dataCorruptedError(forKey: .size, in: c, debugDescription: "size out of range")
        }
    }

    enum CodingKeys: String, CodingKey { case id, size }
}

extension SealedItem {
    /// The wire form of a stored item.
    public init(_ item: StoredItem) {
        self.init(id: item.id, case: item.caseReference, kind: item.kind, day: item.day, position: item.position,
                  envelope: item.isStatusChange ? nil : Base64URLBytes(item.envelope), status: item.status,
                  attachments: item.attachments.map { AttachmentReference(id: $0.id, size: $0.size) })
    }
}

extension StoredItem {
    /// An item of the feed as a workstation stores it.
    public init(_ item: SealedItem) {
        self.init(id: item.id, caseReference: item.case, itemKind: item.kind, day: item.day, position: item.position,
                  envelope: item.envelope?.bytes ?? [],
                  attachments: item.attachments.map { StoredAttachment(id: $0.id, size: $0.size) },
                  status: item.status)
    }
}
