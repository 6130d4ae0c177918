// The unlock agent's wire format (docs/WORKSTATION.md "The agent protocol"): one request
// per connection; each side sends one frame, a u32 big-endian length and that many bytes
// of JSON. A request frame may hold at most 1 MiB, an answer frame at most 16 MiB; the
// length is checked before the body is read. Binary fields are b64u without padding.
import Foundation
import SealboxCrypto

/// Framing of the agent protocol.
public enum AgentFrame {
    /// The largest request body, in bytes (1 MiB).
    public static let maximumRequestLength = 1 << 20
    /// The largest answer body, in bytes (16 MiB: an opened envelope of 1 MiB in b64u and more).
    public static let maximumAnswerLength = 16 << 20

    /// `u32be(count) || body`.
    public static func encode(_ body: [UInt8]) -> [UInt8] {
        precondition(body.count <= Int(UInt32.max))
        let n = UInt32(body.count)
        return [UInt8(n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
            + body
    }

    /// The body length a 4-byte prefix announces, refused above `limit` (before anything more is read).
    public static func length(ofPrefix prefix: [UInt8], limit: Int) throws(AgentFrameError) -> Int {
        guard prefix.count == 4 else { throw .truncated }
        let n = Int(prefix[0]) << 24 | Int(prefix[1]) << 16 | Int(prefix[2]) << 8 | Int(prefix[3])
        guard n <= limit else { throw .tooLong(n) }
        return n
    }

    /// The body of one whole frame in `bytes`: refused when short, too long, or followed by more bytes.
    public static func decode(_ bytes: [UInt8], limit: Int) throws(AgentFrameError) -> [UInt8] {
        guard bytes.count >= 4 else { throw .truncated }
        let n = try length(ofPrefix: Array(bytes.prefix(4)), limit: limit)
        guard bytes.count >= 4 + n else { throw .truncated }
        guard bytes.count == 4 + n else { throw .trailingBytes }
        return Array(bytes[4...])
    }
}

/// Why a frame was refused.
public enum AgentFrameError: Error, Equatable, Sendable {
    /// The length prefix announced more than the limit.
    case tooLong(Int)
    /// The connection ended before the whole frame.
    case truncated
    /// Bytes after the frame.
    case trailingBytes
}

/// The operations.
public enum AgentOperation: String, Codable, Sendable, CaseIterable {
    case open
    case sign
    case status
    case lock
    /// The file key of an attachment blob, opened from the blob's first bytes.
    case fileKey = "file-key"
}

/// One request: `op` and the fields it needs.
public struct AgentRequest: Codable, Sendable, Equatable {
    public var op: String
    /// `open`: the envelope, b64u.
    public var envelope: String?
    /// `open`: the key ids (16 hex) it may be opened with; all held keys when absent.
    public var keys: [String]?
    /// `sign`: the message to sign, b64u.
    public var message: String?
    /// `file-key`: the first bytes of an attachment blob (magic and recipient block), b64u.
    public var header: String?

    public init(op: AgentOperation, envelope: [UInt8]? = nil, keys: [KeyID]? = nil, message: [UInt8]? = nil,
                header: [UInt8]? = nil) {
        self.op = op.rawValue
        self.envelope = envelope.map(Base64URL.encode)
        self.keys = keys?.map(\.hex)
        self.message = message.map(Base64URL.encode)
        self.header = header.map(Base64URL.encode)
    }
}

/// One answer: `ok`, and either the result fields of the operation or `error`.
public struct AgentAnswer: Codable, Sendable, Equatable {
    /// A refusal: a fixed code and a message for people.
    public struct Failure: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
    }

    public var ok: Bool
    public var error: Failure?
    /// `open`: the envelope's kind name and the plaintext (b64u).
    public var kind: String?
    public var plaintext: String?
    /// `sign`: the 64-byte signature (b64u) and the signer's public key text.
    public var signature: String?
    /// `file-key`: the attachment's 32-byte file key (b64u); it opens that one blob only.
    public var fileKey: String?
    /// `sign` and `status`: the signing public key (`sealbox-staff-v1:…`), absent without one.
    public var signer: String?
    /// `status`: the key ids held, the key source (`grants` or `team-key`), the key files
    /// unlocked, the agent's process id, seconds since the last request and until it ends.
    public var keys: [String]?
    public var source: String?
    public var files: [String]?
    public var pid: Int32?
    public var idleSeconds: Double?
    public var remainingSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case ok, error, kind, plaintext, signature, signer, keys, source, files, pid
        case fileKey = "file_key"
        case idleSeconds = "idle_seconds"
        case remainingSeconds = "remaining_seconds"
    }

    public init(ok: Bool) { self.ok = ok }

    /// A refusal with `code` (docs/WORKSTATION.md lists them).
    public static func failure(_ code: String, _ message: String) -> AgentAnswer {
        var answer = AgentAnswer(ok: false)
        answer.error = Failure(code: code, message: message)
        return answer
    }

    /// The JSON of this answer.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? Array(#"{"ok":false}"#.utf8)
    }
}

/// Who the agent holds keys for: not secret, handed to the agent beside the keys.
public struct AgentIdentity: Codable, Sendable, Equatable {
    /// `grants` (a member key and the grants it opened) or `team-key` (a team key file and a staff key file).
    public var source: String
    /// The key files that were unlocked.
    public var files: [String]
    /// Seconds without a request after which the agent ends.
    public var idleSeconds: Double

    public init(source: String, files: [String], idleSeconds: Double) {
        self.source = source
        self.files = files
        self.idleSeconds = idleSeconds
    }

    enum CodingKeys: String, CodingKey {
        case source, files
        case idleSeconds = "idle_seconds"
    }
}
