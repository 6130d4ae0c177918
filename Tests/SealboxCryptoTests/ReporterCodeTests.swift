import SealboxCrypto
import Testing

@Suite("Reporter codes")
struct ReporterCodeTests {
    /// A valid 16-digit code: 15 digits and their Damm check digit.
    private func validCode(_ body: String = "472109385562117") -> String {
        body + String(ReporterCode.dammCheckDigit(Array(body.utf8)))
    }

    @Test("generated codes are 16 ASCII digits that pass their own check")
    func generatedCodesAreValid() throws {
        for _ in 0..<200 {
            let code = ReporterCode.generate()
            #expect(code.digits.count == 16)
            #expect(code.digits.unsafeCopyBytes.allSatisfy { (0x30...0x39).contains($0) })
            #expect(try ReporterCode(normalising: code.grouped) == code)
        }
    }

    @Test("grouped shows four groups of four")
    func grouped() throws {
        let code = try ReporterCode(normalising: validCode())
        #expect(code.grouped == "4721 0938 5562 117\(validCode().last!)")
    }

    @Test("the description never shows the digits")
    func descriptionDoesNotLeak() throws {
        let code = try ReporterCode(normalising: validCode())
        #expect(code.description == "ReporterCode(****)")
        #expect(!String(reflecting: code).contains("4721"))
        #expect(!"\(code)".contains("4721"))
    }

    @Test("Damm catches every single wrong digit, exhaustively over sample codes")
    func dammCatchesSingleDigitErrors() throws {
        for _ in 0..<100 {
            let digits = Array(ReporterCode.generate().digits.unsafeCopyBytes)
            for position in 0..<16 {
                for replacement in UInt8(0x30)...UInt8(0x39) where replacement != digits[position] {
                    var wrong = digits
                    wrong[position] = replacement
                    #expect(throws: CodeInputError.typo) {
                        try ReporterCode(normalising: String(decoding: wrong, as: UTF8.self))
                    }
                }
            }
        }
    }

    @Test("Damm catches every swap of neighbouring different digits, exhaustively over sample codes")
    func dammCatchesAdjacentTranspositions() throws {
        for _ in 0..<300 {
            let digits = Array(ReporterCode.generate().digits.unsafeCopyBytes)
            for position in 0..<15 where digits[position] != digits[position + 1] {
                var swapped = digits
                swapped.swapAt(position, position + 1)
                #expect(throws: CodeInputError.typo) {
                    try ReporterCode(normalising: String(decoding: swapped, as: UTF8.self))
                }
            }
        }
    }

    @Test("Damm catches all adjacent transpositions for every digit pair and interim state")
    func dammTableIsAntiSymmetric() {
        // For all prefixes' interim values, every ab -> ba swap changes the result.
        for prefix in 0...9 {
            for a in UInt8(0)...9 {
                for b in UInt8(0)...9 where a != b {
                    #expect(ReporterCode.dammCheckDigit([UInt8(prefix), a, b]) != ReporterCode.dammCheckDigit([UInt8(prefix), b, a]))
                }
            }
        }
    }

    @Test("accepts digit values and ASCII digits alike")
    func dammInputForms() {
        #expect(ReporterCode.dammCheckDigit(Array("572".utf8)) == 4)
        #expect(ReporterCode.dammCheckDigit([5, 7, 2]) == 4)
    }

    @Test("normalisation maps other digit forms and removes spaces and dashes", arguments: [
        "grouped", "dashes", "unicode dashes", "full-width", "Arabic-Indic", "Persian", "odd spaces",
    ])
    func normalisation(_ form: String) throws {
        let plain = validCode()
        let typed: String = switch form {
        case "grouped": plain.chunked(4).joined(separator: " ")
        case "dashes": plain.chunked(4).joined(separator: "-")
        case "unicode dashes": plain.chunked(4).joined(separator: "\u{2010}\u{2015}\u{2212}")
        case "full-width": plain.mapDigits(base: 0xFF10)
        case "Arabic-Indic": plain.mapDigits(base: 0x0660)
        case "Persian": plain.mapDigits(base: 0x06F0)
        default: "\u{00A0}" + plain.chunked(4).joined(separator: "\u{2009}\u{3000}") + "\n"
        }
        #expect(typed != plain)
        #expect(try ReporterCode(normalising: typed) == (try ReporterCode(normalising: plain)))
    }

    @Test("more than 64 characters is tooLong, even if the digits are valid")
    func tooLong() throws {
        let code = validCode()
        #expect(throws: Never.self) { try ReporterCode(normalising: code + String(repeating: " ", count: 48)) }
        #expect(throws: CodeInputError.tooLong) { try ReporterCode(normalising: code + String(repeating: " ", count: 49)) }
        #expect(throws: CodeInputError.tooLong) { try ReporterCode(normalising: String(repeating: "x", count: 10_000)) }
    }

    @Test("anything but 16 digits after normalisation is malformed", arguments: [
        "", "123", "472109385562117", "47210938556211700", "4721 0938 5562 117O", "4721_0938_5562_1170",
        "4721.0938.5562.1170", "४७२१०९३८५५६२११७०",
    ])
    func malformed(_ input: String) {
        #expect(throws: CodeInputError.malformed) { try ReporterCode(normalising: input) }
    }
}

extension String {
    fileprivate func chunked(_ n: Int) -> [String] {
        var out: [String] = []
        var rest = Substring(self)
        while !rest.isEmpty {
            out.append(String(rest.prefix(n)))
            rest = rest.dropFirst(n)
        }
        return out
    }

    fileprivate func mapDigits(base: UInt32) -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { Unicode.Scalar(base + $0.value - 0x30)! }))
    }
}

@Suite("Code derivation")
struct CodeDerivationTests {
    @Test("the same code and pepper give the same secrets")
    func deterministic() throws {
        let code = ReporterCode.generate()
        let pepper = Pepper.generate()
        let a = try CodeDerivation.derive(code: code, pepper: pepper, cost: .minimum)
        let b = try CodeDerivation.derive(code: code, pepper: pepper, cost: .minimum)
        #expect(a.lookupHash == b.lookupHash)
        #expect(a.lookupHash.count == 32)
        #expect(a.reporterKey.publicKey == b.reporterKey.publicKey)
    }

    @Test("another pepper or another code gives other secrets")
    func dependsOnPepperAndCode() throws {
        let code = ReporterCode.generate()
        let pepper = Pepper.generate()
        let a = try CodeDerivation.derive(code: code, pepper: pepper, cost: .minimum)
        let b = try CodeDerivation.derive(code: code, pepper: Pepper.generate(), cost: .minimum)
        let c = try CodeDerivation.derive(code: ReporterCode.generate(), pepper: pepper, cost: .minimum)
        #expect(a.lookupHash != b.lookupHash && a.lookupHash != c.lookupHash)
        #expect(a.reporterKey.publicKey != b.reporterKey.publicKey)
    }

    @Test("a pepper must be 32 bytes and never prints")
    func pepperShape() {
        #expect(throws: CryptoError.invalidKey) { try Pepper(secret: SecureBytes(count: 31)) }
        #expect(Pepper.generate().description == "Pepper(****)")
    }
}
