// Storage for secrets (STYLE.md lesson 2): locked memory (a slot of SecureSlab for
// small short-lived secrets, else guarded `sodium_malloc` memory) that is wiped with `sodium_memzero` when released, compares in constant time, and
// whose description never shows the bytes.

import CSodium

/// A fixed-length buffer for secret bytes.
///
/// The bytes live in guarded, locked memory from `sodium_malloc`, are wiped on
/// release, compare with `sodium_memcmp` and are never printed.
public final class SecureBytes: @unchecked Sendable, Equatable, CustomStringConvertible,
    CustomDebugStringConvertible
{
    // Immutable after init; mutation goes through withUnsafeMutableBytes, whose
    // callers own the instance (the same contract as a class holding a buffer).
    private let pointer: UnsafeMutableRawPointer
    private let allocated: Int

    /// The number of bytes.
    public let count: Int

    /// Allocates `count` zero bytes: up to 64 bytes in a reused slot of a locked region
    /// (SecureSlab.swift), more in a guarded allocation of their own.
    public convenience init(count: Int) {
        precondition(count >= 0, "SecureBytes count must not be negative")
        if count <= SecureSlab.slotSize, let slab = SecureSlab.shared, let slot = slab.allocate() {
            self.init(slot: slot, allocated: SecureSlab.slotSize, count: count)
        } else {
            self.init(guardedCount: count)
        }
    }

    private init(slot: UnsafeMutableRawPointer, allocated: Int, count: Int) {
        slot.bindMemory(to: UInt8.self, capacity: allocated)
        self.pointer = slot
        self.allocated = allocated
        self.count = count
    }

    /// Allocates `count` zero bytes in guarded, locked memory of their own (`sodium_malloc`):
    /// for secrets that live as long as the process.
    public init(guardedCount count: Int) {
        precondition(count >= 0, "SecureBytes count must not be negative")
        Sodium.initialize()
        // Round up so that sodium_malloc's end-of-page placement stays 16-aligned.
        let size = max(16, (count + 15) & ~15)
        guard let memory = sodium_malloc(size) else {
            fatalError("sodium_malloc failed: out of memory")
        }
        sodium_memzero(memory, size)
        memory.bindMemory(to: UInt8.self, capacity: size)
        self.pointer = memory
        self.allocated = size
        self.count = count
    }

    /// Copies `bytes` into secure storage. The caller remains responsible for its own copy.
    public convenience init(copying bytes: some Collection<UInt8>) {
        self.init(count: bytes.count)
        let destination = pointer.assumingMemoryBound(to: UInt8.self)
        var index = 0
        for byte in bytes where index < count {
            destination[index] = byte
            index += 1
        }
    }

    /// `count` bytes from libsodium's CSPRNG.
    public static func random(count: Int) -> SecureBytes {
        let result = SecureBytes(count: count)
        if count > 0 { randombytes_buf(result.pointer, count) }
        return result
    }

    /// Locks the bytes into RAM (`sodium_mlock`, which `sodium_malloc` only attempts);
    /// false when the system refuses, e.g. over RLIMIT_MEMLOCK.
    public func lock() -> Bool {
        sodium_mlock(pointer, allocated) == 0
    }

    deinit {
        if let slab = SecureSlab.shared, slab.owns(pointer) {
            slab.release(pointer)
        } else {
            sodium_memzero(pointer, allocated)
            sodium_free(pointer)
        }
    }

    /// Calls `body` with the bytes; the pointer must not escape.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Calls `body` with the bytes for writing; the pointer must not escape.
    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// A plain copy of the bytes. An explicit escape hatch, for serialising a
    /// secret into a plaintext that is sealed at once; prefer the closures.
    public var unsafeCopyBytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Constant-time comparison (`sodium_memcmp`); lengths are not secret.
    public static func == (lhs: SecureBytes, rhs: SecureBytes) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.count == 0 { return true }
        return sodium_memcmp(lhs.pointer, rhs.pointer, lhs.count) == 0
    }

    /// `SecureBytes(<n> bytes)`, never the content.
    public var description: String { "SecureBytes(\(count) bytes)" }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// Pointer to the bytes as `UInt8`, for C calls inside this module.
    @inline(__always)
    func withBytePointer<R, E: Error>(_ body: (UnsafePointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try body(UnsafePointer(pointer.assumingMemoryBound(to: UInt8.self)))
    }

    /// Mutable pointer to the bytes as `UInt8`, for C calls inside this module.
    @inline(__always)
    func withMutableBytePointer<R, E: Error>(_ body: (UnsafeMutablePointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try body(pointer.assumingMemoryBound(to: UInt8.self))
    }
}

/// Compares two byte strings in constant time for a given length (`sodium_memcmp`).
/// Different lengths compare unequal at once; lengths are not treated as secret.
public func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
    Sodium.initialize()
    let left = Array(a)
    let right = Array(b)
    guard left.count == right.count else { return false }
    if left.isEmpty { return true }
    return left.withUnsafeBytes { l in
        right.withUnsafeBytes { r in sodium_memcmp(l.baseAddress!, r.baseAddress!, l.count) == 0 }
    }
}
