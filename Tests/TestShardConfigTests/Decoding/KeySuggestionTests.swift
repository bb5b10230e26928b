import Testing

@testable import TestShardConfig

@Suite struct KeySuggestionTests {
    static let suiteKeys = ["name", "runner", "include", "exclude", "command", "shard_timeout", "retries", "env"]

    @Test(arguments: [
        ("shard-timeout", "shard_timeout"),
        ("ShardTimeout", "shard_timeout"),
        ("timout", "shard_timeout"),
        ("includes", "include"),
        ("comand", "command"),
        ("environment", "env"),
        ("retry", "retries"),
    ])
    func closeWordsAreSuggested(_ word: String, _ expected: String) {
        #expect(KeySuggestion.closest(to: word, in: Self.suiteKeys) == expected)
    }

    @Test(arguments: ["banana", "x", "", "parallelism"])
    func unrelatedWordsGetNoSuggestion(_ word: String) {
        #expect(KeySuggestion.closest(to: word, in: Self.suiteKeys) == nil)
    }

    @Test func editDistance() {
        #expect(KeySuggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(KeySuggestion.editDistance(Array(""), Array("abc")) == 3)
        #expect(KeySuggestion.editDistance(Array("same"), Array("same")) == 0)
    }
}
