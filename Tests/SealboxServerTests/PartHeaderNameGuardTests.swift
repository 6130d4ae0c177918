import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SealboxServer
import Testing

/// MultipartKit 4.7.1 traps on a byte over 0x7F in a part header's name (found by FuzzMultipart;
/// the input is Fuzz/Regressions/FuzzMultipart/header-name-non-ascii).
@Suite struct PartHeaderNameGuardTests {
    @Test func nonASCIIHeaderName_isRefusedAs400_andTheNextSubmissionIsAccepted() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let (headers, _) = multipart(fields: [], boundary: "x")
        let body = ByteBuffer(bytes: Array("--x\r\n\u{E4}: a\r\n\r\nv\r\n--x--\r\n".utf8))
        let (genuineHeaders, genuineBody) = multipart(
            fields: [("text", "Wohnung verweigert")],
            files: [("attachment", "Brief für Amt.pdf", "application/pdf", [0xFF, 0x0D, 0x0A, 0xC3])])
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: genuineHeaders, body: genuineBody) { response in
                #expect(response.status == .created)
            }
        }
    }

    @Test func nonASCIIHeaderName_splitAcrossBuffers_isFound() {
        var guarded = PartHeaderNameGuard(boundary: "x")
        let pieces: [[UInt8]] = [Array("preamble\r\n--x".utf8), Array("\r".utf8), Array("\nContent-Type: text/plain\r\n".utf8)]
        let admitted = pieces.map { guarded.admits($0) }
        #expect(admitted == [true, true, true])
        let last = guarded.admits([0xC3, 0xA4])
        #expect(!last)
    }

    @Test func nonASCIIInHeaderValuesAndBodies_isAdmitted() {
        var guarded = PartHeaderNameGuard(boundary: "--b--b")
        let body = Array("----b--b\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"ä.pdf\"\r\n\r\n".utf8)
            + [0x0D, 0x0A, 0xFF, 0x3A, 0x0D, 0x0A, 0xC3, 0xA4] + Array("\r\n----b--b--\r\n".utf8)
        let admitted = guarded.admits(body)
        #expect(admitted)
    }

    @Test func headersAfterAnOverlappingStartOfTheBoundary_areStillWatched() {
        var guarded = PartHeaderNameGuard(boundary: "aab")
        let first = guarded.admits(Array("---aab\r\n".utf8) + [0x80])
        var again = PartHeaderNameGuard(boundary: "aab")
        let second = again.admits(Array("--a--aab\r\nName: v\r\n".utf8) + [0xFF])
        #expect(!first && !second)
    }
}
