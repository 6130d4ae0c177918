// The unlock agent's socket loop: one connection at a time, one request per connection.
// A peer of another user is refused before anything is read (SO_PEERCRED); a frame longer
// than 1 MiB, a stalled peer (5 s per connection) or a body that is no request gets an
// error answer and the connection is closed; the agent carries on. It ends after
// `identity.idleSeconds` without use, on `lock`, or on SIGTERM/SIGINT/SIGHUP, then wipes
// the keys and removes its socket.
import Foundation
import SealboxCrypto
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var agentStopRequested: sig_atomic_t = 0

/// Listens on the agent's socket and answers with an AgentHandler.
public final class AgentServer {
    public let folder: String
    public let path: String
    public let handler: AgentHandler
    private var listener: Int32 = -1

    public init(folder: String, path: String, handler: AgentHandler) {
        self.folder = folder
        self.path = path
        self.handler = handler
    }

    /// Makes the folder, binds the socket with mode 0600 and listens; refuses when another agent answers there.
    public func bind() throws(AgentSocketError) {
        try AgentSocket.preparePrivateFolder(folder)
        guard var address = AgentSocket.address(path) else {
            throw AgentSocketError("the socket path \(path) is too long; set XDG_RUNTIME_DIR to a shorter folder")
        }
        if AgentClient(path: path).isAnswering() { throw AgentSocketError("an agent is running already at \(path)") }
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw AgentSocketError("cannot make a socket (\(String(cString: strerror(errno))))") }
        let previous = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(previous)
        guard bound == 0, chmod(path, 0o600) == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw AgentSocketError("cannot listen on \(path) (\(reason))")
        }
        listener = fd
    }

    /// Answers requests until locked, idle or signalled; then wipes the keys and removes the socket.
    public func run() {
        signal(SIGPIPE, SIG_IGN)
        let stop: @convention(c) (Int32) -> Void = { _ in agentStopRequested = 1 }
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = stop
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0  // no SA_RESTART: poll returns EINTR
            sigaction(sig, &action, nil)
        }
        defer { shutDown() }
        while agentStopRequested == 0 && !handler.locked {
            let remaining = handler.remaining(now: AgentSocket.monotonicNow())
            if remaining <= 0 { break }
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            if ready <= 0 { continue }
            let connection = accept(listener, nil, nil)  // the agent starts no process: no CLOEXEC needed
            if connection < 0 { continue }
            serve(connection)
            close(connection)
        }
    }

    /// One connection: the peer check, one frame, one answer.
    private func serve(_ fd: Int32) {
        AgentSocket.setTimeouts(fd, seconds: 5)
        guard let uid = AgentSocket.peerUID(fd), uid == getuid() else {
            AgentSocket.writeAll(fd, AgentFrame.encode(AgentAnswer.failure("forbidden", "this agent serves its own user only").encoded()))
            return
        }
        let answer: AgentAnswer
        do throws(AgentFrameError) {
            let body = try AgentSocket.readFrame(fd, limit: AgentFrame.maximumRequestLength)
            answer = handler.handle(body, now: AgentSocket.monotonicNow())
        } catch .tooLong(let length) {
            answer = .failure("too_long", "a request may hold at most \(AgentFrame.maximumRequestLength) bytes, not \(length)")
        } catch {
            answer = .failure("bad_frame", "the request frame ended early")
        }
        var frame = AgentFrame.encode(answer.encoded())
        defer { SecureMemory.wipe(&frame) }
        AgentSocket.writeAll(fd, frame)
    }

    private func shutDown() {
        handler.keys.wipe()
        if listener >= 0 { close(listener) }
        unlink(path)
    }
}
