// Fuzzes the key-file decoder (PROTOCOL §2): the public key without a passphrase, and
// opening as a team and a staff key with the passphrase of the test vectors. A file asking
// for more than 64 KiB or 3 passes of Argon2id is only parsed: its cost is the caller's.
import Foundation
import FuzzSupport
import SealboxCrypto

// State lives in an enum: main.swift's top-level variables belong to the main actor.
enum Fixture {
    /// "correct horse battery staple", the passphrase of Tests/SealboxCryptoTests/Vectors/keyfile.json.
    static let passphrase = SecureBytes(copying: Array("correct horse battery staple".utf8))
}

/// Whether the file's Argon2id cost is small enough to run in a fuzz loop.
func isCheap(_ bytes: [UInt8]) -> Bool {
    guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
          let kdf = object["kdf"] as? [String: Any],
          let ops = kdf["opslimit"] as? NSNumber, let mem = kdf["memlimit"] as? NSNumber
    else { return true }  // the decoder refuses it before any derivation
    return ops.doubleValue <= 3 && mem.doubleValue <= 65536
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeyFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let publicKey = try? KeyFile.publicKeyText(of: bytes)
    _ = KeyFile.passphrase(fromFileContents: bytes)
    guard publicKey != nil, isCheap(bytes) else { return 0 }
    if let team = try? KeyFile.openTeamKey(bytes, passphrase: Fixture.passphrase) {
        precondition(team.publicKey.teamText == publicKey, "team key does not match its file")
    }
    if let staff = try? KeyFile.openStaffKey(bytes, passphrase: Fixture.passphrase) {
        precondition(staff.publicKey.text == publicKey, "staff key does not match its file")
    }
    return 0
}

runFuzzer(fuzzKeyFile)
