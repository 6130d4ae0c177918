// How `sealbox unlock` hands the opened keys to the agent process it starts: over the
// agent's standard input (a pipe, never a file), in SecureBytes on both ends:
//   u8 version = 1 || u8 n || n × 32-byte box secret || u8 hasSigner || [32-byte Ed25519 seed]
//   || u32be m || m bytes of AgentIdentity JSON (not secret)
import Foundation
import SealboxCrypto
#if canImport(Glibc)
import Glibc
#endif

/// The handoff of opened keys from `sealbox unlock` to its agent.
public enum AgentHandoff {
    /// The largest handoff accepted, in bytes.
    static let maximumLength = 64 << 10

    /// The handoff bytes for `keys` and `identity`.
    public static func encode(_ keys: UnlockedKeys, identity: AgentIdentity) -> SecureBytes {
        let meta = (try? Array(JSONEncoder().encode(identity))) ?? []
        let count = 2 + 32 * keys.boxKeys.count + 1 + (keys.signingKey == nil ? 0 : 32) + 4 + meta.count
        let out = SecureBytes(count: count)
        out.withUnsafeMutableBytes { raw in
            var at = 0
            func put(_ byte: UInt8) { raw[at] = byte; at += 1 }
            func put(_ secret: SecureBytes) {
                secret.withUnsafeBytes { src in
                    UnsafeMutableRawBufferPointer(rebasing: raw[at..<(at + src.count)]).copyMemory(from: src)
                }
                at += secret.count
            }
            put(1)
            put(UInt8(keys.boxKeys.count))
            for key in keys.boxKeys { put(key.secret) }
            put(keys.signingKey == nil ? 0 : 1)
            if let seed = keys.signingKey?.seed { put(seed) }
            let m = UInt32(meta.count)
            for shift in [24, 16, 8, 0] { put(UInt8(truncatingIfNeeded: m >> UInt32(shift))) }
            for byte in meta { put(byte) }
        }
        return out
    }

    /// The keys and identity in `bytes`; nil when malformed.
    public static func decode(_ bytes: SecureBytes) -> (keys: UnlockedKeys, identity: AgentIdentity)? {
        bytes.withUnsafeBytes { raw -> (UnlockedKeys, AgentIdentity)? in
            var at = 0
            func take(_ n: Int) -> UnsafeRawBufferPointer? {
                guard n >= 0, raw.count - at >= n else { return nil }
                defer { at += n }
                return UnsafeRawBufferPointer(rebasing: raw[at..<(at + n)])
            }
            func secret(_ n: Int) -> SecureBytes? {
                guard let slice = take(n) else { return nil }
                let out = SecureBytes(count: n)
                out.withUnsafeMutableBytes { $0.copyMemory(from: slice) }
                return out
            }
            guard let head = take(2), head[0] == 1, head[1] <= 64 else { return nil }
            var boxKeys: [BoxSecretKey] = []
            for _ in 0..<Int(head[1]) {
                guard let bytes = secret(32), let key = try? BoxSecretKey(secretBytes: bytes) else { return nil }
                boxKeys.append(key)
            }
            guard let flag = take(1), flag[0] <= 1 else { return nil }
            var signing: SigningSecretKey?
            if flag[0] == 1 {
                guard let seed = secret(32), let key = try? SigningSecretKey(seed: seed) else { return nil }
                signing = key
            }
            guard let length = take(4) else { return nil }
            let m = Int(length[0]) << 24 | Int(length[1]) << 16 | Int(length[2]) << 8 | Int(length[3])
            guard let meta = take(m), at == raw.count,
                  let identity = try? JSONDecoder().decode(AgentIdentity.self, from: Data(meta)) else { return nil }
            return (UnlockedKeys(boxKeys: boxKeys, signingKey: signing), identity)
        }
    }

    /// Reads the whole handoff from `fd` (the agent's standard input) into secure memory.
    public static func read(from fd: Int32) -> SecureBytes? {
        let buffer = SecureBytes(count: maximumLength + 1)
        var total = 0
        let ok: Bool = buffer.withUnsafeMutableBytes { raw in
            while total < raw.count {
                let n = Glibc.read(fd, raw.baseAddress! + total, raw.count - total)
                if n == 0 { return true }
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                total += n
            }
            return false
        }
        guard ok, total > 0, total <= maximumLength else { return nil }
        let exact = SecureBytes(count: total)
        buffer.withUnsafeBytes { src in
            exact.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<total])) }
        }
        return exact
    }
}
