// The storage layer (docs/PROTOCOL.md §10.4): a wrapped item or blob opens only with its
// case's key and under its own id; every other key, id or changed byte fails the same way.
import SealboxCrypto
import Testing

@Suite("Storage wrap")
struct StorageWrapTests {
    let key = StorageKey.generate()
    let itemID = Random.identifier()

    @Test("an item round-trips and is 40 bytes longer", arguments: [0, 1, 100, 70_000])
    func itemRoundTrip(_ size: Int) throws {
        let envelope = Random.bytes(size)
        let stored = try StorageWrap.wrapItem(envelope, itemID: itemID, key: key)
        #expect(stored.count == size + StorageWrap.itemOverhead)
        #expect(try StorageWrap.unwrapItem(stored, itemID: itemID, key: key) == envelope)
    }

    @Test func twoWrapsOfOneEnvelope_differ_andHideIt() throws {
        let envelope = Random.bytes(200)
        let a = try StorageWrap.wrapItem(envelope, itemID: itemID, key: key)
        let b = try StorageWrap.wrapItem(envelope, itemID: itemID, key: key)
        #expect(a != b)
        #expect(!a.indices.dropLast(15).contains { Array(a[$0..<($0 + 16)]) == Array(envelope[0..<16]) })
    }

    @Test("a changed byte anywhere fails", arguments: [0, 23, 24, 100, 239])
    func tamperedItem_fails(_ index: Int) throws {
        var stored = try StorageWrap.wrapItem(Random.bytes(200), itemID: itemID, key: key)
        stored[index] ^= 0x01
        #expect(throws: CryptoError.authenticationFailed) { try StorageWrap.unwrapItem(stored, itemID: itemID, key: key) }
    }

    @Test func anotherItemsID_fails() throws {
        let stored = try StorageWrap.wrapItem(Random.bytes(200), itemID: itemID, key: key)
        #expect(throws: CryptoError.authenticationFailed) {
            try StorageWrap.unwrapItem(stored, itemID: Random.identifier(), key: key)
        }
    }

    @Test func anotherCasesKey_fails() throws {
        let stored = try StorageWrap.wrapItem(Random.bytes(200), itemID: itemID, key: key)
        #expect(throws: CryptoError.authenticationFailed) {
            try StorageWrap.unwrapItem(stored, itemID: itemID, key: .generate())
        }
    }

    @Test func aTruncatedItem_fails() throws {
        let stored = try StorageWrap.wrapItem(Random.bytes(10), itemID: itemID, key: key)
        for length in [0, 23, 39, stored.count - 1] {
            #expect(throws: CryptoError.authenticationFailed) {
                try StorageWrap.unwrapItem(Array(stored.prefix(length)), itemID: itemID, key: key)
            }
        }
    }

    @Test func anIDThatIsNotAnID_isRefusedBeforeAnyCall() {
        #expect(throws: CryptoError.self) { try StorageWrap.wrapItem([1], itemID: "../x", key: key) }
    }

    @Test("a blob round-trips in pieces and has the predicted size",
          arguments: [0, 1, 65535, 65536, 65537, 200_000])
    func blobRoundTrip(_ size: Int) throws {
        let blob = Random.bytes(size)
        let wrapper = try StorageBlobWrapper(attachmentID: itemID, key: key)
        var stored = wrapper.header
        var offset = 0
        while offset < size {
            let end = min(size, offset + 30_000)
            stored += try wrapper.update(Array(blob[offset..<end]))
            offset = end
        }
        stored += try wrapper.finish()
        #expect(stored.count == StorageWrap.wrappedBlobSize(size))
        #expect(try StorageWrap.unwrapBlob(stored, attachmentID: itemID, key: key) == blob)
    }

    @Test func aBlobWithAChangedByte_aMissingChunk_aWrongIDOrKey_fails() throws {
        let stored = try StorageBlobWrapper.wrap(Random.bytes(150_000), attachmentID: itemID, key: key)
        var tampered = stored
        tampered[70_000] ^= 0x80
        let chunk = 65536 + 17
        let withoutLast = Array(stored.prefix(24 + 2 * chunk))
        let swapped = Array(stored[0..<24]) + Array(stored[(24 + chunk)..<(24 + 2 * chunk)])
            + Array(stored[24..<(24 + chunk)]) + Array(stored[(24 + 2 * chunk)...])
        for bad in [tampered, withoutLast, swapped, Array(stored.prefix(30))] {
            #expect(throws: CryptoError.authenticationFailed) { try StorageWrap.unwrapBlob(bad, attachmentID: itemID, key: key) }
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try StorageWrap.unwrapBlob(stored, attachmentID: Random.identifier(), key: key)
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try StorageWrap.unwrapBlob(stored, attachmentID: itemID, key: .generate())
        }
    }

    @Test func anItemIsNotABlob() throws {
        let stored = try StorageWrap.wrapItem(Random.bytes(100), itemID: itemID, key: key)
        #expect(throws: CryptoError.authenticationFailed) { try StorageWrap.unwrapBlob(stored, attachmentID: itemID, key: key) }
    }

    @Test func aKeyNeverPrintsItsBytes() {
        #expect(key.description == "StorageKey(32 bytes)")
        #expect("\(key)" == "StorageKey(32 bytes)")
    }
}
