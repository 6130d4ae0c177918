// The error body of both APIs and the base64url flavour of every binary field.
import Foundation
import SealboxCrypto

/// `{"error": {"code": "...", "message": "...", "fields": [...]}}`: `code` is for
/// programs (e.g. `unknown_cursor`, `malformed_body`), `message` for people, localised.
public struct APIErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public let code: String
        public let message: String
        public let fields: [FieldDetail]?

        public init(code: String, message: String, fields: [FieldDetail]?) {
            self.code = code
            self.message = message
            self.fields = fields
        }
    }

    /// A problem with one field of a submitted form or body.
    public struct FieldDetail: Codable, Sendable, Equatable {
        public let field: String
        public let code: String
        public let message: String

        public init(field: String, code: String, message: String) {
            self.field = field
            self.code = code
            self.message = message
        }
    }

    public let error: Detail

    public init(error: Detail) { self.error = error }
}

/// Bytes on the wire as base64url without padding (PROTOCOL §0), the one flavour of every API.
public struct Base64URLBytes: Codable, Sendable, Equatable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let bytes = Base64URL.decode(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not base64url")
        }
        self.bytes = bytes
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Base64URL.encode(bytes))
    }
}

/// The JSON coders of both ends: sorted keys, no escaped slashes.
public enum APICoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(bytes))
    }
}
