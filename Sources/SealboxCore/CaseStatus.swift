/// Where a case stands, as the reporter and the counsellors see it.
public enum CaseStatus: String, Sendable, CaseIterable, Codable {
    case received
    case acknowledged
    case inProgress = "in-progress"
    case closed
}

/// The server's view of a case: no content, only what the server must know.
public struct CaseRecord: Sendable, Equatable {
    public let reference: String
    public let reporterKey: [UInt8]
    public let status: CaseStatus
    public let received: Day
    public let acknowledged: Day?
    public let updated: Day
}

/// One line of the audit log of staff actions: never content.
public struct AuditEntry: Sendable, Equatable {
    public let day: String
    public let staffKey: String
    public let action: String
    public let caseReference: String

    public init(day: String, staffKey: String, action: String, caseReference: String) {
        self.day = day
        self.staffKey = staffKey
        self.action = action
        self.caseReference = caseReference
    }
}
