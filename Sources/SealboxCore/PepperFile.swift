// Loads the installation's pepper: 32 random bytes in a file outside the database.
// Refuses a file that others can read, that has the wrong length, or that cannot be
// read; creates it with mode 0600 when it does not exist.
import Foundation
import SealboxCrypto

/// Why the pepper file cannot be used.
public enum PepperFileError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String)
    case wrongLength(String, Int)
    case tooOpen(String, String)
    case cannotCreate(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "pepper file \(path) cannot be read"
        case .wrongLength(let path, let n): "pepper file \(path) holds \(n) bytes; it must hold exactly 32"
        case .tooOpen(let path, let mode): "pepper file \(path) has mode \(mode); it must not be readable by group or others (chmod 600)"
        case .cannotCreate(let path): "pepper file \(path) cannot be created"
        }
    }
}

public enum PepperFile {
    /// Whether nothing at all is at `path` (any other failure to look counts as there).
    public static func exists(path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 || errno != ENOENT
    }

    /// Reads the pepper at `path` without ever creating it.
    public static func load(path: String) throws(PepperFileError) -> Pepper {
        guard exists(path: path) else { throw .unreadable(path) }
        return try loadOrCreate(path: path)
    }

    /// Reads the pepper at `path`, creating it first when no file is there.
    public static func loadOrCreate(path: String) throws(PepperFileError) -> Pepper {
        var info = stat()
        if stat(path, &info) != 0 {
            guard errno == ENOENT else { throw .unreadable(path) }
            try create(path: path)
            guard stat(path, &info) == 0 else { throw .unreadable(path) }
        }
        if info.st_mode & 0o077 != 0 {
            throw .tooOpen(path, String(info.st_mode & 0o777, radix: 8))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path) }
        defer { close(fd) }
        let secret = SecureBytes(count: 33)
        let n = secret.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 33) }
        guard n >= 0 else { throw .unreadable(path) }
        guard n == 32 else { throw .wrongLength(path, n) }
        let exact = secret.withUnsafeBytes { SecureBytes(copying: $0.prefix(32)) }
        guard let pepper = try? Pepper(secret: exact) else { throw .wrongLength(path, n) }
        return pepper
    }

    static func create(path: String) throws(PepperFileError) {
        let pepper = Pepper.generate()
        do {
            try pepper.secret.withUnsafeBytes { bytes throws(PrivateFileError) in
                try PrivateFile.create(at: path, contents: bytes)
            }
        } catch {
            throw .cannotCreate(path)
        }
    }
}
