// Fuzzes the JSON bodies of the public and the staff API (SealboxAPI, decoded with
// APICoding as daemon and CLI do). The first byte chooses the type; the rest is the body.
// A body that decodes must encode and decode again to an equal value.
import Foundation
import FuzzSupport
import SealboxAPI

/// Decodes `bytes` as `type`; when that works, checks the round trip.
func check<T: Codable & Equatable>(_ type: T.Type, _ bytes: ArraySlice<UInt8>) {
    guard let value = try? APICoding.decode(T.self, from: bytes) else { return }
    let encoded = try! APICoding.encoder().encode(value)
    let again = try! APICoding.decode(T.self, from: encoded)
    precondition(again == value, "\(T.self) does not survive a round trip")
}

// State lives in an enum: main.swift's top-level variables belong to the main actor.
enum Fixture {
  static let checks: [@Sendable (ArraySlice<UInt8>) -> Void] = [
    // The public API.
    { check(ReportRequest.self, $0) },
    { check(CodeRequest.self, $0) },
    { check(SubmissionCreated.self, $0) },
    { check(FollowUpCreated.self, $0) },
    { check(InboxThread.self, $0) },
    { check(APIErrorBody.self, $0) },
    // The staff API.
    { check(ItemPage.self, $0) },
    { check(SealedItem.self, $0) },
    { check(AttachmentReference.self, $0) },
    { check(CaseList.self, $0) },
    { check(CaseSummary.self, $0) },
    { check(AuditLog.self, $0) },
    { check(AuditLogEntry.self, $0) },
    { check(ReplyRequest.self, $0) },
    { check(ReplyCreated.self, $0) },
    { check(StatusRequest.self, $0) },
    { check(StatusChanged.self, $0) },
    // Issue 10: case work, four-eyes deletion and retention, the team roster.
    { check(CaseWorkRequest.self, $0) },
    { check(CaseWorkCreated.self, $0) },
    { check(PendingDeletion.self, $0) },
    { check(RetainRequest.self, $0) },
    { check(RetentionChanged.self, $0) },
    { check(RosterLead.self, $0) },
    { check(RosterHeadBody.self, $0) },
    { check(RosterPage.self, $0) },
    { check(RosterAppendRequest.self, $0) },
    { check(RosterAppended.self, $0) },
    // Issue 10: statistic records (PROTOCOL §3.5).
    { check(StatisticUpload.self, $0) },
    { check(StatisticStored.self, $0) },
    { check(SealedStatistic.self, $0) },
    { check(StatisticPage.self, $0) },
  ]
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAPIJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    Fixture.checks[Int(first) % Fixture.checks.count](ArraySlice(bytes.dropFirst()))
    return 0
}

runFuzzer(fuzzAPIJSON)
