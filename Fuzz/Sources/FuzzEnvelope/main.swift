// Fuzzes the envelope decoder (PROTOCOL §3): the recipient list without a key, opening with
// the team and the reporter key of the test vectors, and the padding. Every input may fail,
// none may trap. Inputs starting with 0x00 are sealed and must open to themselves.
import FuzzSupport
import SealboxCrypto

// State lives in an enum: main.swift's top-level variables belong to the main actor.
enum Fixture {
    /// The team and reporter secret keys of Tests/SealboxCryptoTests/Vectors/envelope.json.
    static let keys = [
        "dc94548a7d4369db05c631a98532b4e291d5c98de954594d3ff3150c92648c17",
        "ca55d896d42463800bb97f9e85bb917ad5627cae132cfd5d47119e52d78d0483",
    ].map { try! BoxSecretKey(secretBytes: SecureBytes(copying: Hex.decode($0)!)) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let (_, ids) = try? Envelope.recipients(of: bytes) {
        precondition((1...8).contains(ids.count), "recipient count")
    }
    for key in Fixture.keys {
        if let (_, plaintext) = try? Envelope.open(bytes, with: key) {
            precondition(plaintext.count < bytes.count, "plaintext longer than its envelope")
        }
    }
    if let unpadded = try? Padding.unpad(bytes) {  // any length: PROTOCOL §3.1 and padding.json
        precondition(unpadded.count < bytes.count, "unpad removed no marker")
    }
    if bytes.first == 0 {
        let plaintext = Array(bytes.dropFirst())
        let kind = EnvelopeKind.allCases[plaintext.count % EnvelopeKind.allCases.count]
        let sealed = try! Envelope.seal(plaintext, kind: kind, to: Fixture.keys.map(\.publicKey))
        let opened = try! Envelope.open(sealed, with: Fixture.keys[1])
        precondition(opened.kind == kind && opened.plaintext == plaintext, "round trip")
        precondition(try! Padding.unpad(Padding.pad(plaintext)) == plaintext, "padding round trip")
    }
    return 0
}

runFuzzer(fuzzEnvelope)
