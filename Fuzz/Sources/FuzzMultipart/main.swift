// Fuzzes the multipart reader of submissions (SubmissionReader's MultipartFeed and
// MultipartCollector, through MultipartFuzzing). The first byte chooses the buffer size
// (0: the whole body at once); up to the first newline follows the Content-Type header,
// then the body. Whether a body is accepted must not depend on how it is cut, limits hold,
// no client's body causes a 500, and no staging file outlives the request.
import Foundation
import FuzzSupport
import SealboxServer

// State lives in an enum: main.swift's top-level variables belong to the main actor.
enum Fixture {
    /// A staging directory of this process, in memory where there is /dev/shm.
    static let staging: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return URL(fileURLWithPath: base).appendingPathComponent("sealbox-fuzz-multipart-\(getpid())")
    }()
}

func checkStagingEmpty() {
    let left = (try? FileManager.default.contentsOfDirectory(atPath: Fixture.staging.path)) ?? []
    precondition(left.isEmpty, "staging files left behind: \(left)")
}

func summary(_ outcome: MultipartFuzzing.Outcome) -> String {
    if let failure = outcome.failure { return "failure \(failure.status) \(failure.code)" }
    return "\(outcome.fields.sorted { $0.key < $1.key }) \(outcome.attachments.map { "\($0.name) \($0.type) \($0.size)" })"
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let rest = bytes.dropFirst()
    let newline = rest.firstIndex(of: 0x0A) ?? rest.endIndex
    let contentType = String(decoding: rest[..<newline], as: UTF8.self)
    let body = Array(rest[min(newline + 1, rest.endIndex)...])

    let whole = MultipartFuzzing.read(contentType: contentType, body: body, chunkSize: 0, stagingDirectory: Fixture.staging)
    checkStagingEmpty()
    if let failure = whole.failure {
        precondition(failure.status != 500, "internal error for a client's body")
    } else {
        precondition(whole.attachments.count <= MultipartFuzzing.attachmentCount, "too many attachments")
        precondition(whole.attachments.allSatisfy { $0.size <= MultipartFuzzing.attachmentSize }, "attachment too large")
        precondition(whole.attachments.reduce(0) { $0 + $1.size } <= MultipartFuzzing.attachmentTotal, "attachments too large")
        precondition(whole.attachments.allSatisfy { !$0.name.isEmpty && !$0.name.contains("/") }, "unsafe file name")
    }
    if first != 0 {
        let cut = MultipartFuzzing.read(contentType: contentType, body: body, chunkSize: Int(first), stagingDirectory: Fixture.staging)
        checkStagingEmpty()
        // Which refusal wins may depend on the cut (a bad part's error against a syntax error
        // later in the same buffer); whether the body is accepted, and as what, may not.
        let same = whole.failure == nil ? summary(cut) == summary(whole) : cut.failure != nil
        precondition(same, "cut in \(first): \(summary(cut)); whole: \(summary(whole))")
    }
    return 0
}

atexit { try? FileManager.default.removeItem(at: Fixture.staging) }
runFuzzer(fuzzMultipart)
