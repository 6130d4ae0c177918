// Writing decrypted attachments into the folder the user named with --attachments.
// Names come from anonymous reporters and are untrusted: `FileNames.sanitise` keeps
// only the last path component and removes control characters, bidirectional
// overrides and leading dots. Files are created with O_EXCL | O_NOFOLLOW and mode
// 0600, so an existing file is never overwritten; a clash gets " (2)", " (3)", ….
import Foundation
import SealboxCore

/// Safe file names for attachments.
public enum FileNames {
    /// The name used when nothing usable is left.
    public static let fallback = "attachment"
    /// The longest name written, in UTF-8 bytes (file systems allow 255).
    static let maximumBytes = 200

    /// A file name from an untrusted attachment name: no path separators, no
    /// leading dot, no control or bidirectional characters, at most 200 bytes.
    public static func sanitise(_ name: String) -> String {
        // Only what follows the last separator of either kind (C:\Users\x\letter.pdf).
        let base = name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" }).last
            .map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for scalar in base.precomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: continue
            default:
                if scalar.properties.generalCategory == .control { continue }
                scalars.append(scalar)
            }
        }
        var result = String(scalars).trimmingCharacters(in: .whitespaces)
        while let first = result.first, first == "." || first.isWhitespace { result.removeFirst() }
        while let last = result.last, last == "." || last.isWhitespace { result.removeLast() }
        result = shorten(result)
        return result.isEmpty ? fallback : result
    }

    /// The name to try at `attempt` (1 is the name itself): `letter (2).pdf`.
    public static func candidate(_ name: String, attempt: Int) -> String {
        guard attempt > 1 else { return name }
        let (stem, ext) = split(name)
        return "\(stem) (\(attempt))\(ext)"
    }

    /// `letter.pdf` → (`letter`, `.pdf`); names without a dot keep an empty extension.
    static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        let ext = String(name[dot...])
        guard ext.utf8.count <= 16 else { return (name, "") }
        return (String(name[..<dot]), ext)
    }

    private static func shorten(_ name: String) -> String {
        guard name.utf8.count > maximumBytes else { return name }
        let (stem, ext) = split(name)
        var short = stem
        while short.utf8.count + ext.utf8.count > maximumBytes { short.removeLast() }
        return short + ext
    }
}

/// Writes attachments into one folder without overwriting anything.
struct AttachmentSaver {
    let directory: URL

    /// Creates the folder (mode 0700) when it is missing.
    init(directory: URL) throws(CLIError) {
        self.directory = directory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CLIError("\(directory.path) is a file, not a folder", hint: "name a folder with --attachments")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError("cannot create the folder \(directory.path)", hint: "check --attachments and its parent folder")
        }
    }

    /// Writes `bytes` under the sanitised `name`, or a numbered variant; returns the file written.
    func save(_ bytes: [UInt8], name: String) throws(CLIError) -> URL {
        let safe = FileNames.sanitise(name)
        for attempt in 1...1000 {
            let url = directory.appendingPathComponent(FileNames.candidate(safe, attempt: attempt))
            do {
                try PrivateFile.create(at: url.path, contents: bytes)
                return url
            } catch where error.fileExists {
                continue
            } catch where error.step == .create {
                throw CLIError("cannot create \(url.path) (\(error.reason))")
            } catch {
                throw CLIError("cannot write \(url.path) (\(error.reason))", hint: "check the free disk space")
            }
        }
        throw CLIError("too many files named like \(safe) in \(directory.path)", hint: "choose an empty folder")
    }
}
