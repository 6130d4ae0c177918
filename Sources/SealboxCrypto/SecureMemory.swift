// Wiping plaintext that lived in ordinary memory (a report before it is sealed, a reply
// before it is sent). `sodium_memzero` is used because the compiler may remove a plain
// `memset` of memory that is not read again. Secrets that are known in advance belong
// in SecureBytes, which wipes itself; this is for buffers that other APIs hand out.
import CSodium

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
}
