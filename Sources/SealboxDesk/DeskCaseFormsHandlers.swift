// The handlers of the case forms (assignment, follow-up day, coding, retention, four-eyes
// deletion): each checks the form token, parses its fields at the edge, calls the
// backend (which runs the CLI command's own code) and redirects (303) to the case page
// with a "done" message. A failure shows the case page again with its truthful status
// (400 a field, 403 a refused token or a lead's confirmation, 404 an unknown case, 409
// a refused four-eyes step, 502 the server), the field marked and what was entered kept.
import Foundation
import HTTPTypes
import Hummingbird
import SealboxCore
import SealboxHTML
import SealboxL10n

extension DeskHandlers {
    /// The routes of the case forms.
    func addCaseFormRoutes(to router: Router<BasicRequestContext>) {
        router.post("/cases/:ref/assign") { request, context -> Response in try await assign(request, context) }
        router.post("/cases/:ref/follow-up") { request, context -> Response in try await followUp(request, context) }
        router.post("/cases/:ref/code") { request, context -> Response in try await code(request, context) }
        router.post("/cases/:ref/retain") { request, context -> Response in try await retain(request, context) }
        router.post("/cases/:ref/delete/request") { request, context -> Response in
            try await requestDeletion(request, context)
        }
        router.get("/cases/:ref/delete") { request, context -> Response in try await deletionPage(request, context) }
        router.post("/cases/:ref/delete/confirm") { request, context -> Response in
            try await confirmDeletion(request, context)
        }
    }

    func assign(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try await caseForm(request, context, form: "assign", names: ["member"]) { keys, form, reference in
            try await desk.backend.assign(reference, to: DeskCaseFormFields.member(form.text("member")), keys: keys)
            return "assigned"
        }
    }

    func followUp(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try await caseForm(request, context, form: "follow_up", names: ["day"]) { keys, form, reference in
            let day: Day?
            if form.text("action") == "clear" {
                day = nil
            } else {
                guard let given = try DeskCaseFormFields.day(form.text("day")) else { throw DeskFailure(.badDay) }
                day = given
            }
            try await desk.backend.setFollowUp(reference, day, keys: keys)
            return "follow_up"
        }
    }

    func code(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let names = CodingScheme.Dimension.allCases.map(\.rawValue)
        return try await caseForm(request, context, form: "code", names: names) { keys, form, reference in
            let choice = try DeskCaseFormFields.coding { form.texts($0) }
            try await desk.backend.code(reference, choice, keys: keys)
            return "coded"
        }
    }

    func retain(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try await caseForm(request, context, form: "retain", names: ["until", "reason"]) { keys, form, reference in
            let until = try DeskCaseFormFields.futureDay(form.text("until"), today: .today())
            let reason = try DeskCaseFormFields.reason(form.text("reason"))
            try await desk.backend.retain(reference, until: until, reason: reason, keys: keys)
            return "retained"
        }
    }

    func requestDeletion(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try await caseForm(request, context, form: "delete", names: ["reason", "reference"]) { keys, form, reference in
            let reason = try DeskCaseFormFields.reason(form.text("reason"))
            try DeskCaseFormFields.typedReference(form.text("reference"), matches: reference)
            switch try await desk.backend.requestDeletion(reference, reason: reason, keys: keys) {
            case .requested: return "deletion_requested"
            case .deleted: return "deleted"
            }
        }
    }

    /// The confirmation page: the day of the report and its first words.
    func deletionPage(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let pages = await pagesFor(request)
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        guard let reference = Self.reference(context) else {
            return Self.page(.notFound, pages.problem(pages.texts["error.unknown_case"], unlocked: true))
        }
        return await confirmationPage(reference, keys: keys, pages: pages, message: .empty, status: .ok)
    }

    private func confirmationPage(_ reference: CaseReference, keys: any DeskKeys, pages: DeskPages, message: HTML,
                                  status: HTTPResponse.Status) async -> Response {
        do {
            let preview = try await desk.backend.deletionPreview(reference, keys: keys)
            return Self.page(status, pages.deletionConfirmation(reference, preview, message: message))
        } catch {
            return Self.page(Self.status(of: error), pages.problem(pages.failureText(error), unlocked: true))
        }
    }

    func confirmDeletion(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let pages = await pagesFor(request)
        guard var form = try await readForm(request) else { return refused(pages, unlocked: await session.isUnlocked) }
        form.wipe()
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        guard let reference = Self.reference(context) else {
            return Self.page(.notFound, pages.problem(pages.texts["error.unknown_case"], unlocked: true))
        }
        do {
            try await desk.backend.confirmDeletion(reference, keys: keys)
            return Self.redirect("/?caseforms=deleted")
        } catch {
            let text = pages.caseFormFailureText(error)
            if error.kind == .unknownCase {
                return Self.page(.notFound, pages.problem(text, unlocked: true))
            }
            return await confirmationPage(reference, keys: keys, pages: pages, message: pages.notice(text, error: true),
                                          status: Self.status(of: error))
        }
    }

    /// A case form: token, keys, the work, a redirect to the case page with the work's
    /// "done" text (to the inbox when the case is gone); a failure shows the case page with
    /// the form's fields `names` as entered.
    private func caseForm(_ request: Request, _ context: BasicRequestContext, form name: String, names: [String],
                          _ work: (any DeskKeys, DeskForm, CaseReference) async throws -> String) async throws -> Response {
        let pages = await pagesFor(request)
        guard var form = try await readForm(request) else { return refused(pages, unlocked: await session.isUnlocked) }
        defer { form.wipe() }
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        guard let reference = Self.reference(context) else {
            return Self.page(.notFound, pages.problem(pages.texts["error.unknown_case"], unlocked: true))
        }
        do {
            let done = try await work(keys, form, reference)
            return Self.redirect(done == "deleted" ? "/?caseforms=deleted" : "/cases/\(reference.text)?caseforms=\(done)")
        } catch {
            let failure = (error as? DeskFailure) ?? DeskFailure(.other)
            let text = pages.caseFormFailureText(failure)
            if failure.kind == .unknownCase {
                return Self.page(.notFound, pages.problem(text, unlocked: true))
            }
            var values: [String: [String]] = [:]
            for field in names { values[field] = form.texts(field) }
            let state = DeskCaseFormState(form: name, field: DeskCaseFormFields.field(failure, form: name), message: text,
                                          values: values)
            return await render(reference, keys: keys, pages: pages, message: pages.notice(text, error: true),
                                status: Self.status(of: failure), caseForm: state)
        }
    }
}
