// Passphrases for key files. They live in SecureBytes from the first byte read
// (never in a String or Data), are never printed, and come from a file named by
// --passphrase-file / SEALBOX_PASSPHRASE_FILE / "passphrase_file", or from the
// terminal with echo off. When stdin is not a terminal, sealbox never waits for
// input: without a passphrase file it stops with an error (scripts stay scriptable).
import Foundation
import SealboxCrypto

enum Passphrase {
    /// The longest passphrase accepted, in bytes.
    static let maximumLength = 4096

    /// The passphrase from the configured file, else asked once on the terminal.
    static func obtain(settings: Settings, flag: String?, prompt: String) throws(CLIError) -> SecureBytes {
        if let file = settings.path(.passphraseFile, flag: flag) { return try read(file: file) }
        return try ask(prompt)
    }

    /// A new passphrase: from the configured file, else asked twice on the terminal.
    static func obtainNew(settings: Settings, flag: String?, for keyFile: URL) throws(CLIError) -> SecureBytes {
        if let file = settings.path(.passphraseFile, flag: flag) { return try read(file: file) }
        let first = try ask("Choose a passphrase for \(keyFile.path): ")
        let second = try ask("Type the same passphrase again: ")
        guard first == second else {
            throw CLIError("the two passphrases are not the same; nothing was written", hint: "run the command again")
        }
        return first
    }

    /// Reads a passphrase file into secure memory, removing one trailing newline.
    static func read(file: URL) throws(CLIError) -> SecureBytes {
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CLIError("cannot read the passphrase file \(file.path) (\(String(cString: strerror(errno))))",
                           hint: "check --passphrase-file, SEALBOX_PASSPHRASE_FILE or \"passphrase_file\"")
        }
        defer { close(fd) }
        let buffer = SecureBytes(count: maximumLength + 1)
        var total = 0
        let failed: Bool = buffer.withUnsafeMutableBytes { raw in
            while total < raw.count {
                let n = systemRead(fd, raw.baseAddress! + total, raw.count - total)
                if n == 0 { return false }
                if n < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                total += n
            }
            return false
        }
        guard !failed else { throw CLIError("cannot read the passphrase file \(file.path)") }
        guard total <= maximumLength else {
            throw CLIError("the passphrase file \(file.path) is longer than \(maximumLength) bytes",
                           hint: "is it the right file? It should hold only the passphrase")
        }
        var length = total
        buffer.withUnsafeBytes { raw in
            if length > 0 && raw[length - 1] == 0x0A { length -= 1 }
        }
        guard length > 0 else {
            throw CLIError("the passphrase file \(file.path) is empty", hint: "write the passphrase into it")
        }
        return prefix(buffer, length)
    }

    /// Asks on the terminal with echo off. Refuses when stdin is not a terminal.
    static func ask(_ prompt: String) throws(CLIError) -> SecureBytes {
        guard Terminal.stdinIsTerminal else {
            throw CLIError("a passphrase is needed, and sealbox asks for it only on a terminal",
                           hint: "name a file holding it with --passphrase-file FILE or SEALBOX_PASSPHRASE_FILE, "
                               + "or run `sealbox unlock` once (no unlock agent holds this key now)")
        }
        Terminal.errorRaw(prompt)
        let buffer = SecureBytes(count: maximumLength)
        var length = 0
        var overflow = false
        withEchoOff {
            buffer.withUnsafeMutableBytes { raw in
                var byte: UInt8 = 0
                while true {
                    let n = systemRead(STDIN_FILENO, &byte, 1)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 || byte == 0x0A { break }
                    if byte == 0x0D { continue }
                    if length < raw.count { raw[length] = byte; length += 1 } else { overflow = true }
                }
                byte = 0
            }
        }
        Terminal.errorRaw("\n")
        guard !overflow else { throw CLIError("the passphrase is longer than \(maximumLength) bytes") }
        guard length > 0 else { throw CLIError("the passphrase is empty", hint: "type the passphrase, then Enter") }
        return prefix(buffer, length)
    }

    private static func prefix(_ buffer: SecureBytes, _ length: Int) -> SecureBytes {
        let result = SecureBytes(count: length)
        buffer.withUnsafeBytes { src in
            result.withUnsafeMutableBytes { dst in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<length]))
            }
        }
        return result
    }
}

// The terminal state to restore if a signal arrives while echo is off. Written only
// on the main thread before the handler is installed; read by the handler.
nonisolated(unsafe) private var savedTerminal = termios()
nonisolated(unsafe) private var echoIsOff = false

/// Runs `body` with terminal echo off, restoring it afterwards and on Ctrl-C.
private func withEchoOff(_ body: () -> Void) {
    guard tcgetattr(STDIN_FILENO, &savedTerminal) == 0 else { return body() }
    var silent = savedTerminal
    silent.c_lflag &= ~tcflag_t(ECHO)
    silent.c_lflag |= tcflag_t(ICANON)
    echoIsOff = true
    let restoreAndExit: @convention(c) (Int32) -> Void = { signal in
        if echoIsOff { tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal) }
        _exit(128 + signal)
    }
    let previous = [SIGINT, SIGTERM, SIGHUP, SIGQUIT].map { ($0, systemSignal($0, restoreAndExit)) }
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
    body()
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal)
    echoIsOff = false
    for (sig, handler) in previous { systemSignal(sig, handler) }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

@discardableResult
private func systemSignal(_ sig: Int32, _ handler: (@convention(c) (Int32) -> Void)?) -> (@convention(c) (Int32) -> Void)? {
    signal(sig, handler)
}
