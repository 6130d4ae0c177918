// Fuzzes the reporter code parser (PROTOCOL §6) with any Unicode text: Latin, full-width,
// Arabic-Indic and Persian digits, separators and everything else. A code that parses
// must be 16 ASCII digits with a valid check digit, and its grouped form must parse to it.
import FuzzSupport
import SealboxCrypto

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let code = try? ReporterCode(normalising: input) else { return 0 }
    precondition(input.unicodeScalars.count <= ReporterCode.maximumInputLength, "accepted an overlong input")
    let digits = code.digits.withUnsafeBytes { Array($0) }
    precondition(digits.count == 16 && digits.allSatisfy { (0x30...0x39).contains($0) }, "not 16 ASCII digits")
    precondition(ReporterCode.dammCheckDigit(digits[..<15]) == digits[15] - 0x30, "check digit")
    let grouped = code.grouped
    precondition(grouped.utf8.count == 19, "grouped form")
    precondition((try? ReporterCode(normalising: grouped)) == code, "grouped form does not parse back")
    return 0
}

runFuzzer(fuzzCode)
