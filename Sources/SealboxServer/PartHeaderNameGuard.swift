// MultipartKit 4.7.1's parser traps on a byte over 0x7F in a part's header name: it looks
// the byte up in a table of 128 entries (isAllowedHeaderFieldNameCharacter), so one request
// such as `--x\r\n\xC3\xA4: a\r\n` stops the daemon. Found by Fuzz/FuzzMultipart. This
// guard watches the bytes before the parser sees them and refuses such a body as malformed.
// It is conservative: a part's headers begin after every `--boundary\r\n` it finds, even one
// the parser would take for content, and header values and bodies may hold any byte.

/// Finds bytes over 0x7F where a part header's name stands, across buffers.
struct PartHeaderNameGuard {
    private enum Place { case outside, name, value, lineEnd }

    /// `--boundary\r\n`: what precedes every part's headers.
    private let opening: [UInt8]
    /// Knuth–Morris–Pratt: the length of the longest proper prefix of `opening[...i]` that is also its suffix.
    private let fallback: [Int]
    private var matched = 0
    private var place = Place.outside

    init(boundary: String) {
        opening = Array("--\(boundary)\r\n".utf8)
        var fallback = [Int](repeating: 0, count: opening.count)
        var k = 0
        for i in 1..<opening.count {
            while k > 0 && opening[i] != opening[k] { k = fallback[k - 1] }
            if opening[i] == opening[k] { k += 1 }
            fallback[i] = k
        }
        self.fallback = fallback
    }

    /// False when `bytes`, the next bytes of the body, put a byte over 0x7F in a header name.
    mutating func admits(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes {
            if matched == 0, place == .outside, byte != UInt8(ascii: "-") { continue }  // most of a file
            switch place {
            case .outside: break
            case .name:
                if byte > 0x7F { return false }
                if byte == UInt8(ascii: ":") { place = .value } else if byte == UInt8(ascii: "\r") { place = .outside }
            case .value:
                if byte == UInt8(ascii: "\r") { place = .lineEnd }
            case .lineEnd:
                place = .name
            }
            while matched > 0 && byte != opening[matched] { matched = fallback[matched - 1] }
            if byte == opening[matched] { matched += 1 }
            if matched == opening.count {
                place = .name
                matched = fallback[matched - 1]
            }
        }
        return true
    }
}
