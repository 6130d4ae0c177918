// Issue 11, "a forgiving CLI", at the command line's edge: a reference typed in two
// halves becomes one argument (and nothing else is joined), a mistyped status is
// answered with "did you mean", `reply_due_days` is read and checked like the other
// day settings, and `list` names unanswered messages and fits a width.
import Foundation
import SealboxCore
import SealboxWorkstation
import Testing
@testable import SealboxCLI

@Suite struct ForgivingInputTests {
    @Test func aReferenceInTwoHalves_afterTheSubcommand_isJoined() {
        #expect(CommandLineInput.joiningSplitReference(["show", "7kqm", "3xwp"]) == ["show", "7KQM-3XWP"])
        #expect(CommandLineInput.joiningSplitReference(["show", "--json", "7kqm", "3xwp"]) == ["show", "--json", "7KQM-3XWP"])
        #expect(CommandLineInput.joiningSplitReference(["status", "7KQM", "3XWP", "closed"]) == ["status", "7KQM-3XWP", "closed"])
    }

    @Test func otherArgumentsAreLeftAlone() {
        for arguments in [["note", "7KQM-3XWP", "test", "text"], ["show", "--store", "abcd", "7kqm", "3xwp"],
                          ["show", "7kqm"], ["show", "7kqm", "3xw1"], ["team", "list"], []] {
            #expect(CommandLineInput.joiningSplitReference(arguments) == arguments)
        }
    }

    @Test func aMalformedReference_isAnsweredWithTheNearestStoredOnes() throws {
        let known = [try CaseReference(parsing: "7KQM-3XWP")]
        let error = try #require(CommandLineInput.malformedReference(["show", "7kqm-3xw"], known: { known }))
        #expect(error.message.contains("did you mean 7KQM-3XWP?") && error.status == .usage)
        #expect(CommandLineInput.malformedReference(["show", "--json", "7KQM3XWPP"], known: { known }) != nil)
        #expect(CommandLineInput.malformedReference(["show", "ZZZZ-ZZZ"], known: { known }) == nil)
        #expect(CommandLineInput.malformedReference(["stats", "7kqm-3xw"], known: { known }) == nil)
        #expect(CommandLineInput.malformedReference(["show", "7KQM-3XWP"], known: { known }) == nil)
    }

    @Test func aMistypedStatus_isAnsweredWithDidYouMean() throws {
        #expect(try CaseStatus.parsing(argument: "In_Progress") == .inProgress)
        do {
            _ = try CaseStatus.parsing(argument: "clsoed")
            Issue.record("a mistyped status was accepted")
        } catch {
            #expect("\(error)".contains("did you mean closed?"))
        }
        do {
            _ = try CaseStatus.parsing(argument: "done")
            Issue.record("an unknown status was accepted")
        } catch {
            #expect("\(error)".contains("the statuses are received, acknowledged, in-progress, closed"))
        }
    }

    @Test func replyDueDays_defaultsToSeven_andRefusesNonsense() throws {
        #expect(try Settings(environment: [:], file: ConfigFile()).replyDueDays() == 7)
        #expect(try Settings(environment: ["SEALBOX_REPLY_DUE_DAYS": "3"], file: ConfigFile()).replyDueDays() == 3)
        #expect(try Settings(environment: [:], file: ConfigFile(values: [.replyDueDays: "14"])).replyDueDays() == 14)
        for bad in ["0", "-1", "seven", "99999"] {
            #expect(throws: CLIError.self) { try Settings(environment: ["SEALBOX_REPLY_DUE_DAYS": bad], file: ConfigFile()).replyDueDays() }
        }
    }

    @Test func theReplyCell_marksTheEarliestDueDay_andCountsTheMessages() {
        let due = ReplyDue(messages: [
            UnansweredMessage(id: .generate(), kind: .followUp, day: try! Day(parsing: "2026-11-10"), due: try! Day(parsing: "2026-11-17")),
            UnansweredMessage(id: .generate(), kind: .followUp, day: try! Day(parsing: "2026-11-12"), due: try! Day(parsing: "2026-11-19")),
        ])
        #expect(ListCommand.replyCell(due, today: try! Day(parsing: "2026-11-18")) == "! 2026-11-17 (overdue) [2 unanswered]")
        #expect(ListCommand.replyCell(ReplyDue(messages: []), today: try! Day(parsing: "2026-11-18")) == "-")
        #expect(ListCommand.replyCell(due, today: try! Day(parsing: "2026-11-12"), texts: WorkstationTexts(language: "de"))
                == "! 2026-11-17 (bald fällig) [2 unbeantwortet]")
    }
}
