// The reporters' side: landing page, form, submission (form and JSON API), receipt
// download and health. Nothing here logs or stores who asked.
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxL10n

struct PublicController: Sendable {
    let intake: Intake
    let reader: SubmissionReader
    let pages: PageFactory
    let logger: Logger
    /// The listener's submission budget, storage reserve and key-derivation places.
    let admission: Admission
    /// The stylesheet in the office's colours, built once.
    let stylesheet: String
    /// The configured German Sign Language video and captions, served from the daemon itself.
    /// The office's logo file and its media type.
    let logo: (path: String, type: String)?
    let signLanguage: SignLanguageMedia?

    struct SignLanguageMedia: Sendable {
        let video: String
        let type: String
        let captions: String
    }

    func addRoutes(to router: Router<SealboxRequestContext>) {
        router.get("/") { request, _ in
            let ctx = pages.context(for: request)
            return pages.html(Pages.landing(ctx), context: ctx)
        }
        router.get("/report") { request, _ in
            let ctx = pages.context(for: request)
            return pages.html(Pages.reportForm(ctx, state: ReportFormState(), limits: pages.formLimits), context: ctx)
        }
        router.post("/report") { request, context in try await submitForm(request, context) }
        router.post("/receipt") { request, _ in try await receipt(request) }
        router.post("/api/v1/reports") { request, context in try await submitAPI(request, context) }
        router.get("/healthz") { _, _ in Self.plain("ok\n") }
        router.refuseOtherMethods([("/", [.get]), ("/report", [.get, .post]), ("/receipt", [.post]),
                                   ("/api/v1/reports", [.post]), ("/healthz", [.get]), ("/static/sealbox.css", [.get]),
                                   ("/privacy", [.get]), ("/imprint", [.get])])
        router.get("/accessibility") { request, _ in
            let ctx = pages.context(for: request)
            return pages.html(Pages.accessibilityStatement(ctx), context: ctx)
        }
        // The privacy notice and the legal notice: the office's own pages when it publishes
        // them elsewhere (a redirect; pages link only to this site), else rendered here.
        router.get("/privacy") { request, _ in
            if !pages.office.notices.privacyURL.isEmpty { return Self.redirect(to: pages.office.notices.privacyURL) }
            let ctx = pages.context(for: request)
            return pages.html(Pages.privacyNotice(ctx), context: ctx)
        }
        router.get("/imprint") { request, _ in
            if !pages.office.notices.imprintURL.isEmpty { return Self.redirect(to: pages.office.notices.imprintURL) }
            guard !pages.office.notices.imprint.isEmpty else { throw PublicError.notFound }
            let ctx = pages.context(for: request)
            return pages.html(Pages.imprint(ctx), context: ctx)
        }
        if let logo {
            router.get("/media/logo") { _, _ in try Self.file(logo.path, type: logo.type) }
        }
        if let signLanguage {
            router.get("/media/sign-language") { _, _ in try Self.file(signLanguage.video, type: signLanguage.type) }
            router.get("/media/sign-language.vtt") { _, _ in try Self.file(signLanguage.captions, type: "text/vtt; charset=utf-8") }
        }
        router.get("/static/sealbox.css") { _, _ in
            var response = Self.plain(stylesheet, type: "text/css; charset=utf-8")
            response.headers[.cacheControl] = "public, max-age=3600"
            return response
        }
    }

    /// Streams a configured file in 64 KiB chunks (a video can be large; it is never held whole).
    static func file(_ path: String, type: String) throws -> Response {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw PublicError.notFound }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(contentLength: size) { writer in
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 65536), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        })
    }

    /// A redirect to an address the office configured (checked at start to be http(s)).
    static func redirect(to address: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = address
        return Response(status: .seeOther, headers: headers)
    }

    static func plain(_ text: String, type: String = "text/plain; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Reads, validates and stores one submission; every staged file is removed afterwards.
    /// Every refusal is a `PublicError`; `echo` keeps what the form carried, for giving it back.
    func accept(_ request: Request, _ context: SealboxRequestContext, allowJSON: Bool, echo: FormEcho? = nil)
        async throws -> SubmissionReceipt
    {
        let reservation = try admission.admitSubmission(request, context)
        defer { reservation?.release() }
        let parsed = try await reader.read(request, allowJSON: allowJSON, echo: echo)
        defer { parsed.discard() }
        let draft = parsed.draft.normalised()
        let issues = draft.issues(limits: intake.settings.limits)
        guard issues.isEmpty else { throw PublicError.invalid(issues) }
        try admission.space.check()
        // The language the reporter used: the page's (or the API answer's), as negotiated.
        let lang = try? LanguageTag(parsing: pages.context(for: request).language.tag)
        do {
            return try await intake.submit(draft, attachments: parsed.attachments, lang: lang, reservation: reservation)
        } catch is PoolSaturated {
            throw admission.busy
        } catch let error as StorageError where error == .collision {
            throw PublicError.internalError
        } catch {
            if Self.isDiskFull(error) { throw PublicError.insufficientStorage }
            throw error
        }
    }

    static func isDiskFull(_ error: any Error) -> Bool {
        if case StagingError.diskFull = error { return true }
        return "\(error)".contains("SQLITE_FULL") || "\(error)".contains("database or disk is full")
    }

    func submitAPI(_ request: Request, _ context: SealboxRequestContext) async throws -> Response {
        let receipt = try await accept(request, context, allowJSON: true)
        var response = pages.json(
            SubmissionCreated(case: receipt.caseReference, code: receipt.code.grouped, received: receipt.day),
            status: .created)
        // The language sealed with the report as the reporter's (PROTOCOL §3.2 `lang`).
        response.headers[.contentLanguage] = pages.context(for: request).language.tag
        return response
    }

    /// The web form: the confirmation, or on any refusal (422, 413, 429, 503, 507, …) the
    /// form again, filled with what the reporter wrote, under the refusal's own status.
    func submitForm(_ request: Request, _ context: SealboxRequestContext) async throws -> Response {
        let ctx = pages.context(for: request)
        let echo = FormEcho()
        do {
            let receipt = try await accept(request, context, allowJSON: false, echo: echo)
            let page = Pages.confirmation(ctx, receipt: Receipt(
                caseReference: receipt.caseReference, groupedCode: receipt.code.grouped, receivedDay: receipt.day,
                contactGiven: echo.contactGiven))
            return pages.html(page, context: ctx)
        } catch let error as PublicError {
            await reader.salvage(request, into: echo)
            let page = Pages.reportForm(ctx, state: ReportFormState(echo, refusal: error), limits: pages.formLimits)
            return pages.refusal(page, error, leftUnread: echo.bodyLeftUnread, context: ctx)
        }
    }

    /// The receipt as a small text file. It checks the form of what it is given and
    /// looks nothing up, so it is no oracle for codes.
    func receipt(_ request: Request) async throws -> Response {
        let bytes = try await request.collectBody(limit: 4096)
        var values: [String: String] = [:]
        for (name, value) in try URLEncodedForm.parse(bytes) { values[name] = value }
        guard let codeText = values["code"], let code = try? ReporterCode(normalising: codeText),
              let caseText = values["case"], let reference = try? CaseReference(parsing: caseText),
              let dayText = values["received"], let day = Day(dayText)
        else { throw PublicError(.unprocessableContent, "error.malformed_body") }
        let ctx = pages.context(for: request)
        let kept = Receipt(caseReference: reference, groupedCode: code.grouped, receivedDay: day,
                           contactGiven: values[ReceiptForm.contactGiven] == "yes")
        if values[ReceiptForm.view] == ReceiptForm.viewPage {
            return pages.html(Pages.confirmation(ctx, receipt: kept), context: ctx)
        }
        var response = Self.plain(Pages.receiptText(ctx, receipt: kept))
        response.headers[.contentDisposition] = "attachment; filename=\"\(Pages.receiptFileName(kept))\""
        return response
    }
}

extension ReportFormState {
    /// The form as the reporter sent it, refused with `error`.
    init(_ echo: FormEcho, refusal error: PublicError) {
        self.init()
        let draft = echo.draft
        text = draft.text
        grounds = Set(draft.grounds)
        area = draft.area
        when = draft.when ?? ""
        whereText = draft.whereText ?? ""
        contact = draft.contact ?? ""
        incidentYear = echo.fields.incidentYear
        incidentMonth = echo.fields.incidentMonth
        incidentDay = echo.fields.incidentDay
        if echo.fields.incidentYear.isEmpty, echo.fields.incidentMonth.isEmpty, let date = draft.incidentDate {
            incidentYear = String(date.year)
            incidentMonth = String(date.month)
            incidentDay = date.dayOfMonth.map(String.init) ?? ""
        }
        errors = error.fieldErrors
        status = Int(error.status.code)
        filesToChooseAgain = echo.fileNames
    }
}
