import Testing
@testable import SealboxWorkstation

@Suite struct AttachmentKindTests {
    @Test(arguments: [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], AttachmentKind.png),
        ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], .jpeg),
        (Array("GIF89a....".utf8), .gif),
        (Array("GIF87a....".utf8), .gif),
        (Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8), .webp),
        (Array("%PDF-1.7\n".utf8), .pdf),
    ] as [([UInt8], AttachmentKind)])
    func magicBytes_nameTheKind(_ bytes: [UInt8], _ kind: AttachmentKind) {
        #expect(AttachmentKind.sniff(bytes) == kind)
        #expect(kind.showsInline)
    }

    @Test(arguments: [
        Array("<html><script>alert(1)</script>".utf8),
        Array("MZ\u{90}\u{0}".utf8),
        Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8),
        Array("%PD".utf8),
        [0x89, 0x50, 0x4E, 0x47],
        Array(" %PDF-1.7".utf8),
        [],
    ] as [[UInt8]])
    func anythingElse_isOther_andNeverInline(_ bytes: [UInt8]) {
        #expect(AttachmentKind.sniff(bytes) == .other)
        #expect(!AttachmentKind.other.showsInline)
        #expect(AttachmentKind.other.mediaType == "application/octet-stream")
    }

    @Test(arguments: [
        ("../../etc/passwd", "attachment; filename=\"passwd\"; filename*=UTF-8''passwd"),
        ("C:\\Users\\x\\.bashrc", "attachment; filename=\"bashrc\"; filename*=UTF-8''bashrc"),
        ("...hidden.exe", "attachment; filename=\"hidden.exe\"; filename*=UTF-8''hidden.exe"),
        ("a\u{0}b\nc\u{7F}.html", "attachment; filename=\"abc.html\"; filename*=UTF-8''abc.html"),
        ("say \"hi\".txt", "attachment; filename=\"say _hi_.txt\"; filename*=UTF-8''say%20%22hi%22.txt"),
        ("Brief ä.pdf", "attachment; filename=\"Brief _.pdf\"; filename*=UTF-8''Brief%20%C3%A4.pdf"),
        ("evil\u{202E}fdp.exe", "attachment; filename=\"evilfdp.exe\"; filename*=UTF-8''evilfdp.exe"),
        ("/", "attachment; filename=\"attachment\"; filename*=UTF-8''attachment"),
    ])
    func aDownloadsName_hasNoSeparatorControlOrLeadingDot(_ name: String, _ expected: String) {
        let header = FileNames.contentDisposition("attachment", name: name)
        #expect(header == expected)
        #expect(!header.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }
}
