// Turns a request body into a report draft and sealed attachments. Attachments are
// encrypted while they stream in; when anything fails, every staged file is removed
// and nothing reaches the database.
import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import SealboxAPI
import SealboxCore
import SealboxCrypto

/// A parsed submission: the draft and its attachments, already sealed to staging files.
struct ParsedSubmission {
    var draft = ReportDraft()
    var attachments: [SealedAttachment] = []
    var fields = FormFields()

    /// Removes the staging files (after the commit, or on failure).
    func discard() {
        for attachment in attachments { try? FileManager.default.removeItem(at: attachment.blob.file) }
    }
}

/// Reads `application/json`, `application/x-www-form-urlencoded` and `multipart/form-data`.
struct SubmissionReader: Sendable {
    let limits: SubmissionLimits
    let staging: UploadStaging
    /// The team's keys, read when an upload starts (they change when the roster rotates).
    let team: TeamRecipients

    var recipients: [BoxPublicKey] { team.current }

    /// `echo`, when given, keeps the text fields and file names read so far, also when reading fails.
    func read(_ request: Request, allowJSON: Bool, echo: FormEcho? = nil) async throws -> ParsedSubmission {
        guard let media = MediaType(request.headers[.contentType]) else { throw PublicError.unsupportedMediaType }
        switch media.type {
        case "application/json" where allowJSON:
            return try decodeJSON(try await request.collectBody(limit: limits.jsonBody))
        case "application/x-www-form-urlencoded":
            try request.checkDeclaredLength(limit: limits.formFieldsBytes)
            echo?.bodyRead = true
            let pairs = try URLEncodedForm.parse(try await request.collectBody(limit: limits.formFieldsBytes))
            var fields = FormFields()
            for (name, value) in pairs { fields.add(name, value) }
            echo?.fields = fields
            return ParsedSubmission(draft: fields.draft, fields: fields)
        case "multipart/form-data":
            guard let boundary = media.multipartBoundary else { throw PublicError.malformedBody }
            return try await readMultipart(request, boundary: boundary, echo: echo)
        default:
            throw PublicError.unsupportedMediaType
        }
    }

    func decodeJSON(_ bytes: [UInt8]) throws -> ParsedSubmission {
        _ = try utf8(bytes)
        guard let body = try? APICoding.decode(ReportRequest.self, from: bytes) else { throw PublicError.malformedBody }
        var fields = FormFields()
        fields.code = body.code ?? ""
        let draft = ReportDraft(
            text: body.text ?? "", grounds: body.grounds ?? [], area: body.area, when: body.when,
            where: body.where, contact: body.contact, incident: IncidentDate.entered(body.incident, today: .today()))
        return ParsedSubmission(draft: draft, fields: fields)
    }

    func readMultipart(_ request: Request, boundary: String, echo: FormEcho? = nil) async throws -> ParsedSubmission {
        try request.checkDeclaredLength(limit: limits.multipartBody)
        let feed = MultipartFeed(boundary: boundary, limits: limits, staging: staging, recipients: recipients)
        echo?.bodyRead = true
        defer { echo?.keep(feed.collector) }
        do {
            for try await buffer in request.body { try feed.consume(buffer) }
            return try feed.finish()
        } catch {
            feed.collector.discardAll()
            throw error
        }
    }
}

/// A multipart body on its way through the parser into a collector, buffer by buffer:
/// the one path of `readMultipart` and of `MultipartFuzzing`. On a throw the caller
/// calls `collector.discardAll()`.
final class MultipartFeed {
    let collector: MultipartCollector
    private let parser: MultipartParser
    private var headerNames: PartHeaderNameGuard
    private let limit: Int
    private var received = 0

    init(boundary: String, limits: SubmissionLimits, staging: UploadStaging, recipients: [BoxPublicKey],
         keepsFiles: Bool = true) {
        let collector = MultipartCollector(limits: limits, staging: staging, recipients: recipients, keepsFiles: keepsFiles)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { collector.header($0, $1) }
        parser.onBody = { collector.body(&$0) }
        parser.onPartComplete = { collector.complete() }
        self.collector = collector
        self.parser = parser
        self.headerNames = PartHeaderNameGuard(boundary: boundary)
        self.limit = limits.multipartBody
    }

    /// Parses the next buffer of the body; throws the public error the request gets.
    func consume(_ buffer: ByteBuffer) throws {
        received += buffer.readableBytes
        if received > limit { throw PublicError.bodyTooLarge }
        guard headerNames.admits(buffer.readableBytesView) else { throw PublicError.malformedBody }
        // Part headers go to the parser in small slices, so that their cap is checked
        // before a long header line is parsed (MultipartKit copies it on every call).
        var buffer = buffer
        while buffer.readableBytes > 0 {
            let wasInHeaders = collector.inHeaders
            let length = wasInHeaders ? min(buffer.readableBytes, MultipartCollector.headerSlice) : buffer.readableBytes
            let slice = buffer.readSlice(length: length)!
            do { try parser.execute(slice) } catch { throw PublicError.malformedBody }
            if wasInHeaders && collector.inHeaders { collector.countHeaderBytes(length) }
            if let failure = collector.failure { throw failure }
        }
    }

    /// The submission once the whole body was consumed; a body without a complete part is malformed.
    func finish() throws -> ParsedSubmission {
        guard collector.partsCompleted > 0, !collector.inPart else { throw PublicError.malformedBody }
        return ParsedSubmission(draft: collector.fields.draft, attachments: collector.attachments, fields: collector.fields)
    }
}

/// The text fields of a form, in the vocabulary of the report.
struct FormFields {
    var text = "", when = "", whereText = "", contact = "", area = ""
    var grounds: [String] = []
    /// The incident date: the API's one field, or the report form's three inputs.
    var incident = "", incidentYear = "", incidentMonth = "", incidentDay = ""
    /// The reporter's code (inbox API follow-ups) and the visit's form token (inbox pages).
    var code = "", visit = ""

    mutating func add(_ name: String, _ value: String) {
        switch name {
        case "text": text = value
        case "grounds", "grounds[]": grounds.append(value)
        case "area": area = value
        case "when": when = value
        case "where": whereText = value
        case "contact": contact = value
        case "incident": incident = value
        case "incident_year": incidentYear = value
        case "incident_month": incidentMonth = value
        case "incident_day": incidentDay = value
        case "code": code = value
        case "visit": visit = value
        default: break
        }
    }

    var draft: ReportDraft {
        ReportDraft(text: text, grounds: grounds, area: area, when: when, where: whereText, contact: contact,
                    incident: incidentEntry(today: .today()))
    }

    /// The incident date as entered (the reporters' side never moves the day, DaemonClock.swift).
    func incidentEntry(today: Day) -> Result<IncidentDate, IncidentDate.Problem>? {
        IncidentDate.entered(incident, today: today)
            ?? IncidentDate.entered(year: incidentYear, month: incidentMonth, day: incidentDay, today: today)
    }
}

/// Receives the callbacks of the multipart parser and seals file parts as they stream.
final class MultipartCollector {
    let limits: SubmissionLimits
    let staging: UploadStaging
    let recipients: [BoxPublicKey]
    var fields = FormFields()
    var attachments: [SealedAttachment] = []
    var failure: PublicError?
    /// The names of the files the form carried, as the reporter's browser sent them.
    var fileNames: [String] = []
    /// False when only the text fields and file names are wanted: no file is staged.
    let keepsFiles: Bool
    var partsCompleted = 0
    var inPart = false
    /// Between a boundary (or the start) and the first body byte of a part.
    private(set) var inHeaders = true
    /// The caps of one part's headers: their bytes (counted in `headerSlice` steps, and
    /// against the form's field budget too) and their number.
    static let headerBytesLimit = 8 * 1024
    static let headerCountLimit = 32
    static let headerSlice = 1024
    private var headerBytes = 0
    private var headerCount = 0
    private var headers: [String: String] = [:]
    private var fieldBytes: [UInt8] = []
    private var fieldTotal = 0
    private var upload: SealedUpload?
    private var attachmentTotal = 0
    private var started = false
    private var namedThisPart = false

    init(limits: SubmissionLimits, staging: UploadStaging, recipients: [BoxPublicKey], keepsFiles: Bool = true) {
        self.limits = limits
        self.staging = staging
        self.recipients = recipients
        self.keepsFiles = keepsFiles
    }

    func header(_ name: String, _ value: String) {
        inPart = true
        headerCount += 1
        guard headerCount <= Self.headerCountLimit else { return fail(.partHeadersTooLarge) }
        headers[name.lowercased()] = value
    }

    /// Counts bytes the parser read while in a part's headers (or the preamble).
    func countHeaderBytes(_ count: Int) {
        headerBytes += count
        fieldTotal += count
        guard headerBytes <= Self.headerBytesLimit, fieldTotal <= limits.formFieldsBytes else {
            return fail(.partHeadersTooLarge)
        }
    }

    private var disposition: [String: String] {
        guard let value = headers["content-disposition"] else { return [:] }
        return HeaderParameters.parse(value.split(separator: ";", maxSplits: 1).dropFirst().first.map(String.init) ?? "")
    }

    private var isFile: Bool { disposition["filename"] != nil }

    /// Notes the name of the current file part once (an empty file input has no name).
    private func noteFileName() {
        guard !namedThisPart, disposition["name"] == "attachment", let name = disposition["filename"], !name.isEmpty else { return }
        namedThisPart = true
        fileNames.append(Self.safeFilename(name, index: fileNames.count + 1))
    }

    func body(_ buffer: inout ByteBuffer) {
        inHeaders = false
        inPart = true
        if isFile { noteFileName() }
        guard failure == nil else { return }
        if isFile {
            guard keepsFiles, disposition["name"] == "attachment" else { return }
            do {
                if upload == nil {
                    guard attachments.count < limits.attachmentCount else { return fail(.tooManyFiles) }
                    upload = try staging.begin(recipients: recipients)
                }
                let size = (upload?.plaintextSize ?? 0) + buffer.readableBytes
                guard size <= limits.attachmentSize, attachmentTotal + buffer.readableBytes <= limits.attachmentTotal else {
                    return fail(.fileTooLarge)
                }
                attachmentTotal += buffer.readableBytes
                try buffer.withUnsafeReadableBytes { try upload!.append($0) }
            } catch StagingError.diskFull {
                fail(.insufficientStorage)
            } catch {
                fail(.internalError)
            }
        } else {
            fieldTotal += buffer.readableBytes
            guard fieldTotal <= limits.formFieldsBytes else { return fail(.bodyTooLarge) }
            fieldBytes.append(contentsOf: buffer.readableBytesView)
        }
    }

    func complete() {
        if isFile { noteFileName() }
        defer {
            headers = [:]
            fieldBytes = []
            upload = nil
            inPart = false
            namedThisPart = false
            partsCompleted += 1
            inHeaders = true
            headerBytes = 0
            headerCount = 0
        }
        guard failure == nil else { return }
        let disposition = self.disposition
        guard let name = disposition["name"] else { return }
        if let filename = disposition["filename"] {
            guard name == "attachment", let upload else { return }  // an empty file input sends an empty part
            do {
                let blob = try upload.finish()
                let manifest = AttachmentManifest(
                    id: upload.id, name: Self.safeFilename(filename, index: attachments.count + 1),
                    type: Self.safeMediaType(headers["content-type"]), size: upload.plaintextSize)
                attachments.append(SealedAttachment(blob: blob, manifest: manifest))
            } catch StagingError.diskFull {
                upload.discard()
                fail(.insufficientStorage)
            } catch {
                upload.discard()
                fail(.internalError)
            }
        } else {
            guard let value = String(validating: fieldBytes, as: UTF8.self) else { return fail(.invalidUTF8) }
            fields.add(name, value)
        }
    }

    private func fail(_ error: PublicError) {
        if failure == nil { failure = error }
        upload?.discard()
        upload = nil
    }

    /// Removes every staged file of this request.
    func discardAll() {
        upload?.discard()
        upload = nil
        for attachment in attachments { try? FileManager.default.removeItem(at: attachment.blob.file) }
        attachments = []
    }

    /// A file name without any path, control characters or surprises; at most 200 characters.
    static func safeFilename(_ raw: String, index: Int) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(String.UnicodeScalarView(last.unicodeScalars.filter {
            !CharacterSet.controlCharacters.contains($0) && $0 != "\u{202E}" && $0 != "\u{202D}"
        })).trimmingCharacters(in: .whitespaces)
        let trimmed = cleaned.hasPrefix(".") ? "_" + cleaned.dropFirst() : cleaned
        return trimmed.isEmpty ? "attachment-\(index)" : String(trimmed.prefix(200))
    }

    static func safeMediaType(_ raw: String?) -> String {
        let type = raw?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.+-/")
        guard type.count <= 100, type.split(separator: "/").count == 2,
              type.unicodeScalars.allSatisfy({ allowed.contains($0) })
        else { return "application/octet-stream" }
        return type
    }
}
