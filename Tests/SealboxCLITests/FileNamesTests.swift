import Foundation
import Testing
@testable import SealboxCLI
@testable import SealboxWorkstation

@Suite struct FileNamesTests {
    @Test(arguments: [
        ("letter.pdf", "letter.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Brief.docx", "Brief.docx"),
        (".bashrc", "bashrc"),
        ("...", "attachment"),
        ("", "attachment"),
        ("a/", "attachment"),
        ("evil\u{1B}[31m.txt", "evil[31m.txt"),
        ("line\nbreak.txt", "linebreak.txt"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("  spaced name .txt  ", "spaced name .txt"),
        ("Zeugnis für Ärztin.pdf", "Zeugnis für Ärztin.pdf"),
    ])
    func sanitising_keepsOnlyASafeName(input: String, expected: String) {
        #expect(FileNames.sanitise(input) == expected)
    }

    @Test func aVeryLongName_isShortenedKeepingItsExtension() {
        let name = String(repeating: "ä", count: 300) + ".pdf"
        let safe = FileNames.sanitise(name)
        #expect(safe.utf8.count <= 200)
        #expect(safe.hasSuffix(".pdf"))
    }

    @Test func aClash_addsANumberBeforeTheExtension() {
        #expect(FileNames.candidate("letter.pdf", attempt: 1) == "letter.pdf")
        #expect(FileNames.candidate("letter.pdf", attempt: 2) == "letter (2).pdf")
        #expect(FileNames.candidate("README", attempt: 3) == "README (3)")
    }

    @Test func savingTwiceUnderOneName_keepsBothFilesPrivate() throws {
        let folder = try TemporaryFolder()
        let saver = try AttachmentSaver(directory: folder.path("out"))
        let first = try saver.save([1, 2, 3], name: "photo.jpg")
        let second = try saver.save([4, 5], name: "photo.jpg")
        #expect(first.lastPathComponent == "photo.jpg")
        #expect(second.lastPathComponent == "photo (2).jpg")
        #expect(try Data(contentsOf: first) == Data([1, 2, 3]))
        #expect(try permissions(of: first) == 0o600)
        #expect(try permissions(of: folder.path("out")) == 0o700)
    }

    @Test func anExistingFile_isNeverOverwritten() throws {
        let folder = try TemporaryFolder()
        try folder.write("out/notes.txt", "mine")
        let saved = try AttachmentSaver(directory: folder.path("out")).save([0x41], name: "notes.txt")
        #expect(saved.lastPathComponent == "notes (2).txt")
        #expect(try String(contentsOf: folder.path("out/notes.txt"), encoding: .utf8) == "mine")
    }

    @Test func terminalOutput_replacesControlCharacters() {
        #expect(Terminal.displaySafe("a\u{1B}]0;title\u{07}b") == "a\u{FFFD}]0;title\u{FFFD}b")
        #expect(Terminal.displaySafe("one\ntwo", multiline: true) == "one\ntwo")
        #expect(Terminal.displaySafe("one\ntwo") == "one two")
        #expect(Terminal.displaySafe("x\u{202E}y\r") == "xy")
    }
}
