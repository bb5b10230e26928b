// A stand-in for `testshard-coordinator plan --durations FILE --shards N [--json]` until the
// coordinator has it: same library calls (DurationsFile → Planner → Plan JSON / table), same
// arguments, so bench/plan/compare.py can run against either binary.
import Foundation
import TestShardPlanner

func fail(_ message: String, status: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "plan" { arguments.removeFirst() }
var durationsPath: String?
var shards: Int?
var json = false
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--durations": durationsPath = arguments.isEmpty ? nil : arguments.removeFirst()
    case "--shards": shards = arguments.isEmpty ? nil : Int(arguments.removeFirst())
    case "--json": json = true
    default: fail("unknown argument \(argument); usage: plan --durations FILE --shards N [--json]")
    }
}
guard let durationsPath, let shards else { fail("usage: plan --durations FILE --shards N [--json]") }
guard let data = FileManager.default.contents(atPath: durationsPath) else { fail("cannot read \(durationsPath)") }
do {
    let file = try DurationsFile(jsonData: data)
    let plan = try Planner(shardCount: shards).plan(file.planFiles())
    if json {
        FileHandle.standardOutput.write(try plan.jsonData())
        FileHandle.standardOutput.write(Data("\n".utf8))
    } else {
        print(plan.renderTable(), terminator: "")
    }
} catch {
    fail("\(error)")
}
