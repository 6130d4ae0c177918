// A generator for the workstation benchmark (docs/design/DESK.md §6, `make bench-workstation`):
// fills a daemon storage folder with CASES cases and ITEMS items in all (each case its
// report, then follow-ups), sealed with the real code to a team public key, through the
// daemon's own MailboxDatabase (key store, storage keys and group commit included), so
// that `sealboxd` serves it and `sealbox sync`, `list` and `show` run against it.
// Not a test and never shipped: the text is made-up German prose; no code opens a case.
//
//   sealbox-bench-store --storage DIR --team-public sealbox-team-v1:… --cases 10000 --items 100000
import Foundation
import SealboxCore
import SealboxCrypto

struct Arguments {
    var storage = ""
    var teamPublic = ""
    var cases = 1000
    var items = 10000
    var days = 365

    static func parse(_ arguments: [String]) -> Arguments? {
        var result = Arguments()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { return nil }
            switch flag {
            case "--storage": result.storage = value
            case "--team-public": result.teamPublic = value
            case "--cases": guard let n = Int(value), n > 0 else { return nil }; result.cases = n
            case "--items": guard let n = Int(value), n > 0 else { return nil }; result.items = n
            case "--days": guard let n = Int(value), n > 0 else { return nil }; result.days = n
            default: return nil
            }
        }
        guard !result.storage.isEmpty, !result.teamPublic.isEmpty, result.items >= result.cases else { return nil }
        return result
    }
}

let words = """
    Ich wurde bei der Wohnungsbesichtigung abgewiesen nachdem der Vermieter meinen Namen gehört hatte \
    Die Kollegin sagte mir im Büro dass Leute wie ich hier nicht erwünscht seien \
    Beim Arzt wurde mir die Behandlung verweigert weil ich kein Deutsch spreche \
    In der Schule wird mein Kind wegen seines Kopftuchs ausgelacht und die Lehrerin schaut weg \
    Am Einlass der Diskothek hieß es heute nur Stammgäste obwohl andere hineingingen
    """.split(separator: " ").map(String.init)

func text(_ rng: inout SystemRandomNumberGenerator, low: Int, high: Int) -> String {
    var out = ""
    let target = Int.random(in: low...high, using: &rng)
    while out.utf8.count < target { out += (out.isEmpty ? "" : " ") + words.randomElement(using: &rng)! }
    return out + "."
}

@main
struct StoreGenerator {
    static func main() async throws {
        guard let arguments = Arguments.parse(Array(CommandLine.arguments.dropFirst())) else {
            FileHandle.standardError.write(Data(
                "usage: sealbox-bench-store --storage DIR --team-public sealbox-team-v1:… [--cases N] [--items M ≥ N] [--days D]\n".utf8))
            exit(2)
        }
        let team = try BoxPublicKey(teamText: arguments.teamPublic)
        try FileManager.default.createDirectory(atPath: arguments.storage, withIntermediateDirectories: true)
        let database = try MailboxDatabase(
            path: arguments.storage + "/sealbox.sqlite", keyStorePath: arguments.storage + "/keystore.sqlite")
        let today = Day.today()
        let started = Date()
        // Items per case: every case gets ITEMS / CASES items, the first ITEMS % CASES one more.
        let base = arguments.items / arguments.cases, extra = arguments.items % arguments.cases
        let width = 64
        // Every case is coded: one statistic record each (PROTOCOL §3.5), signed by a key
        // made here; the benchmark gives its public key to the workstation as a known staff key.
        let coder = SigningSecretKey.generate()
        print("statistics signed by \(coder.publicKey.text)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for index in 0..<arguments.cases {
                if running == width {
                    try await group.next()
                    running -= 1
                }
                running += 1
                let count = base + (index < extra ? 1 : 0)
                let age = index * arguments.days / arguments.cases
                group.addTask {
                    let day = today.adding(days: -(arguments.days - age))
                    try await makeCase(database, team: team, day: day, items: count)
                    try await makeStatistic(database, team: team, month: Month(day), signer: coder)
                }
                if (index + 1) % 1000 == 0 {
                    print("\(index + 1) cases …")
                }
            }
            try await group.waitForAll()
        }
        let seconds = Date().timeIntervalSince(started)
        print("made \(arguments.cases) cases and \(arguments.items) items in \(String(format: "%.1f", seconds)) s")
    }

    /// One coded case's statistic record, with values drawn from the built-in scheme.
    static func makeStatistic(_ database: MailboxDatabase, team: BoxPublicKey, month: Month,
                              signer: SigningSecretKey) async throws {
        var rng = SystemRandomNumberGenerator()
        let grounds = ["racism", "religion", "disability", "age", "sex-gender", "antisemitism"]
        let areas = ["work", "housing", "education", "goods-services", "health", "public-authorities"]
        var record = StatisticRecord(
            month: month, scheme: "advd-dezim-ads-2026",
            grounds: Array(Set((0..<Int.random(in: 1...2, using: &rng)).map { _ in grounds.randomElement(using: &rng)! })),
            area: areas.randomElement(using: &rng), form: ["direct", "indirect", "harassment"].randomElement(using: &rng),
            level: ["individual", "institutional", nil].randomElement(using: &rng)!,
            interventions: ["counselling"], outcome: ["resolved", "ongoing", nil].randomElement(using: &rng)!)
        try record.sign(with: signer)
        _ = try await database.putStatistic(StoredStatistic(
            id: .generate(), month: month, envelope: try Envelope.seal(try record.encoded(), kind: .statistic, to: [team])))
    }

    static func makeCase(_ database: MailboxDatabase, team: BoxPublicKey, day: Day, items: Int) async throws {
        var rng = SystemRandomNumberGenerator()
        let reference = CaseReference.generate()
        let reporter = BoxSecretKey.generate()
        let signing = SigningSecretKey.generate()
        let report = try ReportContent(
            type: .report, caseReference: reference, day: day, reporterKey: reporter.publicKey,
            text: text(&rng, low: 200, high: 2000), grounds: ["racism"], area: "housing",
            reporterSigningKey: signing.publicKey).encoded()
        try await database.insert(NewCase(
            reference: reference, lookupHash: Random.bytes(32), cost: .interactive, reporterKey: reporter.publicKey,
            day: day, itemID: .generate(),
            envelope: try Envelope.seal(report, kind: .report, to: [team, reporter.publicKey]), blobs: []))
        for _ in 1..<max(items, 1) {
            var followUp = ReportContent(type: .followUp, caseReference: reference, day: day, reporterKey: nil,
                                         text: text(&rng, low: 100, high: 800))
            try followUp.sign(with: signing)
            try await database.appendFollowUp(
                case: reference, itemID: .generate(),
                envelope: try Envelope.seal(try followUp.encoded(), kind: .followUp, to: [team, reporter.publicKey]),
                blobs: [], day: day)
        }
    }
}
