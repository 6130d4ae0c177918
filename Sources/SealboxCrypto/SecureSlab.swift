// Rule: short-lived small secrets (keys, seeds, codes, hashes of a single request) reuse
// slots of one locked region instead of a guarded `sodium_malloc` each. A guarded
// allocation costs four system calls (mmap, two mprotect, mlock) and an munmap whose TLB
// shootdown stalls the other core: about a dozen per submission. A slot is wiped with
// `sodium_memzero` when it is given back and never leaves the region; the region as a
// whole is guarded and locked. What is lost is a guard page between two slots, so an
// overread of one small secret can reach its neighbour; secrets that live long (the
// pepper, the codes derived ahead) keep guarded allocations of their own
// (`SecureBytes(guardedCount:)`).
import CSodium
import Synchronization

/// A fixed set of `slotSize`-byte slots in one guarded, locked region.
final class SecureSlab: @unchecked Sendable {  // the region is fixed; the free list is behind a Mutex
    static let slotSize = 64
    static let slotCount = 4096
    /// Shared by the whole process; nil when the region could not be allocated.
    static let shared: SecureSlab? = SecureSlab()

    private let base: UnsafeMutableRawPointer
    private let free: Mutex<[Int32]>

    private init?() {
        Sodium.initialize()
        guard let memory = sodium_malloc(Self.slotSize * Self.slotCount) else { return nil }
        sodium_memzero(memory, Self.slotSize * Self.slotCount)
        base = memory
        free = Mutex(Array((0..<Int32(Self.slotCount)).reversed()))
    }

    /// A zeroed slot, or nil when every slot is in use.
    func allocate() -> UnsafeMutableRawPointer? {
        free.withLock { $0.popLast() }.map { base + Int($0) * Self.slotSize }
    }

    /// Whether `pointer` is a slot of this slab.
    func owns(_ pointer: UnsafeMutableRawPointer) -> Bool {
        pointer >= base && pointer < base + Self.slotSize * Self.slotCount
    }

    /// Wipes the slot and makes it available again.
    func release(_ pointer: UnsafeMutableRawPointer) {
        sodium_memzero(pointer, Self.slotSize)
        let index = Int32((pointer - base) / Self.slotSize)
        free.withLock { $0.append(index) }
    }
}
