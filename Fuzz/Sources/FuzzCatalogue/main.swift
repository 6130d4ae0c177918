// Fuzzes the catalogue loader (SealboxL10n): the first line of the input is a file name,
// the rest its content, read as an office's l10n.directory file over the shipped
// catalogues. Every failure must be a CatalogueError; texts that load must format.
import Foundation
import FuzzSupport
import SealboxL10n

// State lives in an enum: main.swift's top-level variables belong to the main actor.
enum Fixture {
    /// The shipped catalogues, loaded from the shipped files as the daemon loads them.
    static let shipped = try! CatalogueLoader().loadShipped(
        ["de", "de-simple", "en", "tr", "ar", "uk", "ru", "pl", "fa"].map {
            (name: "\($0).json", data: Data(CatalogueOverrides.exportJSON(tag: $0)!.utf8))
        })
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCatalogue(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let newline = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
    let name = String(decoding: bytes[..<newline], as: UTF8.self)
    let content = Data(bytes[min(newline + 1, bytes.endIndex)...])
    guard let file = try? CatalogueFile.parse(content, fileName: name) else { return 0 }
    guard let overrides = try? CatalogueLoader().loadOverrides([(name: name, data: content)], over: Fixture.shipped) else {
        return 0
    }
    let language = overrides.added.first ?? Fixture.shipped.languages.first { $0.tag == file.tag }!
    let localiser = Localiser(language, strings: overrides.strings[file.tag] ?? [:])
    for key in file.texts.keys {
        _ = localiser.format(key, arguments: ["a", "{0}", "\u{202E}"])
    }
    return 0
}

runFuzzer(fuzzCatalogue)
