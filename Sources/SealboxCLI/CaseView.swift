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

/// What `show` knows about the team's case work beyond the items themselves.
struct CaseWorkView {
    /// The current coding and case data (the newest authentic ones).
    var state = CaseWorkState()
    /// The scheme whose labels are shown, when it is the one a coding names.
    var scheme: CodingScheme?
    /// The user's own member id (or staff key id), to mark "(you)".
    var ownKeyID: KeyID?
    /// The pinned roster, to name members by their labels (empty without one).
    var team = TeamDirectory()
    /// The day the AGG clock is seen on.
    var today = Day.today()
    /// The reporter's messages no reply has followed, with the day a reply is due (issue 11).
    var unanswered: [ItemID: Day] = [:]

    /// A member (member id or signing key id) as shown: label or key id.
    func shown(_ id: KeyID) -> String { team.shown(id, own: ownKeyID) }

    /// "Name" for a member the roster names, else "staff key <key id>".
    func signer(_ id: KeyID) -> String {
        team.member(id) != nil ? shown(id) : "staff key \(shown(id))"
    }
}

/// One item as shown.
struct ShownItem {
    let outcome: OpenedItem
    var attachments: [ShownAttachment]
    /// Who wrote it, for an opened item (PROTOCOL §3.3).
    var authorship: Authorship?
}

enum CaseView {
    // MARK: Text

    static func text(reference: CaseReference, status: CaseStatus? = nil, items: [ShownItem],
                     work: CaseWorkView = CaseWorkView()) -> String {
        let messages = items.filter { !$0.outcome.item.isStatusChange && !$0.outcome.item.kind.isCaseWork }.count
        let notes = items.filter { $0.outcome.item.kind == .note }.count
        var out = "Case \(reference.text)"
        if let status { out += " · \(status.rawValue)" }
        out += " · \(Terminal.count(messages, "message"))"
        if notes > 0 { out += " · \(Terminal.count(notes, "team note"))" }
        out += "\n" + summary(reference: reference, items: items, work: work)
        for shown in items {
            out += "\n"
            switch shown.outcome {
            case .opened(let item, let content) where content.type.isCaseWork:
                out += caseWorkBody(item, content, authorship: shown.authorship, work: work)
            case .opened(let item, let content):
                out += body(content, attachments: shown.attachments, authorship: shown.authorship, work: work,
                            replyDue: work.unanswered[item.id])
            case .statusChange(let item):
                out += "Status set to \(item.status.map(\.rawValue) ?? "?") by the team, \(item.day)\n"
            case .otherKey(let item, _), .tampered(let item), .unsupported(let item), .malformed(let item):
                let heading = "\(kindTitle(item.kind)), \(item.day) (item \(item.id))"
                out += heading + "\n" + String(repeating: "─", count: min(heading.count, 60)) + "\n"
                out += "  NOT SHOWN: " + (shown.outcome.problem(case: reference) ?? "") + ".\n"
            }
        }
        return out
    }

    private static func body(_ content: ReportContent, attachments: [ShownAttachment], authorship: Authorship?,
                             work: CaseWorkView, replyDue: Day? = nil) -> String {
        var heading = "\(kindTitle(ItemKind(content.type))), \(content.day)"
        if let replyDue { heading += " ! unanswered, reply by \(replyDue.text)" }
        if case .authentic(let signer) = authorship, content.type == .reply {
            heading += " (signed by \(work.team.member(signer) != nil ? work.shown(signer) : "staff key " + signer.hex))"
        }
        var out = heading + "\n" + String(repeating: "─", count: min(heading.count, 60)) + "\n"
        if let warning = authorship.flatMap(authorshipWarning) { out += "  " + warning + "\n\n" }
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
        if let incident = content.incident {
            fields.append(("Incident", ReporterLanguage.incident(incident)
                + (ReporterLanguage.aggNote(incident, today: work.today).map { "; " + $0 } ?? "")))
        }
        if let place = content.where { fields.append(("Where", Terminal.displaySafe(place))) }
        if let contact = content.contact { fields.append(("Contact", Terminal.displaySafe(contact))) }
        if let lang = content.lang { fields.append(("Language", ReporterLanguage.name(lang))) }
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

    /// The lines under the case's heading: assignment, follow-up and coding, or the
    /// reporter's own answers as a starting point for a coding.
    static func summary(reference: CaseReference, items: [ShownItem], work: CaseWorkView) -> String {
        var out = ""
        if let data = work.state.caseData?.content {
            out += "  Assigned to:  " + (data.assigned.map(work.shown) ?? "nobody") + "\n"
            out += "  Follow-up:    " + (data.followUp?.text ?? "none") + "\n"
        } else if items.contains(where: { $0.outcome.item.kind == .report }) {
            out += "  Assigned to:  nobody\n"
        }
        if work.state.coding == nil, let scheme = work.scheme {
            let report = items.lazy.compactMap { shown -> ReportContent? in
                if case .opened(_, let content) = shown.outcome, content.type == .report { return content }
                return nil
            }.first
            if let report {
                let suggestion = scheme.suggestion(reportGrounds: report.grounds ?? [], reportArea: report.area)
                var flags = suggestion.grounds.map { "--ground \($0)" }
                if let area = suggestion.area { flags.append("--area \(area)") }
                out += "  Coding:       none yet"
                out += flags.isEmpty ? "\n" : "; from the reporter's answers: sealbox code \(reference.text) "
                    + flags.joined(separator: " ") + "\n"
            }
        }
        return out
    }

    /// A note, coding or case data: who wrote it, and for a coding or case data whether
    /// it is the current one.
    static func caseWorkBody(_ item: StoredItem, _ content: ReportContent, authorship: Authorship?,
                             work: CaseWorkView) -> String {
        var heading = "\(kindTitle(ItemKind(content.type))), \(content.day)"
        if case .authentic(let signer) = authorship {
            heading += " (signed by \(work.signer(signer)))"
        }
        var out = heading + "\n" + String(repeating: "─", count: min(heading.count, 60)) + "\n"
        if let warning = authorship.flatMap(authorshipWarning) { out += "  " + warning + "\n\n" }
        switch content.type {
        case .note:
            for line in Terminal.displaySafe(content.text, multiline: true).split(separator: "\n", omittingEmptySubsequences: false) {
                out += line.isEmpty ? "\n" : "  \(line)\n"
            }
        case .coding:
            guard work.state.coding?.id == item.id else { return out + "  (replaced by a later coding)\n" }
            let scheme = work.scheme?.id == content.scheme ? work.scheme : nil
            func label(_ id: String, _ dimension: CodingScheme.Dimension) -> String {
                let safe = Terminal.displaySafe(id)
                guard let value = scheme?.value(id, of: dimension) else { return safe }
                return "\(value.label("en")) (\(safe))"
            }
            let rows: [(String, CodingScheme.Dimension, [String])] = [
                ("Grounds", .grounds, content.grounds ?? []), ("Area", .area, content.area.map { [$0] } ?? []),
                ("Form", .form, content.form.map { [$0] } ?? []), ("Level", .level, content.level.map { [$0] } ?? []),
                ("Interventions", .interventions, content.interventions ?? []),
                ("Outcome", .outcome, content.outcome.map { [$0] } ?? []),
            ]
            out += "  Scheme:       \(Terminal.displaySafe(content.scheme ?? ""))\n"
            for (name, dimension, ids) in rows where !ids.isEmpty {
                out += "  " + (name + ":").padding(toLength: 14, withPad: " ", startingAt: 0)
                    + ids.map { label($0, dimension) }.joined(separator: ", ") + "\n"
            }
        case .caseData:
            guard work.state.caseData?.id == item.id else { return out + "  (replaced by later case data)\n" }
            out += "  Assigned to:  " + (content.assigned.map(work.shown) ?? "nobody") + "\n"
            out += "  Follow-up:    " + (content.followUp?.text ?? "none") + "\n"
        default:
            break
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

    /// The banner above an item that is not shown as genuine, else nil.
    static func authorshipWarning(_ authorship: Authorship) -> String? {
        switch authorship {
        case .anchor, .authentic: nil
        case .unauthenticated:
            "UNAUTHENTICATED (older version): written before Sealbox signed messages; nothing proves who wrote it."
        case .forged(let why): "NOT AUTHENTIC: " + forgeryReason(why) + ". Do not trust it."
        }
    }

    /// Why an item is forged, in words.
    static func forgeryReason(_ forgery: Forgery) -> String {
        switch forgery {
        case .secondReport: "a second report in a case that already has one"
        case .noReport: "the case has no readable report to check it against"
        case .unsigned: "it carries no signature, although its case requires one"
        case .badSignature: "its signature does not verify, or is not the reporter's"
        case .unknownSigner(let id):
            "signed by staff key \(id.hex), which this workstation does not know "
                + "(add a colleague's key to staff_public_keys)"
        case .repeated: "a copy of an earlier message, placed again"
        }
    }

    /// The message for stderr about a forged item, else nil.
    static func authorshipProblem(_ shown: ShownItem, case reference: CaseReference) -> String? {
        guard case .forged(let why) = shown.authorship else { return nil }
        let item = shown.outcome.item
        return "item \(item.id) of case \(reference.text) is NOT AUTHENTIC: \(forgeryReason(why))"
    }

    static func kindTitle(_ kind: ItemKind) -> String {
        switch kind {
        case .report: "Report"
        case .followUp: "Follow-up from the reporter"
        case .reply: "Reply from the team"
        case .status: "Status change"
        case .note: "Note of the team"
        case .coding: "Coding"
        case .caseData: "Case data"
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
        var status: String
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
        var signer: String?
        var attachments: [JSONAttachment]?
        var scheme: String?
        var form: String?
        var level: String?
        var interventions: [String]?
        var outcome: String?
        var assigned: String??
        var followUp: Day??
        /// For a coding or case data: whether it is the case's current one.
        var current: Bool?
        /// A report or follow-up: the language the reporter used; a report: the incident date.
        var lang: LanguageTag?
        var incident: IncidentDate?

        enum CodingKeys: String, CodingKey {
            case id, kind, day, status, author, error, text, grounds, area, when, `where`, contact, attachments, signer
            case scheme, form, level, interventions, outcome, assigned, current, lang, incident
            case reporterKey = "reporter_key"
            case caseStatus = "case_status"
            case followUp = "follow_up"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(kind, forKey: .kind)
            try c.encode(day, forKey: .day)
            try c.encode(status, forKey: .status)
            try c.encodeIfPresent(author, forKey: .author)
            try c.encodeIfPresent(caseStatus, forKey: .caseStatus)
            try c.encodeIfPresent(error, forKey: .error)
            try c.encodeIfPresent(text, forKey: .text)
            try c.encodeIfPresent(grounds, forKey: .grounds)
            // An opened coding names every dimension, null when not coded.
            let coding = current != nil && scheme != nil
            if coding {
                try c.encode(area, forKey: .area)
                try c.encode(form, forKey: .form)
                try c.encode(level, forKey: .level)
                try c.encode(outcome, forKey: .outcome)
            } else {
                try c.encodeIfPresent(area, forKey: .area)
                try c.encodeIfPresent(form, forKey: .form)
                try c.encodeIfPresent(level, forKey: .level)
                try c.encodeIfPresent(outcome, forKey: .outcome)
            }
            try c.encodeIfPresent(when, forKey: .when)
            try c.encodeIfPresent(self.where, forKey: .where)
            try c.encodeIfPresent(contact, forKey: .contact)
            try c.encodeIfPresent(lang, forKey: .lang)
            try c.encodeIfPresent(incident, forKey: .incident)
            try c.encodeIfPresent(reporterKey, forKey: .reporterKey)
            try c.encodeIfPresent(signer, forKey: .signer)
            try c.encodeIfPresent(attachments, forKey: .attachments)
            try c.encodeIfPresent(scheme, forKey: .scheme)
            try c.encodeIfPresent(interventions, forKey: .interventions)
            if let assigned { try c.encode(assigned, forKey: .assigned) }
            if let followUp { try c.encode(followUp, forKey: .followUp) }
            try c.encodeIfPresent(current, forKey: .current)
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
        case .reply, .status, .note, .coding, .caseData: "team"
        }
    }

    static func json(reference: CaseReference, status: CaseStatus? = nil, items: [ShownItem],
                     work: CaseWorkView = CaseWorkView()) -> String {
        let value = JSONCase(case: reference, status: status,
                             items: items.map { jsonItem($0, reference: reference, work: work) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    private static func jsonItem(_ shown: ShownItem, reference: CaseReference, work: CaseWorkView) -> JSONItem {
        var result = jsonItemWithoutAuthor(shown, reference: reference)
        result.author = author(result.kind)
        if case .opened(let item, let content) = shown.outcome, content.type.isCaseWork {
            result.reporterKey = nil
            result.attachments = nil
            result.when = nil
            result.where = nil
            result.contact = nil
            switch content.type {
            case .note:
                result.grounds = nil
            case .coding:
                result.text = nil
                result.scheme = content.scheme
                result.form = content.form
                result.level = content.level
                result.interventions = content.interventions ?? []
                result.outcome = content.outcome
                result.current = work.state.coding?.id == item.id
            case .caseData:
                result.text = nil
                result.grounds = nil
                result.assigned = .some(content.assigned?.hex)
                result.followUp = .some(content.followUp)
                result.current = work.state.caseData?.id == item.id
            default: break
            }
        }
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
            switch shown.authorship {
            case .authentic(let signer): result.signer = signer.hex
            case .unauthenticated:
                result.status = "unauthenticated"
                result.error = authorshipWarning(.unauthenticated)
            case .forged(let why):
                result.status = "forged"
                result.error = authorshipProblem(shown, case: reference)
                if case .unknownSigner(let id) = why { result.signer = id.hex }
            case .anchor, nil: break
            }
            result.text = content.text
            result.grounds = content.grounds ?? []
            result.area = content.area
            result.when = content.when
            result.where = content.where
            result.contact = content.contact
            result.lang = content.lang
            result.incident = content.incident
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
        case .malformed:
            return JSONItem(id: item.id, kind: item.kind, day: item.day, status: "malformed",
                            error: shown.outcome.problem(case: reference))
        }
    }
}
