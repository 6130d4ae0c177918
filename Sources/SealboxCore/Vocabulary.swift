/// The closed vocabularies of a report's structured fields (docs/PROTOCOL.md §3.2).
public enum ReportVocabulary {
    /// Grounds of discrimination: AGG §1 plus what offices also record.
    public static let grounds: [String] = [
        "ethnic-origin", "gender", "religion", "disability", "age", "sexual-identity",
        "chronic-illness", "language", "social-status", "appearance", "nationality", "other",
    ]
    /// Areas of life.
    public static let areas: [String] = [
        "work", "housing", "education", "authorities", "goods-services", "health",
        "public-space", "online", "other",
    ]
}
