import Foundation
@testable import SealboxServer
import Testing

@Suite struct DailyNoticeTests {
    @Test func aTimeOfDay_isHHMM_orHHMMSS_andNothingElse() throws {
        #expect(try TimeOfDay(parsing: "08:30") == TimeOfDay(parsing: "08:30:00"))
        #expect(try TimeOfDay(parsing: "23:59:59").description == "23:59:59")
        #expect(try TimeOfDay(parsing: "00:00").description == "00:00")
        for bad in ["8:30", "24:00", "12:60", "12:30:60", "12", "12:30:00:00", "ab:cd", "", "１２:３０", "-1:30", "+1:30"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { _ = try TimeOfDay(parsing: bad) }
        }
    }

    @Test func theNextNotice_isTheNextMomentAtThatTime_acrossDaysAndDaylightSaving() throws {
        let utc = TimeZone(identifier: "UTC")!
        let eight = try TimeOfDay(parsing: "08:00")
        let formatter = ISO8601DateFormatter()
        let before = formatter.date(from: "2026-11-30T07:59:59Z")!
        #expect(eight.next(after: before, in: utc) == formatter.date(from: "2026-11-30T08:00:00Z")!)
        // Exactly at the time: the next day (a notice never goes twice for one moment).
        let at = formatter.date(from: "2026-11-30T08:00:00Z")!
        #expect(eight.next(after: at, in: utc) == formatter.date(from: "2026-12-01T08:00:00Z")!)
        // Berlin: 08:00 is 07:00 UTC in winter and 06:00 UTC in summer.
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let saturday = formatter.date(from: "2027-03-27T12:00:00Z")!
        #expect(eight.next(after: saturday, in: berlin) == formatter.date(from: "2027-03-28T06:00:00Z")!)
        // 02:30 does not exist in Berlin on 2027-03-28: the first moment after the gap.
        let gap = try TimeOfDay(parsing: "02:30")
        let next = gap.next(after: saturday, in: berlin)
        #expect(next > formatter.date(from: "2027-03-28T00:59:59Z")! && next <= formatter.date(from: "2027-03-28T01:30:00Z")!)
    }

    @Test func theCommand_getsTheTextOnStdin_andItsEndIsReported() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("got.txt").path
        #expect(await NoticeCommand.run(["/bin/sh", "-c", "cat > \"$0\"", out], input: NoticeSettings.standardText) == .succeeded)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == NoticeSettings.standardText)
        #expect(await NoticeCommand.run(["/bin/sh", "-c", "exit 4"], input: "x") == .failed(status: 4))
        #expect(await NoticeCommand.run(["/bin/sleep", "30"], input: "x", timeout: 0.5) == .timedOut)
        #expect(await NoticeCommand.run(["/nonexistent/program"], input: "x") == .cannotStart)
        // A command that never reads a large input: no SIGPIPE takes the test process down.
        #expect(await NoticeCommand.run(["/bin/true"], input: String(repeating: "x", count: 300_000)) == .succeeded)
    }

    @Test func theStandardText_saysNothingThatChanges() {
        let text = NoticeSettings.standardText
        #expect(text.contains("Sealbox") && text.hasSuffix("\n"))
        let hasDigit = text.unicodeScalars.contains { CharacterSet.decimalDigits.contains($0) }
        #expect(!hasDigit, "a number in the notice could become a count or a time")
    }
}
