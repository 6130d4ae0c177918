// The handlers of the team page (docs/design/DESK.md §5). A change is accepted only with
// the form's token (else 403), only from a lead of the verified roster (else 403 with
// the words why, and nothing is signed), and removing or rotating only from the second,
// confirming page. Fields are checked here or by the CLI's code (400 with a message);
// a wrong passphrase is 401; success redirects to the team page (303).
import Foundation
import HTTPTypes
import Hummingbird
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n

extension DeskHandlers {
    func teamPage(_ request: Request) async throws -> Response {
        let pages = await pagesFor(request)
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        var message = HTML.empty
        if let done = request.uri.queryParameters.get("done"), ["add", "remove", "rotate", "restrict"].contains(done) {
            message = pages.notice(pages.texts["team.done." + done], error: false)
        }
        do {
            return Self.page(.ok, pages.team(try await desk.backend.team(keys: keys), message: message))
        } catch {
            return Self.page(Self.status(of: error), pages.problem(pages.failureText(error), unlocked: true))
        }
    }

    /// The change a form asks for, by its path.
    enum TeamForm {
        case add, remove, removeConfirm, rotate, rotateConfirm, restrict
    }

    func teamChange(_ request: Request, form kind: TeamForm) async throws -> Response {
        let pages = await pagesFor(request)
        guard var form = try await readForm(request) else { return refused(pages, unlocked: await session.isUnlocked) }
        defer { form.wipe() }
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        do {
            let team = try await desk.backend.team(keys: keys)
            guard team.youAreLead else { throw DeskFailure(.notLead) }
            let change: DeskTeamChange
            switch kind {
            case .add:
                guard let label = form.text("label")?.trimmingCharacters(in: .whitespaces), !label.isEmpty,
                      let key = form.text("key"), !key.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                      let role = form.text("role").flatMap(RosterRole.init(rawValue:))
                else { throw DeskFailure(.badField) }
                change = .add(label: label, publicKey: key, role: role)
            case .remove, .removeConfirm:
                guard let label = form.text("label"),
                      team.members.contains(where: { $0.active && $0.label == label }) else { throw DeskFailure(.badField) }
                change = .remove(label: label)
            case .rotate, .rotateConfirm:
                change = .rotate
            case .restrict:
                guard let reference = form.text("case").flatMap({ try? CaseReference(parsing: $0.trimmingCharacters(in: .whitespaces)) }),
                      let labels = form.text("to"), !labels.trimmingCharacters(in: .whitespaces).isEmpty
                else { throw DeskFailure(.badField) }
                change = .restrict(reference, labels: labels)
            }
            // Removing and rotating: the first post only shows the confirming page.
            if kind == .remove || kind == .rotate {
                return Self.page(.ok, pages.teamConfirm(change))
            }
            guard let passphrase = form.secret("passphrase") else { throw DeskFailure(.wrongPassphrase) }
            try await desk.backend.changeTeam(change, passphrase: passphrase, keys: keys)
            return Self.redirect("/team?done=\(change.name)")
        } catch {
            let failure = (error as? DeskFailure) ?? DeskFailure(.other)
            let text = pages.failureText(failure)
            let status = Self.status(of: failure)
            if failure.kind != .notLead, let team = try? await desk.backend.team(keys: keys) {
                return Self.page(status, pages.team(team, message: pages.notice(text, error: true)))
            }
            return Self.page(status, pages.problem(text, unlocked: true))
        }
    }
}
