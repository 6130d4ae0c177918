// How `sealbox show` prints a case: readable text (every untrusted string made
// safe for the terminal first) or JSON with the exact decrypted values. Decrypted
// content goes to stdout only.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

/// One attachment as shown: its manifest entry, and where it was saved or why not.
struct ShownAttachment {
    let manifest: AttachmentManifest
    var savedAs: URL?
    var problem: String?
}

/// One item as shown.
struct ShownItem {
    let outcome: OpenedItem
    var attachments: [ShownAttachment]
}

enum CaseView {
    // MARK: Text

    static func text(reference: CaseReference, status: CaseStatus? = nil, items: [ShownItem]) -> String {
        let messages = items.filter { !$0.outcome.item.isStatusChange }.count
        var out = "Case \(reference.text)"
        if let status { out += " · \(status.rawValue)" }
        out += " · \(Terminal.count(messages, "message"))\n"
        for shown in items {
            out += "\n"
            switch shown.outcome {
            case .opened(_, let content):
                out += body(content, attachments: shown.attachments)
            case .statusChange(let item):
                out += "Status set to \(item.status.map(\.rawValue) ?? "?") by the team, \(item.day)\n"
            case .otherKey(let item, _), .tampered(let item), .unsupported(let item):
                let heading = "\(kindTitle(item.kind)), \(item.day) (item \(item.id))"
                out += heading + "\n" + String(repeating: "─", count: min(heading.count, 60)) + "\n"
                out += "  NOT SHOWN: " + (shown.outcome.problem(case: reference) ?? "") + ".\n"
            }
        }
        return out
    }

    private static func body(_ content: ReportContent, attachments: [ShownAttachment]) -> String {
        let heading = "\(kindTitle(ItemKind(content.type))), \(content.day)"
        var out = heading + "\n" + String(repeating: "─", count: min(heading.count, 60)) + "\n"
        let text = Terminal.displaySafe(content.text, multiline: true)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out += line.isEmpty ? "\n" : "  \(line)\n"
        }
        var fields: [(String, String)] = []
        if let grounds = content.grounds, !grounds.isEmpty {
            fields.append(("Grounds", grounds.map { Terminal.displaySafe($0).replacingOccurrences(of: "-", with: " ") }
                .joined(separator: ", ")))
        }
        if let area = content.area { fields.append(("Area", Terminal.displaySafe(area).replacingOccurrences(of: "-", with: " "))) }
        if let when = content.when { fields.append(("When", Terminal.displaySafe(when))) }
        if let place = content.where { fields.append(("Where", Terminal.displaySafe(place))) }
        if let contact = content.contact { fields.append(("Contact", Terminal.displaySafe(contact))) }
        for (index, attachment) in attachments.enumerated() {
            fields.append((index == 0 ? "Attachments" : "", describe(attachment)))
        }
        if !fields.isEmpty { out += "\n" }
        for (label, value) in fields {
            let padded = label.isEmpty ? "" : label + ":"
            out += "  " + padded.padding(toLength: 14, withPad: " ", startingAt: 0) + value + "\n"
        }
        return out
    }

    private static func describe(_ attachment: ShownAttachment) -> String {
        let m = attachment.manifest
        var line = "\(Terminal.displaySafe(m.name)) (\(Terminal.displaySafe(m.type)), \(Terminal.size(m.size)))"
        if let url = attachment.savedAs { line += " → saved as \(Terminal.displaySafe(url.path))" }
        if attachment.problem != nil { line += " – NOT SAVED, see below" }
        return line
    }

    static func kindTitle(_ kind: ItemKind) -> String {
        switch kind {
        case .report: "Report"
        case .followUp: "Follow-up from the reporter"
        case .reply: "Reply from the team"
        case .status: "Status change"
        }
    }

    // MARK: JSON

    struct JSONCase: Encodable {
        let `case`: CaseReference
        let status: CaseStatus?
        let items: [JSONItem]

        enum CodingKeys: String, CodingKey { case `case`, status, items }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.case, forKey: .case)
            try c.encode(status, forKey: .status)
            try c.encode(items, forKey: .items)
        }
    }

    struct JSONItem: Encodable {
        let id: ItemID
        let kind: ItemKind
        let day: Day
        let status: String
        var author: String?
        var caseStatus: CaseStatus?
        var error: String?
        var text: String?
        var grounds: [String]?
        var area: String?
        var when: String?
        var `where`: String?
        var contact: String?
        var reporterKey: String?
        var attachments: [JSONAttachment]?

        enum CodingKeys: String, CodingKey {
            case id, kind, day, status, author, error, text, grounds, area, when, `where`, contact, attachments
            case reporterKey = "reporter_key"
            case caseStatus = "case_status"
        }
    }

    struct JSONAttachment: Encodable {
        let id: AttachmentID
        let name: String
        let type: String
        let size: Int
        var savedAs: String?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case id, name, type, size, error
            case savedAs = "saved_as"
        }
    }

    /// Who wrote an item of `kind`: the reporter (report, follow-up) or the team (reply, status change).
    static func author(_ kind: ItemKind) -> String {
        switch kind {
        case .report, .followUp: "reporter"
        case .reply, .status: "team"
        }
    }

    static func json(reference: CaseReference, status: CaseStatus? = nil, items: [ShownItem]) -> String {
        let value = JSONCase(case: reference, status: status,
                             items: items.map { jsonItem($0, reference: reference) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    private static func jsonItem(_ shown: ShownItem, reference: CaseReference) -> JSONItem {
        var result = jsonItemWithoutAuthor(shown, reference: reference)
        result.author = author(result.kind)
        return result
    }

    private static func jsonItemWithoutAuthor(_ shown: ShownItem, reference: CaseReference) -> JSONItem {
        let item = shown.outcome.item
        switch shown.outcome {
        case .statusChange:
            var result = JSONItem(id: item.id, kind: item.kind, day: item.day, status: "ok")
            result.caseStatus = item.status
            return result
        case .opened(_, let content):
            var result = JSONItem(id: item.id, kind: ItemKind(content.type), day: content.day, status: "ok")
            result.text = content.text
            result.grounds = content.grounds ?? []
            result.area = content.area
            result.when = content.when
            result.where = content.where
            result.contact = content.contact
            result.reporterKey = content.reporterKey
            result.attachments = shown.attachments.map {
                JSONAttachment(id: $0.manifest.id, name: $0.manifest.name, type: $0.manifest.type, size: $0.manifest.size,
                               savedAs: $0.savedAs?.path, error: $0.problem)
            }
            return result
        case .otherKey:
            return JSONItem(id: item.id, kind: item.kind, day: item.day, status: "other-key",
                            error: shown.outcome.problem(case: reference))
        case .tampered:
            return JSONItem(id: item.id, kind: item.kind, day: item.day, status: "tampered",
                            error: shown.outcome.problem(case: reference))
        case .unsupported:
            return JSONItem(id: item.id, kind: item.kind, day: item.day, status: "unsupported",
                            error: shown.outcome.problem(case: reference))
        }
    }
}
