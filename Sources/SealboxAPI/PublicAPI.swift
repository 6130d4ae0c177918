// The reporters' JSON API (docs/PROTOCOL.md §9.4, docs/openapi.yaml): the bodies the daemon
// answers with. The code travels only in request bodies, never in a URL.
import SealboxCore

/// `POST /api/v1/reports` (201): the reference, the code (shown once) and the day.
public struct SubmissionCreated: Codable, Sendable, Equatable {
    public let `case`: CaseReference
    /// The code in groups, e.g. `K7QM-3XWP-…`; the only time it is sent.
    public let code: String
    public let received: Day

    public init(case reference: CaseReference, code: String, received: Day) {
        self.case = reference
        self.code = code
        self.received = received
    }
}

/// `POST /api/v1/inbox/messages` (201).
public struct FollowUpCreated: Codable, Sendable, Equatable {
    public let `case`: CaseReference
    public let received: Day

    public init(case reference: CaseReference, received: Day) {
        self.case = reference
        self.received = received
    }
}

/// `POST /api/v1/inbox` (200): the case and its messages as the reporter sees them.
public struct InboxThread: Codable, Sendable, Equatable {
    /// One message: from the reporter or from the team.
    public struct Message: Codable, Sendable, Equatable {
        public struct Attachment: Codable, Sendable, Equatable {
            public let name: String
            public let type: String
            public let size: Int

            public init(name: String, type: String, size: Int) {
                self.name = name
                self.type = type
                self.size = size
            }
        }
        /// `reporter` or `team`.
        public let author: String
        public let day: Day
        public let text: String
        public let attachments: [Attachment]

        public init(author: String, day: Day, text: String, attachments: [Attachment]) {
            self.author = author
            self.day = day
            self.text = text
            self.attachments = attachments
        }
    }

    public let `case`: CaseReference
    public let status: CaseStatus
    public let received: Day
    /// Null until the team acknowledged the report; always present.
    public let acknowledged: Day?
    public let acknowledgementDue: Day
    public let feedbackDue: Day
    public let messages: [Message]

    public init(case reference: CaseReference, status: CaseStatus, received: Day, acknowledged: Day?,
                acknowledgementDue: Day, feedbackDue: Day, messages: [Message]) {
        self.case = reference
        self.status = status
        self.received = received
        self.acknowledged = acknowledged
        self.acknowledgementDue = acknowledgementDue
        self.feedbackDue = feedbackDue
        self.messages = messages
    }

    enum CodingKeys: String, CodingKey {
        case `case`, status, received, acknowledged, messages
        case acknowledgementDue = "acknowledgement_due", feedbackDue = "feedback_due"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.case, forKey: .case)
        try c.encode(status, forKey: .status)
        try c.encode(received, forKey: .received)
        try c.encode(acknowledged, forKey: .acknowledged)
        try c.encode(acknowledgementDue, forKey: .acknowledgementDue)
        try c.encode(feedbackDue, forKey: .feedbackDue)
        try c.encode(messages, forKey: .messages)
    }
}

/// `POST /api/v1/inbox` and the inbox API's other requests: the code in the body.
public struct CodeRequest: Codable, Sendable, Equatable {
    public let code: String

    public init(code: String) { self.code = code }
}

/// A report (`POST /api/v1/reports`) or a follow-up (`POST /api/v1/inbox/messages`) as
/// `application/json`: all optional on the wire, checked by the daemon's validation
/// (422 with field details).
public struct ReportRequest: Codable, Sendable, Equatable {
    public let text: String?
    public let grounds: [String]?
    public let area: String?
    public let when: String?
    public let `where`: String?
    public let contact: String?
    /// A report's approximate incident date, `YYYY-MM` or `YYYY-MM-DD` (PROTOCOL §3.2), as
    /// sent: the daemon parses it (422 `incident_invalid`, `incident_too_early`, `incident_future`).
    public let incident: String?
    /// The reporter's code, for a follow-up only.
    public let code: String?

    public init(text: String?, grounds: [String]? = nil, area: String? = nil, when: String? = nil,
                where whereText: String? = nil, contact: String? = nil, incident: String? = nil, code: String? = nil) {
        self.text = text
        self.grounds = grounds
        self.area = area
        self.when = when
        self.where = whereText
        self.contact = contact
        self.incident = incident
        self.code = code
    }
}
