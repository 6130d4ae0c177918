// Keeps libsodium initialised exactly once, and holds the small helpers that
// every C call in this module goes through (non-null pointers for empty
// buffers, return-code checks). Only SealboxCrypto imports CSodium.

import CSodium

/// libsodium's process-wide initialisation.
public enum Sodium {
    private static let once: Void = {
        guard sodium_init() >= 0 else {
            fatalError("sodium_init failed: libsodium cannot be used")
        }
    }()

    /// Initialises libsodium. Idempotent and thread-safe; every entry point of
    /// this module calls it lazily, so calling it is only needed to fail early.
    public static func initialize() {
        _ = once
    }
}

/// Calls `body` with a pointer to the bytes of `buffer`, or to a dummy byte when
/// `buffer` is empty, because libsodium's parameters are non-null even for length 0.
@inline(__always)
func withCBytes<R>(
    _ buffer: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>, Int) throws -> R
) rethrows -> R {
    if let base = buffer.baseAddress, buffer.count > 0 {
        return try body(base.assumingMemoryBound(to: UInt8.self), buffer.count)
    }
    var dummy: UInt8 = 0
    return try withUnsafePointer(to: &dummy) { try body($0, 0) }
}

/// `withCBytes` for an array.
@inline(__always)
func withCBytes<R>(
    _ array: [UInt8], _ body: (UnsafePointer<UInt8>, Int) throws -> R
) rethrows -> R {
    try array.withUnsafeBytes { try withCBytes($0, body) }
}

/// Fills a new array of `count` bytes through a mutable pointer.
@inline(__always)
func makeBytes(count: Int, _ body: (UnsafeMutablePointer<UInt8>) throws -> Void) rethrows -> [UInt8] {
    precondition(count >= 0)
    if count == 0 {
        var dummy: UInt8 = 0
        try withUnsafeMutablePointer(to: &dummy) { try body($0) }
        return []
    }
    return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialised in
        buffer.initialize(repeating: 0)
        initialised = count
        try body(buffer.baseAddress!)
    }
}

/// Calls `body` with the raw bytes of `array`, keeping the closure's typed error.
@inline(__always)
func withRawBytes<R, E: Error>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
    let result: Result<R, E> = array.withUnsafeBytes { raw in
        do throws(E) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}

/// Throws `internalFailure` unless a libsodium call returned 0.
@inline(__always)
func check(_ rc: Int32) throws(CryptoError) {
    guard rc == 0 else { throw CryptoError.internalFailure }
}

/// Byte strings of a domain-separation label, hashed without a terminating zero.
@inline(__always)
func label(_ text: String) -> [UInt8] {
    Array(text.utf8)
}
