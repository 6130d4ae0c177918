// The audit page (docs/design/DESK.md §5): the verdict on the team's audit chain first,
// in words and with a symbol (the colour of its box is never the only signal), then the
// entries by day, newest day first, each with the member's label, what happened and the
// case. Within a day the server keeps entries in a random order, never by time.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n

extension DeskPages {
    func audit(_ audit: DeskAudit) -> String {
        let heading = texts["audit.heading"]
        var main: HTML = "<h1>\(escaping: heading)</h1>\n<p>\(t("audit.intro"))</p>\n"
        switch audit.verdict {
        case .verified(let head):
            var words = texts.format("audit.verified", String(audit.entries.count))
            if let head { words += " " + texts.format("audit.head", head) }
            main += "<div class=\"verdict verdict-ok\" role=\"status\"><p><strong>✓ \(t("audit.verified.short"))</strong> "
                + "\(escaping: words)</p></div>\n"
        case .broken(let index, let reason):
            let entry = audit.entries.indices.contains(index) ? audit.entries[index] : nil
            let which: String = entry.map { "\($0.day.text) \(actionText($0.action))" } ?? ""
            main += "<div class=\"verdict verdict-bad\" role=\"alert\"><p><strong>✗ \(t("audit.broken.short"))</strong> "
                + "\(escaping: texts.format("audit.broken", String(index + 1), String(audit.entries.count), which)) "
                + "\(t("audit.reason." + reason.rawValue))</p><p>\(t("audit.broken.advice"))</p></div>\n"
        case .pinRefused(let detail):
            main += "<div class=\"verdict verdict-bad\" role=\"alert\"><p><strong>✗ \(t("audit.broken.short"))</strong> "
                + "\(t("audit.pin_refused")) \(escaping: texts.format("error.details", detail))</p>"
                + "<p>\(t("audit.broken.advice"))</p></div>\n"
        }
        if audit.entries.isEmpty {
            main += "<p>\(t("audit.empty"))</p>\n"
            return layout(title: heading, unlocked: true, main)
        }
        var days: [(day: Day, entries: [DeskAudit.Entry])] = []
        for entry in audit.entries {
            if let last = days.indices.last, days[last].day == entry.day {
                days[last].entries.append(entry)
            } else {
                days.append((entry.day, [entry]))
            }
        }
        main += """
            <table class="audit">
            <caption>\(t("audit.caption"))</caption>
            <thead><tr><th scope="col">\(t("audit.col.member"))</th><th scope="col">\(t("audit.col.action"))</th>\
            <th scope="col">\(t("audit.col.case"))</th></tr></thead>

            """
        for group in days.sorted(by: { $0.day > $1.day }) {
            main += "<tbody><tr><th scope=\"rowgroup\" colspan=\"3\" class=\"audit-day\">"
                + "<time datetime=\"\(escaping: group.day.text)\">\(escaping: group.day.text)</time></th></tr>\n"
            for entry in group.entries {
                let reference: HTML = entry.reference.map { "<a href=\"/cases/\(escaping: $0.text)\">\(escaping: $0.text)</a>" }
                    ?? "–"
                main += "<tr><td>\(escaping: entry.member ?? texts["audit.daemon"])</td>"
                    + "<td>\(escaping: actionText(entry.action))</td><td>\(reference)</td></tr>\n"
            }
            main += "</tbody>\n"
        }
        main += "</table>\n"
        return layout(title: heading, unlocked: true, main)
    }

    /// What happened, in the counsellor's language.
    func actionText(_ action: AuditAction) -> String {
        switch action {
        case .reply: texts["audit.action.reply"]
        case .delete: texts["audit.action.delete"]
        case .deleteRequest: texts["audit.action.delete-request"]
        case .deleteConfirm: texts["audit.action.delete-confirm"]
        case .deleteExpired: texts["audit.action.delete-expired"]
        case .retentionDelete: texts["audit.action.retention-delete"]
        case .sync: texts["audit.action.sync"]
        case .read: texts["audit.action.read"]
        case .status(let status): texts.format("audit.action.status", statusName(status))
        case .caseWork(let kind): texts["audit.action." + kind.name]
        case .retain(let day): texts.format("audit.action.retain", day.text)
        case .roster(let seq): texts.format("audit.action.roster", String(seq))
        }
    }
}
