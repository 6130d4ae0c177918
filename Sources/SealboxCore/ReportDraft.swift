// Enforces the limits on what a reporter may submit. Every rule here answers with a
// fixed message key, never with the input itself.

/// The limits an installation sets on one submission (configuration `limits.*`).
public struct SubmissionLimits: Sendable, Equatable {
    /// Characters of the report text.
    public var textLength: Int = 20_000
    /// Characters of each short field (`when`, `where`, `contact`).
    public var fieldLength: Int = 500
    /// Bytes of a JSON body.
    public var jsonBody: Int = 1 << 20
    public var attachmentCount: Int = 5
    /// Bytes of one attachment (plaintext).
    public var attachmentSize: Int = 10 << 20
    /// Bytes of all attachments of one submission (plaintext).
    public var attachmentTotal: Int = 25 << 20

    public init() {}

    /// The most bytes the text fields of a form can take, UTF-8 encoded and percent-escaped.
    public var formFieldsBytes: Int { (textLength + 3 * fieldLength) * 4 * 3 + 64 * 1024 }

    /// The most bytes a multipart body may have: the attachments, the text, and framing.
    public var multipartBody: Int { attachmentTotal + formFieldsBytes + attachmentCount * 4096 }
}

/// A problem with one field of a submission. `messageKey` names a localised message.
public struct ValidationIssue: Error, Sendable, Equatable {
    public let field: String
    public let messageKey: String

    public init(field: String, messageKey: String) {
        self.field = field
        self.messageKey = messageKey
    }
}

/// What a reporter typed, before it is sealed.
public struct ReportDraft: Sendable, Equatable {
    public var text: String = ""
    public var grounds: [String] = []
    public var area: String?
    public var when: String?
    public var whereText: String?
    public var contact: String?
    /// The approximate date of the incident as parsed where it entered (the form's three
    /// inputs or the API's `incident`): nil when not given, else the date or why not.
    public var incident: Result<IncidentDate, IncidentDate.Problem>?

    public init(
        text: String = "", grounds: [String] = [], area: String? = nil,
        when: String? = nil, where whereText: String? = nil, contact: String? = nil,
        incident: Result<IncidentDate, IncidentDate.Problem>? = nil
    ) {
        self.text = text
        self.grounds = grounds
        self.area = area
        self.when = when
        self.whereText = whereText
        self.contact = contact
        self.incident = incident
    }

    /// The incident date, once `issues` found none.
    public var incidentDate: IncidentDate? {
        if case .success(let date) = incident { return date }
        return nil
    }

    /// Empty optional fields become nil; grounds lose duplicates but keep their order.
    public func normalised() -> ReportDraft {
        func clean(_ s: String?) -> String? {
            guard let trimmed = s?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        var seen = Set<String>()
        return ReportDraft(
            text: text.trimmingCharacters(in: .whitespacesAndNewlines),
            grounds: grounds.filter { !$0.isEmpty && seen.insert($0).inserted },
            area: clean(area), when: clean(when), where: clean(whereText), contact: clean(contact),
            incident: incident
        )
    }

    /// Every problem of this (normalised) draft, in the order of the form's fields.
    public func issues(limits: SubmissionLimits) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if text.isEmpty {
            issues.append(.init(field: "text", messageKey: "error.text_missing"))
        } else if text.count > limits.textLength {
            issues.append(.init(field: "text", messageKey: "error.text_too_long"))
        }
        if grounds.contains(where: { !ReportVocabulary.grounds.contains($0) }) {
            issues.append(.init(field: "grounds", messageKey: "error.invalid_choice"))
        }
        if let area, !ReportVocabulary.areas.contains(area) {
            issues.append(.init(field: "area", messageKey: "error.invalid_choice"))
        }
        if let value = when, value.count > limits.fieldLength {
            issues.append(.init(field: "when", messageKey: "error.field_too_long"))
        }
        if case .failure(let problem) = incident {
            issues.append(.init(field: "incident", messageKey: problem.messageKey))
        }
        for (field, value) in [("where", whereText), ("contact", contact)] {
            if let value, value.count > limits.fieldLength {
                issues.append(.init(field: field, messageKey: "error.field_too_long"))
            }
        }
        return issues
    }
}

import Foundation
