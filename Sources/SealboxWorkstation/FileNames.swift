// Safe file names from untrusted attachment names (a reporter's, so hostile): used by
// `sealbox show --attachments` to write files and by the desk for a download's
// Content-Disposition. Keeps only the last path component, removes control characters,
// bidirectional overrides and leading or trailing dots, and shortens to 200 bytes.
import Foundation

/// Safe file names for attachments.
public enum FileNames {
    /// The name used when nothing usable is left.
    public static let fallback = "attachment"
    /// The longest name written, in UTF-8 bytes (file systems allow 255).
    static let maximumBytes = 200

    /// A file name from an untrusted attachment name: no path separators, no
    /// leading dot, no control or bidirectional characters, at most 200 bytes.
    public static func sanitise(_ name: String) -> String {
        // Only what follows the last separator of either kind (C:\Users\x\letter.pdf).
        let base = name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" }).last
            .map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for scalar in base.precomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: continue
            default:
                if scalar.properties.generalCategory == .control { continue }
                scalars.append(scalar)
            }
        }
        var result = String(scalars).trimmingCharacters(in: .whitespaces)
        while let first = result.first, first == "." || first.isWhitespace { result.removeFirst() }
        while let last = result.last, last == "." || last.isWhitespace { result.removeLast() }
        result = shorten(result)
        return result.isEmpty ? fallback : result
    }

    /// The name to try at `attempt` (1 is the name itself): `letter (2).pdf`.
    public static func candidate(_ name: String, attempt: Int) -> String {
        guard attempt > 1 else { return name }
        let (stem, ext) = split(name)
        return "\(stem) (\(attempt))\(ext)"
    }

    /// `letter.pdf` → (`letter`, `.pdf`); names without a dot keep an empty extension.
    public static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        let ext = String(name[dot...])
        guard ext.utf8.count <= 16 else { return (name, "") }
        return (String(name[..<dot]), ext)
    }

    private static func shorten(_ name: String) -> String {
        guard name.utf8.count > maximumBytes else { return name }
        let (stem, ext) = split(name)
        var short = stem
        while short.utf8.count + ext.utf8.count > maximumBytes { short.removeLast() }
        return short + ext
    }
}

