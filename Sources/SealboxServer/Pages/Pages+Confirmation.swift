// The confirmation after `POST /report`: the reporter code, shown exactly
// once, made to be kept (large and grouped; a print stylesheet that turns the
// page into a one-page receipt; a download as a text file). Rule: the code
// never enters a URL — the download and the language switch are POST forms
// carrying it in hidden fields.
import SealboxCore
import SealboxL10n

/// What the reporter must keep.
public struct Receipt: Sendable {
    /// The case reference, e.g. "7KQM-3XWP".
    public var caseReference: CaseReference
    /// The code in four groups of four digits, e.g. "4721 0938 5562 1170".
    public var groupedCode: String
    /// The day received.
    public var receivedDay: Day

    public init(caseReference: CaseReference, groupedCode: String, receivedDay: Day) {
        self.caseReference = caseReference
        self.groupedCode = groupedCode
        self.receivedDay = receivedDay
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
        <button type="submit" class="button">\(r.t("confirm.download"))</button>
        </form>
        </section>
        <section class="no-print" aria-labelledby="next-heading">
        <h2 id="next-heading">\(r.t("confirm.next.heading"))</h2>
        \(r.list(["confirm.next.acknowledge", "confirm.next.feedback", "confirm.next.leave"]))
        </section>
        """
        return r.document(
            title: ctx.localiser["confirm.title"], main: main, current: .none,
            languageSwitch: .receiptForm(id: ReceiptForm.formID), pageClass: "page-confirmation"
        )
    }

    /// The content of the downloadable receipt (plain UTF-8 text, lines ending in `\n`),
    /// naming the office and the address to come back to when known.
    public static func receiptText(_ localiser: Localiser, receipt: Receipt, office: Office = Office(name: "")) -> String {
        let publicAddress = office.publicAddress
        var lines: [String] = [localiser["receipt.title"]]
        if !office.name.isEmpty { lines.append(office.name) }
        lines += [
            "",
            localiser["confirm.code.heading"] + ": " + receipt.groupedCode,
            localiser["confirm.case.label"] + ": " + receipt.caseReference.text,
            localiser["confirm.received.label"] + ": " + localiser.day(receipt.receivedDay),
            "",
            localiser["confirm.return.heading"],
            localiser.format("confirm.return.text", publicAddress.isEmpty ? localiser["confirm.return.this_site"] : publicAddress),
            "",
            localiser["confirm.warning.label"] + " " + localiser["confirm.warning.text"],
            localiser["confirm.keep.safe"],
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The receipt text for a page context (office name and address from the context).
    public static func receiptText(_ ctx: PageContext, receipt: Receipt) -> String {
        receiptText(ctx.localiser, receipt: receipt, office: ctx.office)
    }

    /// A file name for the receipt download (ASCII: a case reference is letters, digits and a dash).
    public static func receiptFileName(_ receipt: Receipt) -> String {
        "sealbox-\(receipt.caseReference.text).txt"
    }

    private static func returnAddress(_ ctx: PageContext) -> String {
        ctx.office.publicAddress.isEmpty ? ctx.localiser["confirm.return.this_site"] : ctx.office.publicAddress
    }
}
