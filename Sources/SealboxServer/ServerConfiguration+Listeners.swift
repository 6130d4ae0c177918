// The listeners' addresses as a whole: `onion.address` (the onion service's hostname,
// named on the onion listener's pages and receipts, docs/OPERATIONS.md §6) and the rule
// that no two listeners share an address. docs: config/README.md ("Listeners", "Resilience").
import Configuration
import Foundation

extension ServerConfiguration {
    /// `onion.address` (or its older name `public.onion_address`): the onion service's
    /// hostname, 56 base32 characters and `.onion` (tor's version 3), with or without
    /// `http://`; kept as `http://NAME.onion`.
    static func onionAddress(_ reader: ConfigReader) throws -> String {
        var found: [(key: String, address: String)] = []
        for key in ["onion.address", "public.onion_address"] {
            guard let text = reader.string(forKey: ConfigKey(key))?.trimmingCharacters(in: .whitespaces), !text.isEmpty
            else { continue }
            let withScheme = text.contains("://") ? text : "http://" + text
            guard let url = URL(string: withScheme), ["http", "https"].contains(url.scheme ?? ""),
                  let host = url.host?.lowercased(), host.hasSuffix(".onion"), url.path.isEmpty || url.path == "/",
                  url.port == nil, url.query == nil, url.user == nil
            else { throw ConfigurationError.invalid("\(key) must be the onion service's hostname, NAME.onion (no path)") }
            let name = host.dropLast(".onion".count)
            guard name.count == 56, name.allSatisfy({ ("a"..."z").contains($0) || ("2"..."7").contains($0) }) else {
                throw ConfigurationError.invalid(
                    "\(key) must be a version 3 onion hostname: 56 letters a–z and digits 2–7, then .onion (tor writes it to the service's hostname file)")
            }
            found.append((key, "\(url.scheme!)://\(host)"))
        }
        if found.count == 2, found[0].address != found[1].address {
            throw ConfigurationError.invalid("onion.address and public.onion_address name different onion services; set onion.address only")
        }
        return found.first?.address ?? ""
    }

    /// Refuses listeners that would collide: the staff listener on the public one, the
    /// onion listener on either.
    func checkListeners() throws {
        if publicListen.port != 0, publicListen == staffListen {
            throw ConfigurationError.invalid("staff.listen must differ from public.listen")
        }
        try resilience.check(publicListen: publicListen, staffListen: staffListen)
    }
}
