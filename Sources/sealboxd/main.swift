// sealboxd: reads its configuration and runs the mailbox until SIGTERM.
import Foundation
import Logging
import SealboxL10n
import SealboxServer

umask(0o077)
var arguments = Array(CommandLine.arguments.dropFirst())
var configFile: String?
var kdfBenchmarkSeconds: Double?
while let argument = arguments.first {
    arguments.removeFirst()
    switch argument {
    case "--config":
        guard let file = arguments.first else {
            FileHandle.standardError.write(Data("sealboxd: error: --config needs a file\n".utf8))
            exit(64)
        }
        configFile = file
        arguments.removeFirst()
    case "--benchmark-kdf":
        kdfBenchmarkSeconds = arguments.first.flatMap(Double.init) ?? 5
        if !arguments.isEmpty { arguments.removeFirst() }
    case "--print-texts":
        guard let tag = arguments.first, let json = CatalogueOverrides.exportJSON(tag: tag) else {
            FileHandle.standardError.write(Data("sealboxd: error: --print-texts needs a shipped language tag (de, de-simple, en, tr, ar, uk, ru, pl, fa)\n".utf8))
            exit(64)
        }
        print(json)
        exit(0)
    case "--help", "-h":
        print("usage: sealboxd [--config FILE] [--benchmark-kdf SECONDS] [--print-texts TAG]\nEvery key can be set by an environment variable SEALBOX_<KEY>; see config/README.md.")
        exit(0)
    default:
        FileHandle.standardError.write(Data("sealboxd: error: unknown argument (see --help)\n".utf8))
        exit(64)
    }
}

do {
    let configuration = try await ServerConfiguration.load(file: configFile)
    if let seconds = kdfBenchmarkSeconds {
        let result = try await KDFBenchmark.run(cost: configuration.kdfCost, workers: configuration.kdfWorkers, seconds: seconds)
        print("argon2id: \(result.count) derivations in \(String(format: "%.2f", result.elapsed)) s = \(String(format: "%.1f", result.rate))/s (\(configuration.kdfWorkers) workers, \(configuration.kdfCost))")
        exit(0)
    }
    let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
    LoggingSystem.bootstrap { label in PlainLogHandler(label: label, level: level) }
    let logger = Logger(label: "sealboxd")
    let daemon = try SealboxDaemon(configuration: configuration, logger: logger)
    try await daemon.run()
} catch {
    FileHandle.standardError.write(Data("sealboxd: error: \(error)\n".utf8))
    exit(1)
}
