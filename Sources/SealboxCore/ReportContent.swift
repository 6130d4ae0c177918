import Foundation
import SealboxCrypto

/// The plaintext of a sealed item (docs/PROTOCOL.md §3.2). It exists only in memory:
/// the daemon builds it and seals it at once; the CLI opens it on a workstation.
public struct ReportContent: Codable, Sendable, Equatable {
    public var v: Int = 1
    public var type: EnvelopeKind
    public var `case`: CaseReference
    public var day: Day
    public var reporterKey: String?
    public var text: String
    public var grounds: [String]?
    public var area: String?
    public var when: String?
    public var `where`: String?
    public var contact: String?
    public var attachments: [AttachmentManifest]

    enum CodingKeys: String, CodingKey {
        case v, type, `case`, day, reporterKey = "reporter_key", text, grounds, area, when, `where`, contact, attachments
    }

    public init(
        type: EnvelopeKind, caseReference: CaseReference, day: Day, reporterKey: BoxPublicKey?,
        text: String, grounds: [String] = [], area: String? = nil, when: String? = nil,
        where whereText: String? = nil, contact: String? = nil, attachments: [AttachmentManifest] = []
    ) {
        self.type = type
        self.case = caseReference
        self.day = day
        self.reporterKey = reporterKey.map { Base64URL.encode($0.bytes) }
        self.text = text
        self.grounds = grounds.isEmpty ? nil : grounds
        self.area = area
        self.when = when
        self.where = whereText
        self.contact = contact
        self.attachments = attachments
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        v = try c.decode(Int.self, forKey: .v)
        type = try c.decode(EnvelopeKind.self, forKey: .type)
        self.case = try c.decode(CaseReference.self, forKey: .case)
        day = try c.decode(Day.self, forKey: .day)
        reporterKey = try c.decodeIfPresent(String.self, forKey: .reporterKey)
        text = try c.decode(String.self, forKey: .text)
        grounds = try c.decodeIfPresent([String].self, forKey: .grounds)
        area = try c.decodeIfPresent(String.self, forKey: .area)
        when = try c.decodeIfPresent(String.self, forKey: .when)
        self.where = try c.decodeIfPresent(String.self, forKey: .where)
        contact = try c.decodeIfPresent(String.self, forKey: .contact)
        attachments = try c.decodeIfPresent([AttachmentManifest].self, forKey: .attachments) ?? []
    }

    /// The UTF-8 JSON bytes that get padded and sealed.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// Parses an opened envelope's plaintext.
    public static func decode(_ bytes: [UInt8]) throws -> ReportContent {
        do {
            return try JSONDecoder().decode(ReportContent.self, from: Data(bytes))
        } catch {
            throw CryptoError.malformed("sealed plaintext is not a Sealbox item")
        }
    }

    /// The reporter's public key as carried inside the sealed report.
    public var reporterPublicKey: BoxPublicKey? {
        guard let text = reporterKey, let bytes = Base64URL.decode(text) else { return nil }
        return try? BoxPublicKey(bytes: bytes)
    }
}

/// One attachment as listed inside a sealed item.
public struct AttachmentManifest: Codable, Sendable, Equatable {
    public var id: AttachmentID
    public var name: String
    public var type: String
    public var size: Int

    public init(id: AttachmentID, name: String, type: String, size: Int) {
        self.id = id
        self.name = name
        self.type = type
        self.size = size
    }
}
