// Fuzzes the staff signature headers (PROTOCOL §7): lines of the input are, in order, the
// Sealbox-Key, -Timestamp, -Nonce and -Signature values, the method, the path and query, the
// body hash and the daemon's clock (any Int64, as a decimal). No value, however large or
// negative, may trap (issue 8, gap 1); a parsed timestamp is within 0...maximumTimestamp.
import FuzzSupport
import SealboxCrypto

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignatureHeaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while lines.count < 8 { lines.append("") }
    for line in lines {
        if let timestamp = RequestSignature.parseTimestamp(line) {
            precondition((0...RequestSignature.maximumTimestamp).contains(timestamp), "timestamp out of range")
        }
    }
    let now = Int64(lines[7]) ?? Int64(truncatingIfNeeded: lines[7].utf8.reduce(UInt64(0)) { $0 &* 257 &+ UInt64($1) })
    for timestamp in [Int64(lines[1]), RequestSignature.parseTimestamp(lines[1])].compactMap({ $0 }) {
        _ = RequestSignature.isFresh(timestamp, now: now)
        _ = RequestSignature.isValid(signature: lines[3], method: lines[4], pathAndQuery: lines[5], timestamp: timestamp,
                                     nonce: lines[2], bodySHA256Hex: lines[6], keyText: lines[0])
    }
    guard let headers = RequestSignature.SignedHeaders(key: lines[0], timestamp: lines[1], nonce: lines[2],
                                                       signature: lines[3])
    else { return 0 }
    precondition(headers.keyText.utf8.count <= 100 && RequestSignature.isWellFormedNonce(headers.nonce))
    precondition((0...RequestSignature.maximumTimestamp).contains(headers.timestamp), "timestamp out of range")
    _ = headers.verify(method: lines[4], pathAndQuery: lines[5], bodySHA256Hex: lines[6])
    _ = RequestSignature.isFresh(headers.timestamp, now: now)
    return 0
}

runFuzzer(fuzzSignatureHeaders)
