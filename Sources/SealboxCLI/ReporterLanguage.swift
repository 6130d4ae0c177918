// How the workstation names the language a reporter used (PROTOCOL §3.2 `lang`) and the
// incident date (`incident`): "Türkçe (tr)", "2026-10 (month only)". The names come from
// the shipped catalogues of the reporters' pages (SealboxL10n), so they are the ones the
// reporter picked from; a tag an office added on its server shows as the tag alone.
import SealboxCore
import SealboxCrypto
import SealboxL10n

enum ReporterLanguage {
    /// "Türkçe (tr)", or the tag alone when no shipped catalogue has it.
    static func name(_ tag: LanguageTag) -> String {
        guard let language = Language.builtIn.first(where: { $0.tag == tag.text }) else { return tag.text }
        return "\(language.nativeName) (\(tag.text))"
    }

    /// The language of a thread's reporter: that of their newest message that names one.
    static func latest(_ contents: [ReportContent]) -> LanguageTag? {
        contents.filter { $0.type == .report || $0.type == .followUp }.compactMap(\.lang).last
    }

    /// "2026-10 (month only)" or "2026-10-14".
    static func incident(_ date: IncidentDate) -> String {
        date.isMonth ? "\(date.text) (month only)" : date.text
    }

    /// The AGG clock in words while it may run on `today`, else nil.
    static func aggNote(_ date: IncidentDate, today: Day) -> String? {
        AGGClock.deadline(incident: date, today: today).map { "AGG two-month deadline may run until \($0.due.text)" }
    }
}
