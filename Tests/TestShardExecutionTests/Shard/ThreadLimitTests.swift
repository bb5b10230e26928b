import Testing

@testable import TestShardExecution

@Suite("ThreadLimit")
struct ThreadLimitTests {
    @Test("the host's cores are divided among the shards that run on it at once, at least one each")
    func dividesTheCoresAmongTheShards() {
        #expect(ThreadLimit.dividing(cores: 2, among: 2)?.threads == 1)
        #expect(ThreadLimit.dividing(cores: 16, among: 4)?.threads == 4)
        #expect(ThreadLimit.dividing(cores: 10, among: 4)?.threads == 2)
        #expect(ThreadLimit.dividing(cores: 2, among: 8)?.threads == 1)
        #expect(ThreadLimit(threads: 0).threads == 1)
    }

    @Test("one shard at a time keeps the libraries' own defaults")
    func oneShardAtATimeSetsNothing() {
        #expect(ThreadLimit.dividing(cores: 8, among: 1) == nil)
        #expect(ThreadLimit.dividing(cores: 8, among: 0) == nil)
    }

    @Test("every library's variable is set to the limit when nothing sets it")
    func setsEveryVariable() {
        let environment = ThreadLimit(threads: 3).applied(to: ["SUITE": "1"], inherited: ["PATH": "/bin"])
        for name in ThreadLimit.variables { #expect(environment[name] == "3") }
        #expect(environment["SUITE"] == "1")
        #expect(environment["PATH"] == nil, "the inherited environment is the command's base, not copied here")
        #expect(ThreadLimit.variables.contains("OPENBLAS_NUM_THREADS"))
        #expect(ThreadLimit.variables.contains("OMP_NUM_THREADS"))
    }

    @Test("a variable the suite's env or the worker's environment sets is left as it is")
    func leavesTheOwnersChoice() {
        let environment = ThreadLimit(threads: 1).applied(
            to: ["OMP_NUM_THREADS": "4"],
            inherited: ["OPENBLAS_NUM_THREADS": "2", "MKL_NUM_THREADS": ""]
        )
        #expect(environment["OMP_NUM_THREADS"] == "4")
        #expect(environment["OPENBLAS_NUM_THREADS"] == nil, "inherited: the command gets the worker's 2")
        #expect(environment["MKL_NUM_THREADS"] == nil, "set, even if empty")
        #expect(environment["BLIS_NUM_THREADS"] == "1")
    }

    @Test("--threads-per-shard reads auto, off or a number, and nothing else")
    func parsesTheSetting() {
        #expect(ThreadLimit.Setting(parsing: "auto") == .auto)
        #expect(ThreadLimit.Setting(parsing: "off") == .off)
        #expect(ThreadLimit.Setting(parsing: "3") == .fixed(3))
        for bad in ["", "0", "-1", "4097", "two", "Auto", " 2"] { #expect(ThreadLimit.Setting(parsing: bad) == nil) }
    }

    @Test("auto divides the cores, off sets nothing, a number applies even to one shard at a time")
    func settingsGiveTheirLimits() {
        #expect(ThreadLimit.Setting.auto.limit(cores: 8, shardsAtOnce: 2) == ThreadLimit(threads: 4))
        #expect(ThreadLimit.Setting.auto.limit(cores: 8, shardsAtOnce: 1) == nil)
        #expect(ThreadLimit.Setting.off.limit(cores: 8, shardsAtOnce: 4) == nil)
        #expect(ThreadLimit.Setting.fixed(2).limit(cores: 8, shardsAtOnce: 1) == ThreadLimit(threads: 2))
    }
}
