// Fuzzes the unlock agent's input (docs/WORKSTATION.md "The agent protocol"): the bytes of
// one connection are read as the agent reads them (the length prefix checked against the
// 1 MiB limit, then the body) and answered by an AgentHandler holding a team key and a
// staff key. Every input gets an answer (ok, or an error code), never a trap; no answer
// ever holds a secret key. The same bytes are also read as a key handoff.
import FuzzSupport
import SealboxCrypto
import SealboxWorkstation

// State lives in an enum: main.swift's top-level variables belong to the main actor.
enum Fixture {
    /// A handler with a fresh team key and staff key (made again after a fuzzed `lock` wiped them).
    static func make() -> AgentHandler {
        AgentHandler(keys: UnlockedKeys(boxKeys: [BoxSecretKey.generate()], signingKey: SigningSecretKey.generate()),
                     identity: AgentIdentity(source: "team-key", files: ["/k/team.key"], idleSeconds: 60), now: 0)
    }
    nonisolated(unsafe) static var handler = make()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAgent(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let length = try? AgentFrame.length(ofPrefix: Array(bytes.prefix(4)), limit: AgentFrame.maximumRequestLength),
       bytes.count - 4 >= length {
        let handler = Fixture.handler
        let secrets = (handler.keys.boxKeys.map(\.secret) + [handler.keys.signingKey!.seed])
            .map { key in key.withUnsafeBytes { Base64URL.encode(Array($0)) } }
        let answer = handler.handle(Array(bytes[4..<(4 + length)]), now: 1)
        precondition(answer.ok || answer.error != nil, "an answer without a result or an error")
        let text = String(decoding: answer.encoded(), as: UTF8.self)
        for secret in secrets { precondition(!text.contains(secret), "a secret in an answer") }
        if handler.locked { Fixture.handler = Fixture.make() }
    }
    _ = AgentHandoff.decode(SecureBytes(copying: bytes))
    return 0
}

runFuzzer(fuzzAgent)
