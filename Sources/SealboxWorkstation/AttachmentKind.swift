// What an attachment is, by its first bytes (issue 11, docs/design/DESK.md §4): the
// reporter's declared type is never trusted. Only PNG, JPEG, GIF, WebP and PDF, known by
// their magic bytes, may be shown inside the browser; everything else is `other` and is
// only offered for download after a warning.

/// The kind of an attachment's content, sniffed from its bytes.
public enum AttachmentKind: String, Sendable, Equatable, CaseIterable {
    case png, jpeg, gif, webp, pdf, other

    /// The kind of `bytes` by their magic bytes.
    public static func sniff(_ bytes: some Collection<UInt8>) -> AttachmentKind {
        let head = Array(bytes.prefix(12))
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if head.count == 12, starts(Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return .webp }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        return .other
    }

    /// Whether the browser may show it (inline, in a sandbox).
    public var showsInline: Bool { self != .other }

    /// An image the case page may show with `<img>`.
    public var isImage: Bool { [.png, .jpeg, .gif, .webp].contains(self) }

    /// The Content-Type it is served with; `other` is always a plain download.
    public var mediaType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .pdf: "application/pdf"
        case .other: "application/octet-stream"
        }
    }
}

extension FileNames {
    /// A `Content-Disposition` value for an untrusted name: the sanitised name, with an
    /// ASCII fallback (`filename=`, quotes, backslashes and non-ASCII as `_`) and the
    /// UTF-8 name percent-encoded (`filename*=`, RFC 6266 / RFC 8187).
    public static func contentDisposition(_ disposition: String, name: String) -> String {
        let safe = sanitise(name)
        let ascii = String(safe.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\"
                ? Character(scalar) : "_"
        })
        var encoded = ""
        for byte in safe.utf8 {
            let char = Character(Unicode.Scalar(byte))
            if byte < 0x80, char.isLetter || char.isNumber || "!#$&+-.^_`|~".contains(char) {
                encoded.append(char)
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return "\(disposition); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
