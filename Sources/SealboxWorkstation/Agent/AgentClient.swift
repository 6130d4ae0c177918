// The client end of the unlock agent (docs/WORKSTATION.md "The agent protocol"), and the
// KeyAccess over it. The client talks only to an agent of its own user: the folder must be
// private and the peer's user id (SO_PEERCRED) must be ours, so that another user's socket
// can neither read what we open nor feed us forged plaintext.
import Foundation
import SealboxCore
import SealboxCrypto
#if canImport(Glibc)
import Glibc
#endif

/// Why talking to the agent failed.
public enum AgentClientError: Error, Sendable, Equatable {
    /// No agent listens (no socket, or nobody accepts).
    case notRunning
    /// The socket is not this user's agent (a foreign folder or peer).
    case untrusted(String)
    /// The agent answered with a refusal.
    case refused(code: String, message: String)
    /// The connection failed midway or the answer was unreadable.
    case failed(String)
}

/// Sends one request per connection to the agent at `path`.
public struct AgentClient: Sendable {
    public let path: String
    /// Seconds to wait for an answer.
    public var timeout: Double = 30

    public init(path: String) { self.path = path }

    /// The client for this user's agent under `environment`.
    public static func forUser(environment: [String: String] = ProcessInfo.processInfo.environment) -> AgentClient {
        AgentClient(path: AgentSocket.location(environment: environment).socket)
    }

    /// Whether an agent of this user answers `status`.
    public func isAnswering() -> Bool {
        (try? exchange(AgentRequest(op: .status)))?.ok == true
    }

    /// Sends `request`, returns the answer; a refusal (`ok` false) is thrown as `refused`.
    public func exchange(_ request: AgentRequest) throws(AgentClientError) -> AgentAnswer {
        guard let body = try? JSONEncoder().encode(request) else { throw .failed("cannot encode the request") }
        let answer = try exchange(raw: AgentFrame.encode(Array(body)))
        guard answer.ok else {
            throw .refused(code: answer.error?.code ?? "unknown", message: answer.error?.message ?? "refused")
        }
        return answer
    }

    /// Sends `frame` as it is (tests send broken ones) and reads the answer frame.
    public func exchange(raw frame: [UInt8]) throws(AgentClientError) -> AgentAnswer {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw .notRunning }
        let folder = (path as NSString).deletingLastPathComponent
        do throws(AgentSocketError) {
            try AgentSocket.checkPrivateFolder(folder)
        } catch {
            throw .untrusted(error.message)
        }
        guard var address = AgentSocket.address(path) else { throw .failed("the socket path \(path) is too long") }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .failed("cannot make a socket") }
        defer { close(fd) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw .notRunning }
        guard let uid = AgentSocket.peerUID(fd), uid == getuid() else {
            throw .untrusted("the socket \(path) is served by another user")
        }
        AgentSocket.setTimeouts(fd, seconds: timeout)
        guard AgentSocket.writeAll(fd, frame) else { throw .failed("the agent closed the connection") }
        shutdown(fd, Int32(SHUT_WR))
        var body: [UInt8]
        do throws(AgentFrameError) {
            body = try AgentSocket.readFrame(fd, limit: AgentFrame.maximumAnswerLength)
        } catch {
            throw .failed("the agent's answer was cut off or too long")
        }
        defer { SecureMemory.wipe(&body) }
        guard let answer = try? JSONDecoder().decode(AgentAnswer.self, from: Data(body)) else {
            throw .failed("the agent's answer is unreadable")
        }
        return answer
    }
}

/// The keys an agent holds, as `status` named them; opening and signing go to the agent.
public struct AgentKeyAccess: KeyAccess {
    public let client: AgentClient
    public let status: AgentAnswer
    public let keyIDs: Set<KeyID>
    public let signer: (any MessageSigner)?

    /// Asks the agent at `client` for its status; nil when none runs.
    public init(client: AgentClient) throws(AgentClientError) {
        let status = try client.exchange(AgentRequest(op: .status))
        self.client = client
        self.status = status
        self.keyIDs = Set((status.keys ?? []).compactMap { try? KeyID(hex: $0) })
        self.signer = status.signer.flatMap { try? SigningPublicKey(text: $0) }.map { AgentSigner(client: client, publicKey: $0) }
    }

    public func open(_ envelope: [UInt8]) throws(CryptoError) -> (kind: EnvelopeKind, plaintext: [UInt8]) {
        let answer: AgentAnswer
        do throws(AgentClientError) {
            answer = try client.exchange(AgentRequest(op: .open, envelope: envelope))
        } catch .refused(let code, _) {
            switch code {
            case "not_sealed_to_held_key": throw .notSealedToThisKey
            case "unsupported_version": throw .unsupportedVersion
            case "open_failed": throw .authenticationFailed
            default: throw .internalFailure
            }
        } catch {
            throw .internalFailure
        }
        guard let kind = answer.kind.flatMap(EnvelopeKind.init(name:)), let text = answer.plaintext,
              let plaintext = Base64URL.decode(text) else { throw .internalFailure }
        return (kind, plaintext)
    }
}

extension AgentKeyAccess {
    public func attachmentFileKey(header: [UInt8]) throws(CryptoError) -> SecureBytes {
        let answer: AgentAnswer
        do throws(AgentClientError) {
            answer = try client.exchange(AgentRequest(op: .fileKey, header: header))
        } catch .refused(let code, _) {
            switch code {
            case "not_sealed_to_held_key": throw .notSealedToThisKey
            case "open_failed": throw .authenticationFailed
            case "bad_request": throw .malformed("blob header")
            default: throw .internalFailure
            }
        } catch {
            throw .internalFailure
        }
        guard let text = answer.fileKey, var bytes = Base64URL.decode(text), bytes.count == 32 else { throw .internalFailure }
        defer { SecureMemory.wipe(&bytes) }
        return SecureBytes(copying: bytes)
    }
}

/// Signatures made by the agent; the message must be a staff request or an item signature.
public struct AgentSigner: MessageSigner {
    public let client: AgentClient
    public let publicKey: SigningPublicKey

    public func signature(for message: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard let answer = try? client.exchange(AgentRequest(op: .sign, message: message)),
              let text = answer.signature, let signature = Base64URL.decode(text),
              publicKey.isValidSignature(signature, for: message)
        else { throw .internalFailure }
        return signature
    }
}
