// The reply composer of the case page (issue 11, docs/design/DESK.md §5): a template in
// the reporter's language (chosen with a GET form, so no script is needed), a textarea,
// Preview and Send. Both buttons post to /cases/REF/reply with the same form token;
// `action=preview` only re-renders the page with the text as the reporter's inbox will
// show it (their language and direction), and sends nothing. A text that still holds a
// [[placeholder]] is flagged in the preview and refused on Send.
import Foundation
import HTTPTypes
import Hummingbird
import SealboxCore
import SealboxHTML
import SealboxL10n
import SealboxWorkstation

/// What a request asks of the composer: a template to start from, or a posted text.
struct DeskComposerInput: Sendable {
    var template: String?
    var text: String?
    var preview = false
    var refusal: String?
}

/// The composer as the page shows it.
struct DeskComposer {
    /// The templates in the reporter's language (nil when the office's files are broken).
    var choice: ReplyTemplates.Choice?
    /// The reporter's language as sealed in the newest report or follow-up that names one.
    var reporterLanguage: String?
    /// The template chosen, if it is one of `ReplyTemplates.names`.
    var template: String?
    var text: String = ""
    var preview = false
    /// Why the office's template files could not be read.
    var templateError: String?
    /// Why the text was not sent (a placeholder left, an empty text).
    var refusal: String?

    /// A composer with no templates (the page still works without them).
    init(thread: DeskThread) {
        reporterLanguage = Self.reporterLanguage(of: thread)
    }

    init(thread: DeskThread, templates: Result<ReplyTemplates, DeskFailure>, input: DeskComposerInput) {
        reporterLanguage = Self.reporterLanguage(of: thread)
        switch templates {
        case .success(let templates): choice = templates.choose(for: reporterLanguage)
        case .failure(let failure): templateError = failure.detail ?? ""
        }
        if let name = input.template, ReplyTemplates.names.contains(name) {
            template = name
            text = choice?.texts[name] ?? ""
        }
        if let posted = input.text { text = posted }
        preview = input.preview
        refusal = input.refusal
    }

    /// The language of the newest reporter message that names one and whose authorship
    /// checked out (as `sealbox reply` chooses it).
    static func reporterLanguage(of thread: DeskThread) -> String? {
        thread.items.last {
            ($0.kind == .report || $0.kind == .followUp) && $0.check == .checked && $0.language != nil
        }?.language
    }

    /// The language of the reporter's pages, where the reply will be read: the reporter's
    /// when the pages speak it, else the templates' (German when nothing is known).
    var readerLanguage: Language {
        reporterLanguage.flatMap(Language.named) ?? Language.named(choice?.language ?? ReplyTemplates.fallbackLanguage)
            ?? .german
    }
}

extension DeskHandlers {
    /// The composer for a thread, with the backend's templates.
    func composer(for thread: DeskThread, _ input: DeskComposerInput) -> DeskComposer {
        let templates: Result<ReplyTemplates, DeskFailure>
        do {
            templates = .success(try desk.backend.replyTemplates())
        } catch {
            templates = .failure(error)
        }
        return DeskComposer(thread: thread, templates: templates, input: input)
    }

    /// A post to /cases/REF/reply with `action=preview`, or a Send whose text still holds
    /// a placeholder: the case page again with the text kept; nil lets the reply be sent.
    func preview(_ request: Request, _ context: BasicRequestContext, keys: any DeskKeys, form: DeskForm) async -> Response? {
        guard let reference = Self.reference(context) else { return nil }
        let pages = await pagesFor(request)
        let text = (form.text("text") ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let placeholders = ReplyTemplates.placeholders(in: text)
        if form.text("action") == "preview" {
            var input = DeskComposerInput(text: text, preview: true)
            var status: HTTPResponse.Status = .ok
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                input.preview = false
                input.refusal = pages.texts["error.empty_text"]
                status = .badRequest
            }
            return await render(reference, keys: keys, pages: pages, message: .empty, status: status, composer: input)
        }
        guard !placeholders.isEmpty else { return nil }
        let refusal = pages.texts.format("composer.placeholder_left", placeholders.joined(separator: ", "))
        return await render(reference, keys: keys, pages: pages, message: pages.notice(refusal, error: true),
                            status: .badRequest, composer: DeskComposerInput(text: text, preview: true, refusal: refusal))
    }

    /// The reply text of a Send: as `text(_:)`, and never with a placeholder left.
    static func replyText(_ form: DeskForm) throws(DeskFailure) -> String {
        let text = try text(form)
        guard ReplyTemplates.placeholders(in: text).isEmpty else { throw DeskFailure(.placeholderLeft) }
        return text
    }
}

extension DeskPages {
    /// The composer section: template choice, text, Preview and Send, and the preview.
    func composerSection(_ ref: String, _ composer: DeskComposer) -> HTML {
        let replyPath = "/cases/\(ref)/reply"
        var out: HTML = "<section aria-labelledby=\"reply-h\"><h2 id=\"reply-h\">\(t("form.reply.heading"))</h2>\n"
        out += languageNote(composer)
        if let error = composer.templateError {
            out += notice(texts.format("composer.templates_broken", error), error: true)
        } else if composer.choice != nil {
            var options = HTML.empty
            for name in ReplyTemplates.names {
                let selected: HTML = name == composer.template ? " selected" : .empty
                options += "<option value=\"\(escaping: name)\"\(selected)>\(t("composer.template." + name))</option>"
            }
            out += """
                <form method="get" action="/cases/\(escaping: ref)">
                <p><label for="template">\(t("composer.template"))</label>
                <select id="template" name="template">\(options)</select>
                <button type="submit">\(t("composer.use"))</button></p>
                </form>

                """
        }
        let reader = composer.readerLanguage
        let invalid: HTML = composer.refusal != nil ? " aria-invalid=\"true\" aria-describedby=\"reply-problem\"" : .empty
        if let refusal = composer.refusal {
            out += "<p class=\"field-error\" id=\"reply-problem\">\(escaping: refusal)</p>\n"
        }
        out += """
            <form method="post" action="\(escaping: replyPath)">\(tokenField(replyPath))
            <p><label for="reply">\(t("form.reply.label"))</label>
            <textarea id="reply" name="text" rows="12" cols="60" lang="\(escaping: reader.htmlLang)" dir="auto" \
            required\(invalid)>\(escaping: composer.text)</textarea></p>
            <p class="hint">\(t("composer.hint"))</p>
            <p class="buttons"><button type="submit" name="action" value="preview">\(t("composer.preview"))</button> \
            <button type="submit" name="action" value="send">\(t("form.reply.submit"))</button></p>
            </form>

            """
        if composer.preview { out += previewSection(composer, reader: reader) }
        return out + "</section>\n"
    }

    private func languageNote(_ composer: DeskComposer) -> HTML {
        let name = { (tag: String) -> String in Language.named(tag).map { "\($0.nativeName) (\(tag))" } ?? tag }
        guard let reporter = composer.reporterLanguage else {
            return "<p class=\"language\">\(t("composer.language_unknown"))</p>\n"
        }
        if let choice = composer.choice, choice.fellBack {
            return "<p class=\"language\">\(escaping: texts.format("composer.language_fallback", name(reporter)))</p>\n"
        }
        return "<p class=\"language\">\(escaping: texts.format("composer.language", name(reporter)))</p>\n"
    }

    /// The text as the reporter's inbox shows a reply: their page's words and day format,
    /// their language and direction, the markup of the reporters' thread (Pages+Inbox).
    private func previewSection(_ composer: DeskComposer, reader: Language) -> HTML {
        let reporter = Localiser(reader)
        let today = Day.today()
        let day = reporter.day(year: today.year, month: today.month, day: today.dayOfMonth)
        var out: HTML = """
            <section class="preview" aria-labelledby="preview-h">
            <h3 id="preview-h">\(t("composer.preview_heading"))</h3>
            <p role="status">\(t("composer.preview_nothing_sent"))</p>

            """
        let placeholders = ReplyTemplates.placeholders(in: composer.text)
        if !placeholders.isEmpty {
            out += "<div class=\"error\"><p>\(escaping: texts.format("composer.placeholder_left", placeholders.joined(separator: ", ")))</p></div>\n"
        }
        out += """
            <div class="reporter-view" lang="\(escaping: reader.htmlLang)" dir="\(escaping: reader.direction)">
            <article class="message message-team">
            <h4><span class="message-author">\(escaping: reporter["inbox.author.team"])</span> \
            <span class="message-day"><time datetime="\(escaping: today.text)">\(escaping: day)</time></span></h4>
            <p class="message-text" dir="auto">\(escaping: composer.text.trimmingCharacters(in: .whitespacesAndNewlines))</p>
            </article>
            </div>
            </section>

            """
        return out
    }
}
