/// Where a case stands, as the reporter and the counsellors see it.
public enum CaseStatus: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case received
    case acknowledged
    case inProgress = "in-progress"
    case closed

    /// The wire and storage form, e.g. `in-progress`.
    public var description: String { rawValue }
}
