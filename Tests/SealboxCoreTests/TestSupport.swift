import Foundation
import SealboxCore
import SealboxCrypto

/// A fresh temporary directory, removed when the test ends via `defer`.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sealbox-core-\(Random.identifier())")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func removeDirectory(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
}

/// The cheapest Argon2id cost libsodium accepts: keeps tests fast; the derivation is the same.
let testCost = try! KDFCost(opslimit: 1, memlimit: 8192)

/// A gate that pool jobs wait on until the test opens it.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}
