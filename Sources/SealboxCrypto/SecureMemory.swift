// Wiping plaintext that lived in ordinary memory (a report before it is sealed, a reply
// before it is sent). `sodium_memzero` is used because the compiler may remove a plain
// `memset` of memory that is not read again. Secrets that are known in advance belong
// in SecureBytes, which wipes itself; this is for buffers that other APIs hand out.
import CSodium

#if canImport(Glibc)
import Glibc
#endif

/// Overwriting buffers that held plaintext.
public enum SecureMemory {
    /// Overwrites the array's bytes with zeros, then empties it.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { wipe($0) }
        bytes.removeAll()
    }

    /// Overwrites the buffer's bytes with zeros.
    public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        sodium_memzero(base, buffer.count)
    }

    /// Keeps this process's memory out of core dumps and away from other processes of the
    /// same user: the core size limit becomes 0 and the process is marked not dumpable
    /// (which also refuses ptrace attachment by non-root users). Returns whether both held.
    @discardableResult
    public static func disableCoreDumps() -> Bool {
        #if canImport(Glibc)
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        let limited = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit) == 0
        let undumpable = sealbox_set_not_dumpable() == 0
        return limited && undumpable
        #else
        return false
        #endif
    }
}
