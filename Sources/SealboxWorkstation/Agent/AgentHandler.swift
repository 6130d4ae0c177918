// What the unlock agent answers to one request body (docs/WORKSTATION.md "The agent
// protocol"). Input is hostile: any bytes give an answer, never a trap. Only results leave:
// the plaintext of an envelope, the file key of one attachment blob, a signature over a message in one of the two Sealbox
// signing domains (a staff request, §7; an item or statistic signature, §3.3), the public
// facts of `status`. No operation returns a secret key or signs anything else.
import Foundation
import SealboxCore
import SealboxCrypto

/// The agent's state and request handling, without sockets (so tests and fuzzers drive it).
public final class AgentHandler {
    public let keys: UnlockedKeys
    public let identity: AgentIdentity
    /// The monotonic time of the last request that counts as use (every request but `status`).
    public private(set) var lastUse: Double
    /// Set by `lock`: the agent ends after answering.
    public private(set) var locked = false

    public init(keys: UnlockedKeys, identity: AgentIdentity, now: Double) {
        self.keys = keys
        self.identity = identity
        self.lastUse = now
    }

    /// Seconds left before the agent ends for idleness.
    public func remaining(now: Double) -> Double { max(0, identity.idleSeconds - (now - lastUse)) }

    /// The answer to one request body (the JSON inside a frame).
    public func handle(_ body: [UInt8], now: Double) -> AgentAnswer {
        guard !locked else { return .failure("locked", "the agent is locked") }
        guard let request = try? JSONDecoder().decode(AgentRequest.self, from: Data(body)) else {
            return .failure("bad_request", "the request is not a JSON object with a text \"op\"")
        }
        guard let operation = AgentOperation(rawValue: request.op) else {
            return .failure("unknown_op", "unknown operation; known: open, file-key, sign, status, lock")
        }
        if operation != .status { lastUse = now }
        switch operation {
        case .status: return status(now: now)
        case .lock:
            locked = true
            keys.wipe()
            return AgentAnswer(ok: true)
        case .open: return open(request)
        case .fileKey: return fileKey(request)
        case .sign: return sign(request)
        }
    }

    private func fileKey(_ request: AgentRequest) -> AgentAnswer {
        guard let text = request.header, text.utf8.count <= 4 * AttachmentDecryptor.maximumHeaderLength,
              let header = Base64URL.decode(text) else {
            return .failure("bad_request", "file-key needs \"header\" in b64u, the first bytes of a blob")
        }
        do throws(CryptoError) {
            let key = try keys.attachmentFileKey(header: header)
            var answer = AgentAnswer(ok: true)
            answer.fileKey = key.withUnsafeBytes { Base64URL.encode(Array($0)) }
            return answer
        } catch .notSealedToThisKey {
            return .failure("not_sealed_to_held_key", "the attachment is sealed to no key the agent may use")
        } catch .authenticationFailed {
            return .failure("open_failed", "the attachment's key failed authentication")
        } catch {
            return .failure("bad_request", "the header is not the start of an attachment blob")
        }
    }

    private func status(now: Double) -> AgentAnswer {
        var answer = AgentAnswer(ok: true)
        answer.signer = keys.signingKey?.publicKey.text
        answer.keys = keys.boxKeys.map(\.publicKey.keyID.hex).sorted()
        answer.source = identity.source
        answer.files = identity.files
        answer.pid = getpid()
        answer.idleSeconds = max(0, now - lastUse)
        answer.remainingSeconds = remaining(now: now)
        return answer
    }

    private func open(_ request: AgentRequest) -> AgentAnswer {
        guard let text = request.envelope, let envelope = Base64URL.decode(text) else {
            return .failure("bad_request", "open needs \"envelope\" in b64u")
        }
        var allowed: Set<KeyID>?
        if let listed = request.keys {
            var ids = Set<KeyID>()
            for hex in listed.prefix(1024) {
                guard let id = try? KeyID(hex: hex) else { return .failure("bad_request", "\"keys\" holds a malformed key id") }
                ids.insert(id)
            }
            allowed = ids
        }
        do throws(CryptoError) {
            var opened = try keys.open(envelope, allowed: allowed)
            defer { SecureMemory.wipe(&opened.plaintext) }
            var answer = AgentAnswer(ok: true)
            answer.kind = opened.kind.name
            answer.plaintext = Base64URL.encode(opened.plaintext)
            return answer
        } catch .notSealedToThisKey {
            return .failure("not_sealed_to_held_key", "the envelope is sealed to no key the agent may use")
        } catch .unsupportedVersion {
            return .failure("unsupported_version", "the envelope is of a newer format")
        } catch {
            return .failure("open_failed", "the envelope failed authentication")
        }
    }

    private func sign(_ request: AgentRequest) -> AgentAnswer {
        guard let key = keys.signingKey else { return .failure("no_signer", "the agent holds no signing key") }
        guard let text = request.message, let message = Base64URL.decode(text) else {
            return .failure("bad_request", "sign needs \"message\" in b64u")
        }
        guard Self.isSignable(message) else {
            return .failure("refused_message", "the agent signs only staff requests and item signatures")
        }
        var answer = AgentAnswer(ok: true)
        answer.signature = Base64URL.encode(key.signature(for: message))
        answer.signer = key.publicKey.text
        return answer
    }

    /// Whether `message` is in a domain the agent signs: a staff request (`sealbox-staff-request/v1\n…`,
    /// PROTOCOL §7) or an item signature (pre-authentication encoding whose first piece is
    /// `sealbox/v2/item-signature`, §3.3). Roster entries and anything else are refused.
    public static func isSignable(_ message: [UInt8]) -> Bool {
        if message.starts(with: Array((RequestSignature.context + "\n").utf8)) { return true }
        let label = Array(ItemSignature.label.utf8)
        guard message.count >= 16 + label.count else { return false }
        let length = (0..<8).reduce(UInt64(0)) { $0 | UInt64(message[8 + $1]) << (8 * UInt64($1)) }
        return length == UInt64(label.count) && Array(message[16..<(16 + label.count)]) == label
    }
}
