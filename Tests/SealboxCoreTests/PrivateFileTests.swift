// PrivateFile: new files only, mode 0600, never through a symbolic link, nothing left behind.
import Foundation
import SealboxCore
import Testing

@Suite struct PrivateFileTests {
    @Test func aCreatedFile_holdsTheBytesWithMode0600() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let path = dir.appendingPathComponent("secret").path
        try PrivateFile.create(at: path, contents: [1, 2, 3])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1, 2, 3]))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func anExistingFile_isNeverReplaced() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let path = dir.appendingPathComponent("secret").path
        try PrivateFile.create(at: path, contents: [1])
        #expect {
            try PrivateFile.create(at: path, contents: [2])
        } throws: { ($0 as? PrivateFileError)?.fileExists == true }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([1]))
    }

    @Test func aSymbolicLink_isNotFollowed() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let target = dir.appendingPathComponent("target").path
        let link = dir.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(throws: PrivateFileError.self) { try PrivateFile.create(at: link, contents: [1]) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func aDiscardedWriter_leavesNoFile() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let path = dir.appendingPathComponent("partial").path
        let writer = try PrivateFile.createForWriting(at: path)
        try writer.write([1, 2])
        writer.discard()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func overwriteAndRemove_removesARegularFileButNotALinksTarget() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let file = dir.appendingPathComponent("reply.txt").path
        try PrivateFile.create(at: file, contents: Array("plaintext".utf8))
        PrivateFile.overwriteAndRemove(at: file)
        #expect(!FileManager.default.fileExists(atPath: file))

        let target = dir.appendingPathComponent("other.txt").path
        try PrivateFile.create(at: target, contents: Array("keep".utf8))
        let link = dir.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        PrivateFile.overwriteAndRemove(at: link)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data("keep".utf8))
    }
}
