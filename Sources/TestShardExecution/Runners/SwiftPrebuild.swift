import TestShardModel

/// The build a `swift` worker runs once before its first shard when the command skips the build
/// (`swift test --skip-build …`): `swift build --build-tests`, with the command's own build
/// options, so every shard after it starts the tests at once, and shards of several workers
/// sharing one checkout do not queue on SwiftPM's lock to check the build.
enum SwiftPrebuild {
    /// Options of `swift test` that change what is built, with a value.
    static let valueOptions: Set<String> = [
        "-c", "--configuration", "--scratch-path", "--build-path", "--package-path", "--triple", "--swift-sdk", "--sdk",
        "-Xswiftc", "-Xcc", "-Xcxx", "-Xlinker", "--sanitize", "-j", "--jobs",
    ]
    /// Options of `swift test` that change what is built, without a value.
    static let flagOptions: Set<String> = ["--enable-code-coverage", "--disable-sandbox", "--static-swift-stdlib"]

    /// The argument vector of the build, or `nil` when the command builds by itself (no
    /// `--skip-build`) or is not a `… test …` command.
    static func arguments(for command: CommandTemplate) -> [String]? {
        let words = command.words
        guard words.contains("--skip-build"), let test = words.firstIndex(of: "test"), test > 0 else { return nil }
        var arguments = Array(words[..<test]) + ["build", "--build-tests"]
        var index = test + 1
        while index < words.count {
            let word = words[index]
            let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            let hasPlaceholder = word.contains("{")
            if flagOptions.contains(word) {
                arguments.append(word)
            } else if valueOptions.contains(name) && !hasPlaceholder {
                if name == word, index + 1 < words.count {
                    if !words[index + 1].contains("{") { arguments += [word, words[index + 1]] }
                    index += 1
                } else if name != word {
                    arguments.append(word)
                }
            }
            index += 1
        }
        return arguments
    }
}
