// Length-hiding padding of envelope plaintexts (PROTOCOL §3.1):
// B = max(2048, smallest power of two >= L + 1), ISO/IEC 7816-4 style.
// Unpadding does not depend on the bucket, so envelopes padded to the 1 KiB bucket of
// earlier releases still open. Any unpadding error is reported as authenticationFailed.

/// Bucket padding for sealed plaintexts.
public enum Padding {
    /// The smallest bucket: 2 KiB, so that a report of a typical short text (up to about
    /// 1,800 bytes with its JSON members) has the same length as a report of one byte.
    public static let minimumBucket = 2048

    /// `max(2048, the smallest power of two ≥ length + 1)`.
    public static func bucketSize(for length: Int) -> Int {
        precondition(length >= 0 && length < Int.max / 2, "padding length out of range")
        var bucket = minimumBucket
        while bucket < length + 1 { bucket <<= 1 }
        return bucket
    }

    /// `p || 0x80 || 0x00…` up to the bucket size.
    public static func pad(_ p: [UInt8]) -> [UInt8] {
        let bucket = bucketSize(for: p.count)
        var out = p
        out.reserveCapacity(bucket)
        out.append(0x80)
        out.append(contentsOf: repeatElement(0, count: bucket - p.count - 1))
        return out
    }

    /// Removes trailing zero bytes and then exactly one `0x80`.
    /// Throws `authenticationFailed` when there is no `0x80` marker.
    public static func unpad(_ p: [UInt8]) throws(CryptoError) -> [UInt8] {
        var end = p.count
        while end > 0 && p[end - 1] == 0 { end -= 1 }
        guard end > 0, p[end - 1] == 0x80 else { throw CryptoError.authenticationFailed }
        return Array(p[..<(end - 1)])
    }
}
