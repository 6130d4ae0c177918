import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct GroupCommitTests {
    static func newCase(lookupHash: [UInt8] = Random.bytes(32)) -> NewCase {
        NewCase(reference: .generate(), lookupHash: lookupHash, cost: testCost,
                reporterKey: BoxSecretKey.generate().publicKey, day: Day("2026-11-30")!,
                itemID: .generate(), envelope: Random.bytes(300), blobs: [])
    }

    @Test func concurrentSubmissions_areAllStoredWhenEachReturns() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path, codeCost: testCost)
        let cases = (0..<150).map { _ in Self.newCase() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for new in cases {
                group.addTask {
                    try await db.insert(new)
                    #expect(try await db.caseRecord(reference: new.reference) != nil)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await db.counts().cases == 150)
        #expect(try db.pragma("integrity_check") == "ok")
    }

    @Test func aCollisionInABatch_refusesThatCaseAloneAndKeepsTheOthers() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path, codeCost: testCost)
        let taken = Random.bytes(32)
        try await db.insert(Self.newCase(lookupHash: taken))
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                group.addTask {
                    do {
                        try await db.insert(Self.newCase(lookupHash: index == 20 ? taken : Random.bytes(32)))
                        return true
                    } catch StorageError.collision {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { !$0 }.count == 1)
        #expect(try await db.counts().cases == 40)
    }
}
