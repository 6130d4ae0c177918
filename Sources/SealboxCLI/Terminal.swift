// Terminal output for `sealbox`. Reporters are anonymous and their text is
// untrusted: before any decrypted or server-supplied string reaches a terminal,
// `displaySafe` replaces control characters (escape sequences could otherwise
// rewrite the screen or the window title) and bidirectional overrides.
import Foundation

/// Where output goes and how it is made safe to show.
enum Terminal {
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// The width tables are cut to: COLUMNS when set to a number, else the terminal's
    /// when standard output is one, else nil (a pipe or file gets whole lines).
    static var width: Int? {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"], let number = Int(columns), (20...10_000).contains(number) {
            return number
        }
        guard stdoutIsTerminal else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 20 else { return nil }
        return Int(size.ws_col)
    }

    /// Writes `text` and a newline to stderr.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes `text` to stderr without a newline.
    static func errorRaw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// A warning line on stderr.
    static func warning(_ text: String) {
        error("sealbox: warning: \(text)")
    }

    /// `text` with control characters replaced by U+FFFD; tabs stay, and newlines
    /// stay when `multiline`, else they become spaces. Bidirectional controls go.
    static func displaySafe(_ text: String, multiline: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A:
                out.append(multiline ? scalar : " ")
            case 0x09:
                out.append(scalar)
            case 0x0D:
                // A lone CR would move the cursor; CRLF is just a line end.
                continue
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
                continue
            default:
                if scalar.properties.generalCategory == .control {
                    out.append("\u{FFFD}")
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    /// `1 item`, `2 items`.
    /// `value` as indented JSON with sorted keys, for `--json` output.
    static func prettyJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : (plural ?? singular + "s"))"
    }

    /// A human file size: `812 bytes`, `47 KB`, `1.2 MB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1000 { return count(bytes, "byte") }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let number = value < 10 ? String(format: "%.1f", value) : String(format: "%.0f", value)
        return "\(number) \(units[unit])"
    }
}

/// A one-line progress indicator on stderr, shown only when stderr is a terminal.
final class ProgressLine {
    private let enabled: Bool
    private var shown = false

    init(enabled: Bool = Terminal.stderrIsTerminal) {
        self.enabled = enabled
    }

    /// Replaces the line with `text`.
    func update(_ text: String) {
        guard enabled else { return }
        Terminal.errorRaw("\r\u{1B}[2K" + text)
        shown = true
    }

    /// Clears the line.
    func finish() {
        guard enabled, shown else { return }
        Terminal.errorRaw("\r\u{1B}[2K")
        shown = false
    }
}
