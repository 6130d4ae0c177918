import SealboxCLI

await SealboxCommand.runFromCommandLine()
