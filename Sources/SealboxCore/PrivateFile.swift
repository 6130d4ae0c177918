// The one way Sealbox creates a private file (the pepper, sealed upload staging files,
// key files, saved attachments, the reply editor's template).
//
// Rules this file enforces:
// - a file is always new: O_CREAT | O_EXCL, never through a symbolic link (O_NOFOLLOW),
//   never inherited by a child process (O_CLOEXEC);
// - mode 0600 (narrowed further by the umask, never widened);
// - every byte is written (short writes and EINTR are retried), then fsync, then close;
// - a file that could not be written completely is removed.
// This file and SealboxCrypto are the only places that import the C library directly.
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a private file could not be created or written.
public struct PrivateFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The step that failed.
    public enum Step: Sendable, Equatable {
        case create
        case write
    }

    public let step: Step
    let code: Errno

    /// Whether a file (or link) of that name existed already; only when creating.
    public var fileExists: Bool { code == .fileExists }
    /// Whether the disk or the user's quota is full.
    public var diskFull: Bool { code == .noSpace || code == .diskQuotaExceeded }
    /// The system's words for the failure (strerror).
    public var reason: String { code.description }
    public var description: String { "cannot \(step == .create ? "create" : "write") the file (\(reason))" }
}

/// Creating files only their owner can read.
public enum PrivateFile {
    /// Creates a new file at `path` with mode 0600, writes `contents`, flushes them to disk
    /// and closes it. Nothing is left at `path` when this throws (unless it existed before).
    public static func create(at path: String, contents: some Sequence<UInt8>) throws(PrivateFileError) {
        let writer = try createForWriting(at: path)
        try writer.write(contents)
        try writer.finish()
    }

    /// Creates a new, empty file at `path` with mode 0600 and returns it open for writing.
    public static func createForWriting(at path: String) throws(PrivateFileError) -> Writer {
        do {
            let descriptor = try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec],
                permissions: [.ownerRead, .ownerWrite])
            return Writer(path: path, descriptor: descriptor)
        } catch {
            throw PrivateFileError(step: .create, code: error as? Errno ?? .ioError)
        }
    }

    /// Overwrites the regular file at `path` with zeros, flushes it and removes it (for a
    /// file that held plaintext, such as the reply editor's). Does nothing to anything
    /// else, such as a symbolic link or a folder.
    public static func overwriteAndRemove(at path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        if let descriptor = try? FileDescriptor.open(FilePath(path), .writeOnly, options: [.noFollow, .closeOnExec]) {
            let zeros = [UInt8](repeating: 0, count: 16384)
            var left = Int(info.st_size)
            while left > 0 {
                let n = min(left, zeros.count)
                guard (try? descriptor.writeAll(zeros[0..<n])) != nil else { break }
                left -= n
            }
            fsync(descriptor.rawValue)
            try? descriptor.close()
        }
        unlink(path)
    }

    /// A new private file being written. Not shared between tasks. `finish` makes it
    /// durable; `discard` (or a failed write) removes it; released unfinished, it is
    /// closed and left in place for its owner to remove.
    public final class Writer {
        /// The path it was created at.
        public let path: String
        private var descriptor: FileDescriptor?

        init(path: String, descriptor: FileDescriptor) {
            self.path = path
            self.descriptor = descriptor
        }

        deinit { try? descriptor?.close() }

        /// Appends every byte of `bytes`; on failure the file is removed.
        public func write(_ bytes: some Sequence<UInt8>) throws(PrivateFileError) {
            guard let descriptor else { throw PrivateFileError(step: .write, code: .badFileDescriptor) }
            do {
                try descriptor.writeAll(bytes)
            } catch {
                discard()
                throw PrivateFileError(step: .write, code: error as? Errno ?? .ioError)
            }
        }

        /// Flushes the file to disk and closes it; on failure the file is removed.
        public func finish() throws(PrivateFileError) {
            guard let descriptor else { throw PrivateFileError(step: .write, code: .badFileDescriptor) }
            if fsync(descriptor.rawValue) != 0 {
                let code = Errno(rawValue: errno)
                discard()
                throw PrivateFileError(step: .write, code: code)
            }
            self.descriptor = nil
            do {
                try descriptor.close()
            } catch {
                unlink(path)
                throw PrivateFileError(step: .write, code: error as? Errno ?? .ioError)
            }
        }

        /// Closes the file, if still open, and removes it.
        public func discard() {
            try? descriptor?.close()
            descriptor = nil
            unlink(path)
        }
    }
}
