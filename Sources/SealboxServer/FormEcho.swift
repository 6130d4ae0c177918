// A refused web form comes back filled with what the reporter wrote. Rule: only the
// text fields and the names of the chosen files are kept, never a file's contents; and
// a body the refusal came before is read only as far as its text fields (a bounded
// number of bytes, for a bounded time), so a refusal stays cheap.
import Hummingbird
import MultipartKit
import NIOCore
import SealboxCore

/// What a web form carried, kept for giving it back after a refusal.
final class FormEcho {
    var fields = FormFields()
    /// The names of the chosen files, made safe (no path, no control characters).
    var fileNames: [String] = []
    /// Whether the body has been read, in part or whole (it can be read only once).
    var bodyRead = false
    /// Whether reading stopped before the body ended; the connection is then closed.
    var bodyLeftUnread = false

    /// Takes what `collector` has read so far.
    func keep(_ collector: MultipartCollector) {
        fields = collector.fields
        fileNames = collector.fileNames
    }

    /// The report's fields as the reporter wrote them, trimmed.
    var draft: ReportDraft { fields.draft.normalised() }

    /// Whether the report carried contact details (not only white space).
    var contactGiven: Bool { !(draft.contact ?? "").isEmpty }
}

/// The text fields and file names read from the start of a body, without its files.
struct SalvagedForm: Sendable {
    var fields = FormFields()
    var fileNames: [String] = []
    var ended = false
}

extension SubmissionReader {
    /// How long a salvage waits for the text fields; a browser sends them at once.
    static let salvageTime: Duration = .seconds(2)

    /// How many bytes a salvage reads: the text fields, and enough of the files to see their names.
    var salvageBytes: Int { limits.formFieldsBytes + limits.attachmentCount * 4096 + 64 * 1024 }

    /// Reads the text fields and file names of a body the refusal came before; never fails.
    func salvage(_ request: Request, into echo: FormEcho) async {
        guard !echo.bodyRead else { return }
        echo.bodyRead = true
        let salvaged = await withTaskGroup(of: SalvagedForm?.self) { group in
            group.addTask { await salvageFields(request) }
            group.addTask {
                try? await Task.sleep(for: Self.salvageTime)
                return nil
            }
            var result = SalvagedForm()
            while let next = await group.next() {
                group.cancelAll()  // the first to finish ends the other: a reading stops at its deadline
                if let next { result = next }
            }
            return result
        }
        echo.fields = salvaged.fields
        echo.fileNames = salvaged.fileNames
        echo.bodyLeftUnread = !salvaged.ended
    }

    private func salvageFields(_ request: Request) async -> SalvagedForm {
        guard let media = MediaType(request.headers[.contentType]) else { return SalvagedForm() }
        switch media.type {
        case "application/x-www-form-urlencoded":
            var result = SalvagedForm()
            guard let bytes = try? await request.collectBody(limit: limits.formFieldsBytes),
                  let pairs = try? URLEncodedForm.parse(bytes) else { return result }
            for (name, value) in pairs { result.fields.add(name, value) }
            result.ended = true
            return result
        case "multipart/form-data":
            guard let boundary = media.multipartBoundary else { return SalvagedForm() }
            return await salvageMultipart(request.body, boundary: boundary)
        default:
            return SalvagedForm()
        }
    }

    private func salvageMultipart(_ body: RequestBody, boundary: String) async -> SalvagedForm {
        // The same guarded path as a submission (part header names checked, headers sliced),
        // only without staging any file.
        let feed = MultipartFeed(boundary: boundary, limits: limits, staging: staging, recipients: recipients,
                                 keepsFiles: false)
        let collector = feed.collector
        var received = 0
        var ended = false
        do {
            var chunks = body.makeAsyncIterator()
            while received <= salvageBytes, !Task.isCancelled {
                guard let buffer = try await chunks.next() else {
                    ended = true
                    break
                }
                received += buffer.readableBytes
                try feed.consume(buffer)
            }
        } catch {
            // A malformed or broken-off body: keep what was read before.
        }
        return SalvagedForm(fields: collector.fields, fileNames: collector.fileNames, ended: ended)
    }
}
