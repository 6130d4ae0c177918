// An entry point for the fuzz package (Fuzz/, docs/FUZZING.md): the multipart path of a
// submission without HTTP, through the same MediaType, MultipartFeed and MultipartCollector
// as `SubmissionReader`, with limits small enough that short inputs reach every refusal.
// Nothing here is used by the daemon.
import Foundation
import HTTPTypes
import NIOCore
import SealboxCore
import SealboxCrypto

/// The multipart reader of submissions, for the fuzz target `FuzzMultipart`.
public enum MultipartFuzzing {
    /// What became of one body.
    public struct Outcome: Sendable {
        /// The HTTP status and API error code of the refusal; nil when the body was accepted.
        public var failure: (status: Int, code: String)?
        /// The accepted text fields by name; `grounds` holds one value per line.
        public var fields: [String: String] = [:]
        /// The accepted attachments.
        public var attachments: [Attachment] = []

        init() {}

        init(refused error: PublicError) {
            failure = (Int(error.status.code), error.code)
        }
    }

    /// One accepted attachment, as its manifest describes it.
    public struct Attachment: Sendable {
        public var name: String
        public var type: String
        public var size: Int
        /// The sealed staging file, already removed when `read` returns.
        public var file: URL
    }

    /// At most this many files…
    public static let attachmentCount = 2
    /// …of at most this many bytes…
    public static let attachmentSize = 300
    /// …and this many in all.
    public static let attachmentTotal = 500

    static let limits: SubmissionLimits = {
        var limits = SubmissionLimits()
        limits.textLength = 200
        limits.fieldLength = 20
        limits.attachmentCount = attachmentCount
        limits.attachmentSize = attachmentSize
        limits.attachmentTotal = attachmentTotal
        return limits
    }()

    private static let recipient = BoxSecretKey.generate().publicKey

    /// Reads `body` as a submission with the `Content-Type` header `contentType`, handing it to
    /// the parser in buffers of `chunkSize` bytes (the whole body at once when 0), with files
    /// staged in `stagingDirectory`. Every staged file is removed before it returns.
    public static func read(contentType: String, body: [UInt8], chunkSize: Int, stagingDirectory: URL) -> Outcome {
        guard let media = MediaType(contentType), media.type == "multipart/form-data" else {
            return Outcome(refused: .unsupportedMediaType)
        }
        guard let boundary = media.multipartBoundary else { return Outcome(refused: .malformedBody) }
        guard let staging = try? UploadStaging(directory: stagingDirectory) else { return Outcome(refused: .internalError) }
        let feed = MultipartFeed(boundary: boundary, limits: limits, staging: staging, recipients: [recipient])
        let step = chunkSize > 0 ? chunkSize : max(body.count, 1)
        do {
            for start in stride(from: 0, to: body.count, by: step) {
                try feed.consume(ByteBuffer(bytes: body[start..<min(body.count, start + step)]))
            }
            let parsed = try feed.finish()
            defer { parsed.discard() }
            let fields = parsed.fields
            var outcome = Outcome()
            outcome.fields = [
                "text": fields.text, "when": fields.when, "where": fields.whereText, "contact": fields.contact,
                "area": fields.area, "grounds": fields.grounds.joined(separator: "\n"), "code": fields.code,
                "visit": fields.visit,
            ]
            outcome.attachments = parsed.attachments.map {
                Attachment(name: $0.manifest.name, type: $0.manifest.type, size: $0.manifest.size, file: $0.blob.file)
            }
            return outcome
        } catch {
            feed.collector.discardAll()
            return Outcome(refused: error as? PublicError ?? .internalError)
        }
    }
}
