// Where the text of a reply (or a team note) comes from: a file (--file F), stdin (-), or, like
// `git commit`, an editor opened on a template. The template file is created with
// mode 0600 inside a private (0700) temporary folder, and overwritten with zeros and
// removed (with anything the editor left beside it) as soon as the editor exits, so
// the plaintext exists on this computer only while the editor is open. Lines that
// start with `#` are instructions and are removed; an empty message aborts.
import Foundation
import SealboxCore
import SealboxCrypto

/// Where a message is read from.
enum MessageSource: Equatable {
    case file(URL)
    case standardInput
    case editor
}

enum MessageInput {
    /// The longest message accepted, in bytes of UTF-8.
    static let maximumBytes = 256 * 1024

    /// Reads the message for case `reference` from `source`, cleaned; throws when it is empty.
    /// `language`: the reporter's language in words, named in a reply's template; `quote`:
    /// the reporter's latest messages, quoted in it; `start`: the text the editor opens with
    /// above the instructions (a reply template).
    static func read(_ source: MessageSource, reference: CaseReference, note: Bool = false, language: String? = nil,
                     quote: [String] = [], start: String = "",
                     environment: [String: String] = ProcessInfo.processInfo.environment) throws(CLIError) -> String {
        let what = note ? "note" : "reply"
        let raw: String
        let stripComments: Bool
        switch source {
        case .file(let url):
            raw = try decode(try readAll(path: url.path, what: "the message file \(url.path)"),
                             what: "the message file \(url.path)")
            stripComments = false
        case .standardInput:
            raw = try decode(try readAll(fd: STDIN_FILENO, what: "standard input"), what: "standard input")
            stripComments = false
        case .editor:
            raw = try edit(note ? ReplyTemplate.noteText(for: reference)
                                : start + ReplyTemplate.text(for: reference, language: language, quote: quote),
                           reference: reference, environment: environment)
            stripComments = true
        }
        let text = ReplyTemplate.clean(raw, stripComments: stripComments)
        guard !text.isEmpty else {
            throw CLIError("the \(what) is empty; nothing was sent",
                           hint: source == .editor ? "write the \(what) above the lines starting with #, then save"
                               : "write the reply into the file or standard input")
        }
        return text
    }

    private static func decode(_ bytes: [UInt8], what: String) throws(CLIError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError("\(what) is not UTF-8 text", hint: "save the message as UTF-8")
        }
        return text
    }

    private static func readAll(path: String, what: String) throws(CLIError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CLIError("cannot read \(what) (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        return try readAll(fd: fd, what: what)
    }

    private static func readAll(fd: Int32, what: String) throws(CLIError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot read \(what) (\(String(cString: strerror(errno))))")
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            guard bytes.count <= maximumBytes else {
                throw CLIError("the message in \(what) is longer than \(maximumBytes / 1024) KB",
                               hint: "shorten it; a reply is a text, not a document")
            }
        }
        return bytes
    }

    // MARK: - The editor

    /// The editor command: $VISUAL, else $EDITOR, else `editor` when on the PATH, else `vi`.
    static func editorCommand(environment: [String: String]) -> String {
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name], !value.trimmingCharacters(in: .whitespaces).isEmpty { return value }
        }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where access("\(folder)/editor", X_OK) == 0 {
            return "editor"
        }
        return "vi"
    }

    /// Writes `template` into a private temporary file, runs the editor on it, and
    /// returns what was saved; the file is wiped and removed in every case.
    static func edit(_ template: String, reference: CaseReference, environment: [String: String]) throws(CLIError) -> String {
        guard Terminal.stdinIsTerminal, Terminal.stdoutIsTerminal || Terminal.stderrIsTerminal else {
            throw CLIError("no message given, and sealbox opens an editor only on a terminal",
                           hint: "give the message with --file FILE, or pipe it in with `-` (standard input)",
                           status: .usage)
        }
        let folder = try PrivateFolder()
        defer { folder.wipeAndRemove() }
        let file = folder.path + "/reply-\(reference.text).txt"
        try writeNew(Array(template.utf8), to: file)
        let editor = editorCommand(environment: environment)
        let status = try runEditor(editor, file: file)
        guard status == 0 else {
            throw CLIError("the editor (\(Terminal.displaySafe(editor))) ended with status \(status); nothing was sent",
                           hint: "set VISUAL or EDITOR to an editor that works here, or use --file FILE")
        }
        return try decode(try readAll(path: file, what: "the reply file"), what: "the reply file")
    }

    private static func writeNew(_ bytes: [UInt8], to path: String) throws(CLIError) {
        do {
            try PrivateFile.create(at: path, contents: bytes)
        } catch {
            throw CLIError("\(error.step == .create ? "cannot create" : "cannot write") a temporary file (\(error.reason))")
        }
    }

    /// Runs `sh -c '<editor> "$@"' <editor> <file>` on this terminal, as git does (so
    /// that EDITOR may carry arguments); returns its exit status. Ctrl-C goes to the
    /// editor while it runs, and does not stop sealbox before it cleaned up.
    private static func runEditor(_ editor: String, file: String) throws(CLIError) -> Int32 {
        let arguments = ["/bin/sh", "-c", editor + " \"$@\"", editor, file]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        guard spawned == 0 else {
            throw CLIError("cannot start the editor (\(String(cString: strerror(spawned))))",
                           hint: "set VISUAL or EDITOR, or use --file FILE")
        }
        let previousInt = signal(SIGINT, SIG_IGN)
        let previousQuit = signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, previousInt)
            signal(SIGQUIT, previousQuit)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        if status & 0x7F == 0 { return (status >> 8) & 0xFF }
        return 128 + (status & 0x7F)
    }
}

/// A folder only this user can enter, made with mkdtemp in $XDG_RUNTIME_DIR (a tmpfs that
/// systemd empties at logout, so the draft never reaches a disk), else $TMPDIR, else /tmp.
final class PrivateFolder {
    let path: String

    /// Where the folder is made: the first absolute, existing folder of the candidates.
    static func base(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        for candidate in [environment["XDG_RUNTIME_DIR"], environment["TMPDIR"]] {
            guard let candidate, candidate.hasPrefix("/") else { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
        }
        return "/tmp"
    }

    init() throws(CLIError) {
        var base = Self.base()
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/sealbox-reply-XXXXXX").utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let made else {
            throw CLIError("cannot create a private temporary folder in \(base) (\(String(cString: strerror(errno))))",
                           hint: "set TMPDIR to a folder you may write in, or use --file FILE")
        }
        path = made
        chmod(path, 0o700)
    }

    /// Overwrites every regular file in the folder with zeros, then removes the folder.
    func wipeAndRemove() {
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: path)) ?? [] {
            PrivateFile.overwriteAndRemove(at: path + "/" + name)
        }
        try? manager.removeItem(atPath: path)
    }
}

/// The editor template and how its result is cleaned.
enum ReplyTemplate {
    /// The reply template; `language` ("Türkçe (tr)") names the language the reporter wrote
    /// in; `quote` (lines starting with `#`, ThreadExcerpt.quoted) follows the instructions,
    /// so that the reporter's latest messages are in view while writing.
    static func text(for reference: CaseReference, language: String? = nil, quote: [String] = []) -> String {
        let wrote = language.map { "#\n# The reporter wrote in \($0): consider answering in that language.\n" } ?? ""
        let thread = quote.isEmpty ? "" : "#\n# The reporter's latest messages (removed before sending):\n#\n"
            + quote.joined(separator: "\n") + "\n"
        return """

        # Write your reply to case \(reference.text) above these lines, save, and close
        # the editor. The reporter reads this text, exactly as written, when they
        # come back with their code. Lines starting with '#' are removed; an empty
        # message sends nothing.
        #
        # While the editor is open, the text is in a file on this computer that only
        # you can read (as with `git commit`); sealbox overwrites and removes it
        # afterwards and sends the reply sealed to the reporter and the team.
        \(wrote)\(thread)
        """
    }

    static func noteText(for reference: CaseReference) -> String {
        """

        # Write your note on case \(reference.text) above these lines, save, and close
        # the editor. Only the team reads it, never the reporter. Lines starting
        # with '#' are removed; an empty note sends nothing.
        #
        # While the editor is open, the text is in a file on this computer that only
        # you can read; sealbox overwrites and removes it afterwards and sends the
        # note sealed to the team key.

        """
    }

    /// The message: line ends as `\n`; with `stripComments`, lines starting with `#`
    /// removed and trailing spaces of each line trimmed; blank lines at the start
    /// and end removed. Empty when nothing is left.
    static func clean(_ raw: String, stripComments: Bool) -> String {
        let normalised = raw.replacingOccurrences(of: "\r\n", with: "\n")
        var lines = normalised.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if stripComments {
            lines = lines.filter { !$0.hasPrefix("#") }.map { line in
                var line = line
                while let last = line.last, last == " " || last == "\t" { line.removeLast() }
                return line
            }
        }
        let isBlank = { (line: String) in line.allSatisfy { $0 == " " || $0 == "\t" } }
        while let first = lines.first, isBlank(first) { lines.removeFirst() }
        while let last = lines.last, isBlank(last) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}

private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
