// Where the unlock agent listens and the socket calls both ends share. The socket is
// `$XDG_RUNTIME_DIR/sealbox/agent.sock`; without XDG_RUNTIME_DIR (an absolute path), it is
// `/tmp/sealbox-agent-<uid>/agent.sock`. Either folder must be a real folder (not a link)
// owned by this user with mode 0700; the agent makes it so or refuses to start, and a
// client refuses to talk to a socket whose peer runs as another user (SO_PEERCRED).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why a socket path or folder cannot be used.
public struct AgentSocketError: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// The agent's socket path and the low-level socket calls.
public enum AgentSocket {
    /// The folder and the socket path for `environment`.
    public static func location(environment: [String: String]) -> (folder: String, socket: String) {
        let folder: String
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            folder = (runtime.hasSuffix("/") ? String(runtime.dropLast()) : runtime) + "/sealbox"
        } else {
            folder = "/tmp/sealbox-agent-\(getuid())"
        }
        return (folder, folder + "/agent.sock")
    }

    /// Makes `folder` (mode 0700) when missing, and checks that it is a folder of this user's that nobody else may enter.
    public static func preparePrivateFolder(_ folder: String) throws(AgentSocketError) {
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw AgentSocketError("cannot create the folder \(folder) (\(String(cString: strerror(errno))))")
        }
        try checkPrivateFolder(folder)
    }

    /// Checks that `folder` is a real folder owned by this user with no access for others.
    public static func checkPrivateFolder(_ folder: String) throws(AgentSocketError) {
        var info = stat()
        guard lstat(folder, &info) == 0 else {
            throw AgentSocketError("cannot look at the folder \(folder) (\(String(cString: strerror(errno))))")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw AgentSocketError("\(folder) is not a folder (or is a link)") }
        guard info.st_uid == getuid() else { throw AgentSocketError("the folder \(folder) belongs to another user") }
        guard info.st_mode & 0o077 == 0 else {
            throw AgentSocketError("the folder \(folder) may be entered by other users (mode \(String(info.st_mode & 0o777, radix: 8)))")
        }
    }

    /// A `sockaddr_un` for `path`, or nil when the path is too long for one.
    static func address(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity, !bytes.contains(0) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// The user id of the process at the other end of `fd` (SO_PEERCRED), or nil.
    public static func peerUID(_ fd: Int32) -> uid_t? {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }: three 32-bit fields.
        var credentials = (Int32(0), UInt32(0), UInt32(0))
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0,
              Int(length) == MemoryLayout.size(ofValue: credentials) else { return nil }
        return credentials.1
    }

    /// Sets send and receive timeouts on `fd`.
    static func setTimeouts(_ fd: Int32, seconds: Double) {
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads exactly `count` bytes; nil when the peer closed, timed out or failed first.
    static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { raw in recv(fd, raw.baseAddress! + done, count - done, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            done += n
        }
        return buffer
    }

    /// Writes all of `bytes`; false when the peer went away or timed out.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in send(fd, raw.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    /// Reads one frame body (the length checked against `limit` first).
    static func readFrame(_ fd: Int32, limit: Int) throws(AgentFrameError) -> [UInt8] {
        guard let prefix = readExactly(fd, 4) else { throw .truncated }
        let length = try AgentFrame.length(ofPrefix: prefix, limit: limit)
        if length == 0 { return [] }
        guard let body = readExactly(fd, length) else { throw .truncated }
        return body
    }

    /// Seconds on a clock that never jumps.
    public static func monotonicNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
