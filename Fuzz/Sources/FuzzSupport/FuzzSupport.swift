// Starts libFuzzer from a target's main.swift. SwiftPM gives every executable target a
// `main` of its own, so libFuzzer's `main` is never linked; its driver is called instead,
// with the target's `LLVMFuzzerTestOneInput`.
import CFuzzDriver
import Foundation

/// Runs libFuzzer with the process's arguments and `test` as the fuzz target; exits with its status.
public func runFuzzer(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, test))
}
