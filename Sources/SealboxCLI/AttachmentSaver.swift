// Writing decrypted attachments into the folder the user named with --attachments.
// Names come from anonymous reporters and are untrusted: `FileNames.sanitise`
// (SealboxWorkstation, shared with the desk's downloads) keeps
// only the last path component and removes control characters, bidirectional
// overrides and leading dots. Files are created with O_EXCL | O_NOFOLLOW and mode
// 0600, so an existing file is never overwritten; a clash gets " (2)", " (3)", ….
import Foundation
import SealboxCore
import SealboxWorkstation

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
