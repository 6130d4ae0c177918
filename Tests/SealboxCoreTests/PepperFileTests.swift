import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct PepperFileTests {
    @Test func missingFile_isCreatedWithMode0600AndReadBackTheSame() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let path = dir.appendingPathComponent("pepper").path
        let first = try PepperFile.loadOrCreate(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((attributes[.size] as? NSNumber)?.intValue == 32)
        let second = try PepperFile.loadOrCreate(path: path)
        #expect(first.secret == second.secret)
    }

    @Test func fileReadableByOthers_isRefused() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let path = dir.appendingPathComponent("pepper").path
        try Data(Random.bytes(32)).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o644)
        #expect(throws: PepperFileError.tooOpen(path, "644")) { try PepperFile.loadOrCreate(path: path) }
    }

    @Test func fileOfTheWrongLength_isRefused() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let path = dir.appendingPathComponent("pepper").path
        for length in [0, 31, 33, 64] {
            try? FileManager.default.removeItem(atPath: path)
            try Data(Random.bytes(length)).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o600)
            #expect(throws: PepperFileError.wrongLength(path, min(length, 33))) { try PepperFile.loadOrCreate(path: path) }
        }
    }

    @Test func directoryInsteadOfFile_isUnreadable() throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let path = dir.appendingPathComponent("pepper").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        #expect(throws: PepperFileError.self) { try PepperFile.loadOrCreate(path: path) }
    }
}
