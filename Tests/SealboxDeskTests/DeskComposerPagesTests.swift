import Foundation
import HTTPTypes
import SealboxCore
import SealboxCrypto
import SealboxL10n
import SealboxWorkstation
import Testing
@testable import SealboxDesk

@Suite struct DeskComposerPagesTests {
    static let reference = try! CaseReference(parsing: "7KQM-3XWP")
    static let attachmentID = try! AttachmentID(parsing: "01234567890123456789012345678901")

    func pages(_ tag: String) -> DeskPages {
        DeskPages(texts: DeskTexts.localiser(tag: tag)!, formSecret: SecureBytes.random(count: 32), idleMinutes: "15")
    }

    static func thread(language: String?, attachments: [DeskAttachment] = []) -> DeskThread {
        var report = DeskThreadItem(kind: .report, day: Day("2026-11-30")!, author: "reporter", check: .checked, text: "t")
        report.language = language
        report.attachments = attachments
        return DeskThread(reference: reference, status: .received, assigned: nil, followUp: nil, items: [report])
    }

    func composer(_ thread: DeskThread, _ input: DeskComposerInput) throws -> DeskComposer {
        DeskComposer(thread: thread, templates: .success(try ReplyTemplates.load()), input: input)
    }

    @Test(arguments: ["de", "en"])
    func theComposer_andAttachments_haveEveryText(_ tag: String) throws {
        let thread = Self.thread(language: "tr", attachments: [
            DeskAttachment(id: Self.attachmentID, name: "a.png", size: 2048, kind: .png),
            DeskAttachment(id: Self.attachmentID, name: "b.exe", size: 20, kind: .other),
            DeskAttachment(id: Self.attachmentID, name: "c", size: 2_500_000, kind: nil),
        ])
        let composer = try composer(thread, DeskComposerInput(template: "referral", preview: true))
        let pages = pages(tag)
        for html in [pages.casePage(thread, composer: composer),
                     pages.attachmentWarning("7KQM-3XWP", id: Self.attachmentID, name: "x.exe", size: 10),
                     pages.attachmentProblem("7KQM-3XWP", failure: DeskFailure(.attachmentDamaged))] {
            #expect(!html.contains("⟦"), "a text is missing in \(tag)")
        }
    }

    @Test func aTemplate_isOfferedInTheReportersLanguage() throws {
        let composer = try composer(Self.thread(language: "tr"), DeskComposerInput(template: "acknowledgement"))
        let html = pages("en").casePage(Self.thread(language: "tr"), composer: composer)
        #expect(html.contains("Merhaba,"))
        #expect(html.contains("<option value=\"acknowledgement\" selected>"))
        #expect(html.contains("The reporter wrote in Türkçe (tr)"))
        #expect(!html.contains("Preview: what the reporter will see"))
    }

    @Test func aReporterWithoutLanguage_getsGerman_withANote() throws {
        let composer = try composer(Self.thread(language: nil), DeskComposerInput(template: "closing"))
        let html = pages("en").casePage(Self.thread(language: nil), composer: composer)
        #expect(html.contains("wir schließen Ihren Fall nun ab"))
        #expect(html.contains("The reporter&#39;s language is not known") || html.contains("The reporter's language is not known"))
    }

    @Test func thePreview_isInTheReportersLanguageAndDirection_andEscaped() throws {
        let composer = try composer(Self.thread(language: "ar"),
                                    DeskComposerInput(text: "<b>مرحبًا</b>\nسطر [[Stelle]]", preview: true))
        let html = pages("de").casePage(Self.thread(language: "ar"), composer: composer)
        #expect(html.contains("<div class=\"reporter-view\" lang=\"ar\" dir=\"rtl\">"))
        #expect(html.contains("&lt;b&gt;مرحبًا&lt;/b&gt;"))
        #expect(!html.contains("<b>مرحبًا"))
        #expect(html.contains("Das ist eine Vorschau. Es wurde nichts gesendet."))
        #expect(html.contains("Der Text enthält noch eine Stelle zum Ausfüllen: [[Stelle]]"))
    }

    @Test func brokenOfficeTemplates_areNamed_andTheComposerStillWorks() {
        let composer = DeskComposer(thread: Self.thread(language: "de"),
                                    templates: .failure(DeskFailure(.other, detail: "de.json: not a JSON object")),
                                    input: DeskComposerInput(template: "closing"))
        let html = pages("en").casePage(Self.thread(language: "de"), composer: composer)
        #expect(html.contains("could not be read, so none are offered: de.json: not a JSON object"))
        #expect(html.contains("<textarea id=\"reply\""))
        #expect(!html.contains("<select id=\"template\""))
    }

    @Test func attachmentNames_areEscaped_andImagesHaveTheirNameAsAlt() {
        let thread = Self.thread(language: "de", attachments: [
            DeskAttachment(id: Self.attachmentID, name: "<img src=x onerror=alert(1)>.png", size: 10, kind: .png),
        ])
        let html = pages("en").casePage(thread)
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("alt=\"Image attached by the reporter: &lt;img src=x onerror=alert(1)&gt;.png\""))
        #expect(html.contains("href=\"/cases/7KQM-3XWP/attachments/\(Self.attachmentID.text)\""))
    }

    @Test func theWarning_offersADownloadWithASafeName() {
        let html = pages("en").attachmentWarning("7KQM-3XWP", id: Self.attachmentID, name: "../.evil\u{202E}.html", size: 10)
        #expect(html.contains("This file may be harmful"))
        #expect(html.contains("<input type=\"hidden\" name=\"download\" value=\"1\">"))
        #expect(html.contains("<dd dir=\"auto\">evil.html</dd>"))
    }

    @Test func attachmentBytes_getTheSandbox_andOnlyImagesAndPDFAreInline() {
        for kind in AttachmentKind.allCases {
            let fields = AttachmentHeaders.fields(kind: kind, name: "x", download: false)
            #expect(fields[.contentSecurityPolicy] == "sandbox")
            #expect(fields[.cacheControl] == "no-store")
            #expect(fields[.contentDisposition]?.hasPrefix(kind == .other ? "attachment;" : "inline;") == true)
            let download = AttachmentHeaders.fields(kind: kind, name: "x", download: true)
            #expect(download[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download[.contentType] == "application/octet-stream")
        }
    }
}
