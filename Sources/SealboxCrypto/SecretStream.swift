// The only place that touches crypto_secretstream_xchacha20poly1305 (PROTOCOL §4).
// The state holds key material, so it lives in SecureBytes and is wiped by
// `wipe()` and on release.

import CSodium

/// A crypto_secretstream_xchacha20poly1305 state in secure memory.
final class SecretStreamState {
    typealias CState = crypto_secretstream_xchacha20poly1305_state

    static let headerSize = Int(crypto_secretstream_xchacha20poly1305_HEADERBYTES)  // 24
    static let overhead = Int(crypto_secretstream_xchacha20poly1305_ABYTES)  // 17
    static let keySize = Int(crypto_secretstream_xchacha20poly1305_KEYBYTES)  // 32
    static let tagMessage = UInt8(crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
    static let tagFinal = UInt8(crypto_secretstream_xchacha20poly1305_TAG_FINAL)

    private let storage: SecureBytes

    private init(storage: SecureBytes) {
        self.storage = storage
    }

    private convenience init() {
        Sodium.initialize()
        precondition(crypto_secretstream_xchacha20poly1305_statebytes() == MemoryLayout<CState>.size)
        self.init(storage: SecureBytes(count: MemoryLayout<CState>.size))
    }

    private func withState<R>(_ body: (UnsafeMutablePointer<CState>) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBytes { raw in
            try body(raw.baseAddress!.bindMemory(to: CState.self, capacity: 1))
        }
    }

    /// A push state for `key`, and the header to write before the chunks.
    static func push(key: SecureBytes) throws(CryptoError) -> (SecretStreamState, [UInt8]) {
        precondition(key.count == keySize)
        let state = SecretStreamState()
        var rc: Int32 = 0
        let header = makeBytes(count: headerSize) { h in
            rc = state.withState { s in
                key.withBytePointer { k in crypto_secretstream_xchacha20poly1305_init_push(s, h, k) }
            }
        }
        try check(rc)
        return (state, header)
    }

    /// A pull state for `key` and `header`.
    static func pull(key: SecureBytes, header: [UInt8]) throws(CryptoError) -> SecretStreamState {
        guard key.count == keySize, header.count == headerSize else { throw CryptoError.authenticationFailed }
        let state = SecretStreamState()
        let rc = state.withState { s in
            key.withBytePointer { k in crypto_secretstream_xchacha20poly1305_init_pull(s, header, k) }
        }
        guard rc == 0 else { throw CryptoError.authenticationFailed }
        return state
    }

    /// Encrypts one chunk of `count` bytes at `message` with `tag`.
    func push(_ message: UnsafePointer<UInt8>, count: Int, ad: [UInt8], tag: UInt8) throws(CryptoError) -> [UInt8] {
        var rc: Int32 = 0
        let out = makeBytes(count: count + Self.overhead) { c in
            rc = withState { s in
                withCBytes(ad) { a, alen in
                    crypto_secretstream_xchacha20poly1305_push(s, c, nil, message, UInt64(count), a, UInt64(alen), tag)
                }
            }
        }
        try check(rc)
        return out
    }

    /// Decrypts one chunk; the state advances only on success.
    func pull(_ chunk: ArraySlice<UInt8>, ad: [UInt8]) -> (plaintext: [UInt8], tag: UInt8)? {
        guard chunk.count >= Self.overhead else { return nil }
        var tag: UInt8 = 0xFF
        var rc: Int32 = -1
        let plaintext = makeBytes(count: chunk.count - Self.overhead) { m in
            rc = chunk.withUnsafeBytes { c in
                withCBytes(c) { cp, clen in
                    withState { s in
                        withCBytes(ad) { a, alen in
                            crypto_secretstream_xchacha20poly1305_pull(s, m, nil, &tag, cp, UInt64(clen), a, UInt64(alen))
                        }
                    }
                }
            }
        }
        return rc == 0 ? (plaintext, tag) : nil
    }

    /// Zeroes the state (and so the key it holds).
    func wipe() {
        storage.withUnsafeMutableBytes { raw in
            for i in raw.indices { raw[i] = 0 }
        }
    }
}
