// The controlled vocabularies of a report, in the order of docs/PROTOCOL.md §3.2.
// Each value has a catalogue entry `ground.<value>` or `area.<value>`.

/// The grounds of discrimination and the areas of life a reporter can choose.
public enum Vocabulary {
    /// Grounds (AGG §1 and those offices also record), PROTOCOL order.
    public static let grounds: [String] = [
        "ethnic-origin", "gender", "religion", "disability", "age", "sexual-identity",
        "chronic-illness", "language", "social-status", "appearance", "nationality", "other",
    ]

    /// Areas of life, PROTOCOL order.
    public static let areas: [String] = [
        "work", "housing", "education", "authorities", "goods-services", "health",
        "public-space", "online", "other",
    ]
}
