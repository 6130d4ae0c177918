// Where attachments go while they stream in: each file is encrypted chunk by chunk
// (AttachmentEncryptor) and only ciphertext is written, to a file of its own under
// `<storage>/tmp`. Files are removed after the commit, on any failure, and at start.
import Foundation
import SealboxCrypto

/// The directory of in-flight sealed uploads.
public struct UploadStaging: Sendable {
    public let directory: URL

    /// Creates the directory (mode 0700) and removes whatever an earlier run left there.
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// Starts a new sealed upload for one attachment.
    public func begin(recipients: [BoxPublicKey]) throws -> SealedUpload {
        let id = AttachmentID.generate()
        let file = directory.appendingPathComponent(id.text + ".sealed")
        return try SealedUpload(id: id, file: file, recipients: recipients)
    }
}

/// One attachment being encrypted into a staging file. Not shared between tasks.
public final class SealedUpload {
    public let id: AttachmentID
    public let file: URL
    public private(set) var plaintextSize = 0
    public private(set) var sealedSize = 0
    private var encryptor: AttachmentEncryptor
    private let writer: PrivateFile.Writer
    private let recipientCount: Int

    init(id: AttachmentID, file: URL, recipients: [BoxPublicKey]) throws {
        self.id = id
        self.file = file
        recipientCount = recipients.count
        encryptor = try AttachmentEncryptor(attachmentID: id.text, recipients: recipients)
        writer = try Self.staging { () throws(PrivateFileError) in try PrivateFile.createForWriting(at: file.path) }
        try writeAll(encryptor.header)
    }

    /// Encrypts and writes the next bytes of the file.
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        plaintextSize += bytes.count
        try writeAll(try encryptor.update(bytes))
    }

    /// Writes the final chunk, flushes to disk and closes the file.
    public func finish() throws -> StagedBlob {
        try writeAll(try encryptor.finish())
        try Self.staging { () throws(PrivateFileError) in try writer.finish() }
        return StagedBlob(id: id, file: file, size: sealedSize, fileKey: encryptor.fileKey, recipientCount: recipientCount)
    }

    /// Removes the staging file.
    public func discard() {
        writer.discard()
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        try Self.staging { () throws(PrivateFileError) in try writer.write(bytes) }
        sealedSize += bytes.count
    }

    /// Runs a file operation, telling a full disk apart from other failures.
    private static func staging<T>(_ body: () throws(PrivateFileError) -> T) throws(StagingError) -> T {
        do {
            return try body()
        } catch {
            throw error.diskFull ? .diskFull : .cannotWrite
        }
    }
}

public enum StagingError: Error, Equatable, Sendable {
    case cannotWrite
    case diskFull
}
