// The controlled vocabularies of a report, in the order of docs/PROTOCOL.md §3.2,
// as the pages list them. Each value has a catalogue entry `ground.<value>` or `area.<value>`.
import SealboxCore

/// The grounds of discrimination and the areas of life a reporter can choose.
public enum Vocabulary {
    /// Grounds (AGG §1 and those offices also record), PROTOCOL order.
    public static let grounds: [String] = ReportVocabulary.grounds

    /// Areas of life, PROTOCOL order.
    public static let areas: [String] = ReportVocabulary.areas
}
