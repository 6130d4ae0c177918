import SealboxCrypto
import Testing

@Suite("SecureBytes and constant-time comparison")
struct SecureBytesTests {
    @Test("a new buffer is zero-filled with the requested count")
    func newBufferIsZeroFilled() {
        let bytes = SecureBytes(count: 33)
        #expect(bytes.count == 33)
        #expect(bytes.unsafeCopyBytes == [UInt8](repeating: 0, count: 33))
    }

    @Test("copying keeps the bytes exactly")
    func copyingKeepsBytes() {
        let source: [UInt8] = [1, 2, 3, 250]
        #expect(SecureBytes(copying: source).unsafeCopyBytes == source)
        #expect(SecureBytes(copying: source[1...]).unsafeCopyBytes == [2, 3, 250])
    }

    @Test("description and debug description never show the bytes")
    func descriptionDoesNotLeak() {
        let secret = SecureBytes(copying: Array("hunter2-very-secret".utf8))
        #expect(secret.description == "SecureBytes(19 bytes)")
        #expect(String(describing: secret) == "SecureBytes(19 bytes)")
        #expect(String(reflecting: secret) == "SecureBytes(19 bytes)")
        #expect(!"\(secret)".contains("hunter2"))
    }

    @Test("equal bytes compare equal, different bytes or lengths do not")
    func equality() {
        #expect(SecureBytes(copying: [1, 2, 3]) == SecureBytes(copying: [1, 2, 3]))
        #expect(SecureBytes(copying: [1, 2, 3]) != SecureBytes(copying: [1, 2, 4]))
        #expect(SecureBytes(copying: [1, 2, 3]) != SecureBytes(copying: [1, 2]))
        #expect(SecureBytes(count: 0) == SecureBytes(count: 0))
    }

    @Test("random buffers differ and have the requested count")
    func randomBuffersDiffer() {
        let a = SecureBytes.random(count: 32)
        let b = SecureBytes.random(count: 32)
        #expect(a.count == 32)
        #expect(a != b)
    }

    @Test("mutable access writes through")
    func mutableAccessWritesThrough() {
        let bytes = SecureBytes(count: 4)
        bytes.withUnsafeMutableBytes { $0[2] = 9 }
        #expect(bytes.unsafeCopyBytes == [0, 0, 9, 0])
    }

    @Test("constantTimeEquals compares content and length")
    func constantTimeEqualsComparesContentAndLength() {
        #expect(constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2, 0]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(constantTimeEquals([UInt8](), [UInt8]()))
        #expect(constantTimeEquals([5, 6][...], [5, 6]))
    }
}

@Suite("Random, Base64URL and Hex")
struct EncodingTests {
    @Test("identifiers are 32 lowercase hex characters and unique")
    func identifiers() {
        let a = Random.identifier()
        #expect(a.count == 32)
        #expect(Random.isIdentifier(a))
        #expect(a != Random.identifier())
        #expect(!Random.isIdentifier("0123456789ABCDEF0123456789abcdef"))
        #expect(!Random.isIdentifier("0123456789abcdef0123456789abcde"))
    }

    @Test("uniform stays below its bound")
    func uniformStaysBelowBound() {
        for _ in 0..<1000 { #expect(Random.uniform(10) < 10) }
        #expect(Random.bytes(0).isEmpty)
        #expect(Random.bytes(17).count == 17)
    }

    @Test("base64url round-trips every length without padding")
    func base64RoundTrip() {
        for n in 0..<40 {
            let bytes = Random.bytes(n)
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("="))
            #expect(!text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
    }

    @Test("base64url matches RFC 4648 examples")
    func base64KnownAnswers() {
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode(Array("fooba".utf8)) == "Zm9vYmE")
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
    }

    @Test("base64url rejects padding, standard alphabet, bad length and non-canonical bits")
    func base64Rejects() {
        #expect(Base64URL.decode("Zg==") == nil)
        #expect(Base64URL.decode("+/8") == nil)
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64URL.decode("Zm 9v") == nil)
        #expect(Base64URL.decode("") == [])
    }

    @Test("hex encodes lowercase and decodes either case")
    func hex() {
        #expect(Hex.encode([0x00, 0xAB, 0xFF]) == "00abff")
        #expect(Hex.decode("00ABff") == [0x00, 0xAB, 0xFF])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}

@Suite struct SecureMemoryTests {
    @Test func wipingAnArray_zeroesItsBytesAndEmptiesIt() {
        var bytes: [UInt8] = Array("plaintext".utf8)
        SecureMemory.wipe(&bytes)
        #expect(bytes.isEmpty)
    }

    @Test func wipingABuffer_zeroesEveryByte() {
        var bytes: [UInt8] = [1, 2, 3, 4]
        bytes.withUnsafeMutableBytes { SecureMemory.wipe($0) }
        #expect(bytes == [0, 0, 0, 0])
    }
}
