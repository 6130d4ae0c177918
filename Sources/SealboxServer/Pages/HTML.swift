// Escaping for server-rendered HTML. Rule: every value that is not a literal
// in this folder (catalogue strings, configuration, anything the reporter
// typed) passes through `HTML.escape` before it reaches a page.

/// HTML helpers.
public enum HTML {
    /// Escapes `& < > " '` so that `s` is safe in text and in quoted attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\0": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
