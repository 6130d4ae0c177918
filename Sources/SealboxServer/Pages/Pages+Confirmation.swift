// The confirmation after `POST /report`: the reporter code, shown exactly
// once, made to be kept (large and grouped; a print stylesheet that turns the
// page into a one-page receipt; a download as a text file). Rule: the code
// never enters a URL — the download and the language switch are POST forms
// carrying it in hidden fields.
import SealboxCore
import SealboxL10n
import SealboxHTML

/// What the reporter must keep.
public struct Receipt: Sendable {
    /// The case reference, e.g. "7KQM-3XWP".
    public var caseReference: CaseReference
    /// The code in four groups of four digits, e.g. "4721 0938 5562 1170".
    public var groupedCode: String
    /// The day received.
    public var receivedDay: Day
    /// Whether the reporter gave contact details: then the team may know who they are,
    /// and the page must not say otherwise.
    public var contactGiven: Bool

    public init(caseReference: CaseReference, groupedCode: String, receivedDay: Day, contactGiven: Bool = false) {
        self.caseReference = caseReference
        self.groupedCode = groupedCode
        self.receivedDay = receivedDay
        self.contactGiven = contactGiven
    }
}

/// Field names of the receipt form (`POST /receipt`).
///
/// Without `view`, the server answers with `receiptText` as an attachment;
/// with `view=page` (sent by the language switch of the confirmation page) it
/// shows the confirmation again, in the language of `?lang=`. The server must
/// check `code`, `case` and `received` against their formats before using them.
public enum ReceiptForm {
    public static let code = "code"
    public static let caseReference = "case"
    public static let received = "received"
    public static let view = "view"
    public static let viewPage = "page"
    /// Present (value `yes`) when the report carried contact details.
    public static let contactGiven = "contact_given"
    /// The id of the form element on the confirmation page.
    static let formID = "receipt-form"
}

extension Pages {
    /// The confirmation page with the code.
    public static func confirmation(_ ctx: PageContext, receipt: Receipt) -> HTML {
        let r = PageRenderer(ctx: ctx)
        let groups = receipt.groupedCode.split(separator: " ").map(String.init)
        let visible = groups.map { "<span>\(escaping: $0)</span>" as HTML }.joined(separator: " ")
        let spoken = groups.map { $0.map(String.init).joined(separator: " ") }.joined(separator: ", ")
        let due = dueDays(ctx, receipt: receipt)
        let contactField: HTML = receipt.contactGiven
            ? "<input type=\"hidden\" name=\"\(escaping: ReceiptForm.contactGiven)\" value=\"yes\">\n" : .empty
        let main: HTML = """
        <p class="print-only">\(escaping: ctx.office.name)</p>
        <h1>\(r.t("confirm.title"))</h1>
        <p class="lead no-print">\(r.t("confirm.intro"))</p>
        <section class="receipt" aria-labelledby="code-heading">
        <h2 id="code-heading">\(r.t("confirm.code.heading"))</h2>
        <p class="code" dir="ltr" translate="no"><span class="visually-hidden">\(escaping: spoken)</span><span class="code-groups" aria-hidden="true">\(visible)</span></p>
        <dl class="facts">
        <div><dt>\(r.t("confirm.case.label"))</dt><dd><span class="case-reference" dir="ltr" translate="no">\(escaping: receipt.caseReference.text)</span></dd></div>
        <div><dt>\(r.t("confirm.received.label"))</dt><dd>\(escaping: ctx.localiser.day(receipt.receivedDay))</dd></div>
        </dl>
        <div class="warning">
        <p><strong>\(r.t("confirm.warning.label"))</strong> \(r.t("confirm.warning.text"))</p>
        <p>\(r.t(receipt.contactGiven ? "confirm.warning.contact" : "confirm.warning.anonymous"))</p>
        </div>
        <h2>\(r.t("confirm.return.heading"))</h2>
        <p>\(r.f("confirm.return.text", returnAddress(ctx)))</p>
        </section>
        <section class="no-print" aria-labelledby="keep-heading">
        <h2 id="keep-heading">\(r.t("confirm.keep.heading"))</h2>
        <ul>
        <li>\(r.t("confirm.keep.paper"))</li>
        <li>\(r.t("confirm.keep.print"))</li>
        <li>\(r.t("confirm.keep.file"))</li>
        <li>\(r.t("confirm.keep.safe"))</li>
        </ul>
        <form method="post" action="\(r.href("/receipt"))" id="\(escaping: ReceiptForm.formID)" class="receipt-download">
        <input type="hidden" name="\(escaping: ReceiptForm.code)" value="\(escaping: receipt.groupedCode)">
        <input type="hidden" name="\(escaping: ReceiptForm.caseReference)" value="\(escaping: receipt.caseReference.text)">
        <input type="hidden" name="\(escaping: ReceiptForm.received)" value="\(escaping: receipt.receivedDay.text)">
        \(contactField)        <button type="submit" class="button">\(r.t("confirm.download"))</button>
        </form>
        </section>
        <section class="no-print" aria-labelledby="next-heading">
        <h2 id="next-heading">\(r.t("confirm.next.heading"))</h2>
        <ul>
        <li>\(r.f("confirm.next.acknowledge", ctx.localiser.day(due.acknowledgement)))</li>
        <li>\(r.f("confirm.next.feedback", ctx.localiser.day(due.feedback)))</li>
        <li>\(r.t("confirm.next.leave"))</li>
        </ul>
        <p class="warning">\(r.t("confirm.law"))</p>
        </section>
        """
        return r.document(
            title: ctx.localiser["confirm.title"], main: main, current: .none,
            languageSwitch: .receiptForm(id: ReceiptForm.formID), pageClass: "page-confirmation"
        )
    }

    /// The content of the downloadable receipt (plain UTF-8 text, lines ending in `\n`).
    public static func receiptText(_ localiser: Localiser, receipt: Receipt) -> String {
        receiptText(localiser, receipt: receipt, officeName: "", publicAddress: "")
    }

    /// The receipt text, naming the office and the address to come back to when known.
    ///
    /// Rule: every value (the code, the case reference, the day, the office, the address) is
    /// isolated between U+2066 LEFT-TO-RIGHT ISOLATE (the code, the reference and the
    /// address, which read left to right in every language) or U+2068 FIRST STRONG ISOLATE
    /// and U+2069 POP DIRECTIONAL ISOLATE in a right-to-left language, so that an editor
    /// shows the code's groups in order. The code normaliser ignores these marks, so a
    /// code copied from the file still works.
    public static func receiptText(_ localiser: Localiser, receipt: Receipt, officeName: String, publicAddress: String) -> String {
        let rtl = localiser.language.isRightToLeft
        func ltr(_ text: String) -> String { rtl ? "\u{2066}\(text)\u{2069}" : text }
        func auto(_ text: String) -> String { rtl ? "\u{2068}\(text)\u{2069}" : text }
        var lines: [String] = [localiser["receipt.title"]]
        if !officeName.isEmpty { lines.append(auto(officeName)) }
        let address = publicAddress.isEmpty ? localiser["confirm.return.this_site"] : ltr(publicAddress)
        lines += [
            "",
            localiser["confirm.code.heading"] + ": " + ltr(receipt.groupedCode),
            localiser["confirm.case.label"] + ": " + ltr(receipt.caseReference.text),
            localiser["confirm.received.label"] + ": " + auto(localiser.day(receipt.receivedDay)),
            "",
            localiser["confirm.return.heading"],
            localiser.format("confirm.return.text", address),
            "",
            localiser["confirm.warning.label"] + " " + localiser["confirm.warning.text"],
            localiser[receipt.contactGiven ? "confirm.warning.contact" : "confirm.warning.anonymous"],
            localiser["confirm.keep.safe"],
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The days the office promised to acknowledge and to give feedback by.
    static func dueDays(_ ctx: PageContext, receipt: Receipt) -> (acknowledgement: Day, feedback: Day) {
        let policy = ctx.office.notices.deadlines
        return (policy.acknowledgementDue(received: receipt.receivedDay), policy.feedbackDue(received: receipt.receivedDay))
    }

    /// The receipt text for a page context (office name and address from the context).
    public static func receiptText(_ ctx: PageContext, receipt: Receipt) -> String {
        receiptText(ctx.localiser, receipt: receipt, officeName: ctx.office.name, publicAddress: ctx.office.publicAddress)
    }

    /// A file name for the receipt download (ASCII: a case reference is letters, digits and a dash).
    public static func receiptFileName(_ receipt: Receipt) -> String {
        "sealbox-\(receipt.caseReference.text).txt"
    }

    private static func returnAddress(_ ctx: PageContext) -> String {
        ctx.office.publicAddress.isEmpty ? ctx.localiser["confirm.return.this_site"] : ctx.office.publicAddress
    }
}
