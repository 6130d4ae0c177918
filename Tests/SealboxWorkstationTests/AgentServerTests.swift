// The unlock agent on a real Unix socket in a temporary folder: folder 0700 and socket
// 0600, answers over the socket, a garbage frame and an oversized length prefix answered
// with an error while the agent stays up, the idle end, and lock removing the socket.
import Foundation
import SealboxCore
import SealboxCrypto
import Testing
@testable import SealboxWorkstation

/// An agent serving on its own thread in a short temporary folder.
final class RunningAgent: @unchecked Sendable {
    let fixture: AgentFixture
    let folder: String
    let server: AgentServer
    let finished = DispatchSemaphore(value: 0)

    init(idle: Double = 60) throws {
        fixture = AgentFixture(idle: idle, now: AgentSocket.monotonicNow())
        folder = "/tmp/sbat-\(Random.identifier().prefix(12))"
        server = AgentServer(folder: folder, path: folder + "/agent.sock", handler: fixture.handler)
        try server.bind()
        let thread = Thread { [self] in
            server.run()
            finished.signal()
        }
        thread.start()
    }

    var client: AgentClient { AgentClient(path: server.path) }

    deinit {
        _ = try? client.exchange(AgentRequest(op: .lock))
        _ = finished.wait(timeout: .now() + 5)
        try? FileManager.default.removeItem(atPath: folder)
    }
}

@Suite(.serialized) struct AgentServerTests {
    @Test func theFolderIs0700_andTheSocket0600() throws {
        let agent = try RunningAgent()
        var info = stat()
        #expect(lstat(agent.folder, &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(lstat(agent.server.path, &info) == 0 && info.st_mode & 0o777 == 0o600 && (info.st_mode & S_IFMT) == S_IFSOCK)
    }

    @Test func aClient_opensAndSignsOverTheSocket() throws {
        let agent = try RunningAgent()
        let access = try AgentKeyAccess(client: agent.client)
        #expect(access.keyIDs == [agent.fixture.team.publicKey.keyID])
        let envelope = try Envelope.seal(Array("über".utf8), kind: .report, to: [agent.fixture.team.publicKey])
        let opened = try access.open(envelope)
        #expect(opened.kind == .report && opened.plaintext == Array("über".utf8))
        let foreign = try Envelope.seal([1], kind: .note, to: [BoxSecretKey.generate().publicKey])
        #expect(throws: CryptoError.notSealedToThisKey) { try access.open(foreign) }
        let message = Array("sealbox-staff-request/v1\nGET".utf8)
        let signature = try #require(access.signer).signature(for: message)
        #expect(agent.fixture.staff.publicKey.isValidSignature(signature, for: message))
    }

    @Test func aGarbageFrame_andAnOversizedPrefix_getAnError_andTheAgentStaysUp() throws {
        let agent = try RunningAgent()
        let garbage = try agent.client.exchange(raw: AgentFrame.encode(Array("not json at all".utf8)))
        #expect(garbage.error?.code == "bad_request")
        let oversized = try agent.client.exchange(raw: [0xFF, 0xFF, 0xFF, 0xFF] + Array("{}".utf8))
        #expect(oversized.error?.code == "too_long")
        let cut = try agent.client.exchange(raw: [0, 0, 0, 50] + Array("{}".utf8))
        #expect(cut.error?.code == "bad_frame")
        #expect(agent.client.isAnswering())
    }

    @Test func aSecondAgent_refusesToBindWhileOneAnswers() throws {
        let agent = try RunningAgent()
        let second = AgentServer(folder: agent.folder, path: agent.server.path, handler: AgentFixture().handler)
        #expect(throws: AgentSocketError.self) { try second.bind() }
        #expect(agent.client.isAnswering())
    }

    @Test func theAgentEnds_afterItsIdleTime_andRemovesItsSocket() throws {
        let agent = try RunningAgent(idle: 0.5)
        #expect(agent.finished.wait(timeout: .now() + 5) == .success)
        #expect(!FileManager.default.fileExists(atPath: agent.server.path))
        #expect(agent.fixture.team.secret.withUnsafeBytes { $0.allSatisfy { $0 == 0 } })
        #expect(throws: AgentClientError.notRunning) { try agent.client.exchange(AgentRequest(op: .status)) }
        agent.finished.signal()  // for deinit
    }

    @Test func lock_endsTheAgent() throws {
        let agent = try RunningAgent()
        #expect(try agent.client.exchange(AgentRequest(op: .lock)).ok)
        #expect(agent.finished.wait(timeout: .now() + 5) == .success)
        #expect(!FileManager.default.fileExists(atPath: agent.server.path))
        agent.finished.signal()
    }

    @Test func aClient_refusesAFolderOthersMayEnter() throws {
        let agent = try RunningAgent()
        chmod(agent.folder, 0o755)
        defer { chmod(agent.folder, 0o700) }
        do throws(AgentClientError) {
            _ = try agent.client.exchange(AgentRequest(op: .status))
            Issue.record("a folder others may enter was trusted")
        } catch {
            guard case .untrusted = error else { Issue.record("expected untrusted, got \(error)"); return }
        }
    }
}
