// Short excerpts of a case's decrypted texts for the counsellor (issue 11): the first
// words of a report (the delete confirmation shows them, so the right case goes) and
// the reporter's latest messages quoted into the reply template (lines the CLI strips
// before sending, like every `#` line). The caller makes them terminal-safe.
import SealboxCore

/// Excerpts of decrypted texts, as pure functions.
public enum ThreadExcerpt {
    /// How many words `firstWords` keeps by default.
    public static let wordCount = 8
    /// The longest excerpt `firstWords` returns, in characters.
    public static let maximumCharacters = 80

    /// The first `count` words of `text` (any whitespace, line ends included, between
    /// them), joined by single spaces, cut to `maximumCharacters`; "…" when anything was left out.
    public static func firstWords(_ text: String, count: Int = wordCount) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        var excerpt = words.prefix(count).joined(separator: " ")
        var cut = words.count > count
        if excerpt.count > maximumCharacters {
            excerpt = String(excerpt.prefix(maximumCharacters - 1))
            cut = true
        }
        return cut ? excerpt + "…" : excerpt
    }

    /// One message to quote: its kind (report or follow-up), day and text.
    public struct Message: Sendable, Equatable {
        public let kind: ItemKind
        public let day: Day
        public let text: String

        public init(kind: ItemKind, day: Day, text: String) {
            self.kind = kind
            self.day = day
            self.text = text
        }
    }

    /// The last `maximumMessages` of `messages` as template lines: a heading
    /// `# > Report, 2026-11-30:` (or `Follow-up`) and each line of the text as `# > line`,
    /// at most `maximumLines` lines per message (then `# > …`). Every line starts with
    /// `#`, so the template's cleaning removes all of them.
    public static func quoted(_ messages: [Message], maximumMessages: Int = 3, maximumLines: Int = 40) -> [String] {
        var lines: [String] = []
        for message in messages.suffix(maximumMessages) {
            let title = message.kind == .report ? "Report" : "Follow-up"
            lines.append("# > \(title), \(message.day.text):")
            let textLines = message.text.split(separator: "\n", omittingEmptySubsequences: false)
            for line in textLines.prefix(maximumLines) {
                lines.append(line.isEmpty ? "# >" : "# > " + line)
            }
            if textLines.count > maximumLines { lines.append("# > …") }
            lines.append("#")
        }
        return lines
    }
}
