// Attachments in the browser's sandbox (issue 11, docs/design/DESK.md §4). The case page
// lists a message's attachments with the reporter's name (escaped), size and sniffed
// kind; /cases/REF/attachments/ID opens the sealed blob in memory and answers with
// `Content-Security-Policy: sandbox`, `nosniff` and `no-store`. Only images (PNG, JPEG,
// GIF, WebP) and PDF, sniffed by their magic bytes and never by the reporter's declared
// type, are shown inline; every other kind first gets a warning page, and only its
// download button (`?download=1`) serves the bytes, as `attachment` with a safe name.
// Nothing is written to disk.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SealboxCore
import SealboxHTML
import SealboxL10n
import SealboxWorkstation

/// An attachment of a report or follow-up, as listed on the case page.
public struct DeskAttachment: Sendable, Equatable {
    public var id: AttachmentID
    /// The name the reporter gave (untrusted: escaped when shown, sanitised when saved).
    public var name: String
    public var size: Int
    /// The sniffed kind; nil when it is not fetched yet or did not open.
    public var kind: AttachmentKind?

    public init(id: AttachmentID, name: String, size: Int, kind: AttachmentKind?) {
        self.id = id
        self.name = name
        self.size = size
        self.kind = kind
    }
}

/// An attachment opened in memory.
public struct DeskAttachmentContent: Sendable {
    public var name: String
    public var bytes: [UInt8]
    public var kind: AttachmentKind { AttachmentKind.sniff(bytes) }

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// The headers of an attachment's bytes, replacing the pages' policy.
enum AttachmentHeaders {
    static let contentSecurityPolicy = "sandbox"

    static func fields(kind: AttachmentKind, name: String, download: Bool) -> HTTPFields {
        let inline = kind.showsInline && !download
        var fields: HTTPFields = [:]
        fields[.contentType] = inline ? kind.mediaType : "application/octet-stream"
        fields[.contentSecurityPolicy] = contentSecurityPolicy
        fields[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        fields[.cacheControl] = "no-store"
        fields[.contentDisposition] = FileNames.contentDisposition(inline ? "inline" : "attachment", name: name)
        return fields
    }
}

extension DeskHandlers {
    /// GET /cases/REF/attachments/ID (`?download=1` after the warning).
    func attachment(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let pages = await pagesFor(request)
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        guard let reference = Self.reference(context),
              let id = context.parameters.get("id").flatMap({ try? AttachmentID(parsing: $0) }) else {
            return Self.page(.notFound, pages.problem(pages.texts["error.attachment_unknown"], unlocked: true))
        }
        let content: DeskAttachmentContent
        do {
            content = try await desk.backend.attachment(reference, id: id, keys: keys)
        } catch {
            return Self.page(Self.status(of: error), pages.attachmentProblem(reference.text, failure: error))
        }
        let kind = content.kind
        let download = request.uri.queryParameters.get("download") == "1"
        if !kind.showsInline && !download {
            return Self.page(.ok, pages.attachmentWarning(reference.text, id: id, name: content.name, size: content.bytes.count))
        }
        return Response(status: .ok, headers: AttachmentHeaders.fields(kind: kind, name: content.name, download: download),
                        body: .init(byteBuffer: ByteBuffer(bytes: content.bytes)))
    }
}

extension DeskPages {
    /// The attachments of one message: name, size, kind, a link (an image also shown, its
    /// name as alt text).
    func attachmentList(_ attachments: [DeskAttachment], reference: String) -> HTML {
        guard !attachments.isEmpty else { return .empty }
        var out: HTML = "<h4>\(t("attachment.heading"))</h4>\n<ul class=\"attachments\">\n"
        for attachment in attachments {
            let href = "/cases/\(reference)/attachments/\(attachment.id.text)"
            let kind = attachment.kind.map { texts["attachment.kind." + $0.rawValue] } ?? texts["attachment.kind.unknown"]
            let size = Self.size(attachment.size)
            let action = attachment.kind?.showsInline == true ? t("attachment.open") : t("attachment.check")
            out += """
                <li><a href="\(escaping: href)"><span dir="auto">\(escaping: attachment.name)</span></a> \
                (\(escaping: size), \(escaping: kind)) – \(action)
                """
            if attachment.kind?.isImage == true {
                out += "<br><img class=\"attachment-image\" src=\"\(escaping: href)\" alt=\"\(escaping: texts.format("attachment.image_alt", attachment.name))\">"
            }
            out += "</li>\n"
        }
        return out + "</ul>\n"
    }

    /// A size in bytes, KB or MB (1000-based, as `sealbox show` prints it).
    static func size(_ bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        if bytes < 1_000_000 { return "\(bytes / 1000) KB" }
        let tenths = bytes / 100_000
        return "\(tenths / 10).\(tenths % 10) MB"
    }

    /// The page before a download of a kind the browser must not show.
    func attachmentWarning(_ reference: String, id: AttachmentID, name: String, size: Int) -> String {
        let title = texts["attachment.warning.heading"]
        let main: HTML = """
            <h1>\(escaping: title)</h1>
            <div class="error" role="alert"><p>\(t("attachment.warning.text"))</p></div>
            <dl><dt>\(t("attachment.warning.name"))</dt><dd dir="auto">\(escaping: name)</dd>\
            <dt>\(t("attachment.warning.saved_as"))</dt><dd dir="auto">\(escaping: FileNames.sanitise(name))</dd>\
            <dt>\(t("attachment.warning.size"))</dt><dd>\(escaping: Self.size(size))</dd></dl>
            <form method="get" action="/cases/\(escaping: reference)/attachments/\(escaping: id.text)">
            <input type="hidden" name="download" value="1">
            <p><button type="submit">\(t("attachment.warning.download"))</button></p>
            </form>
            <p><a href="/cases/\(escaping: reference)">\(t("attachment.back"))</a></p>
            """
        return layout(title: title, unlocked: true, main)
    }

    /// An attachment that could not be opened: unknown, damaged or unreachable.
    func attachmentProblem(_ reference: String, failure: DeskFailure) -> String {
        let title = texts["attachment.problem.heading"]
        let main: HTML = """
            <h1>\(escaping: title)</h1>
            <div class="error" role="alert"><p>\(escaping: failureText(failure))</p></div>
            <p><a href="/cases/\(escaping: reference)">\(t("attachment.back"))</a></p>
            """
        return layout(title: title, unlocked: true, main)
    }
}
