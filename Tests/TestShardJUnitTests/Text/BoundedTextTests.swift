import Testing

@testable import TestShardJUnit

@Suite("BoundedText")
struct BoundedTextTests {
    @Test func shortTextIsKeptWhole() {
        var text = BoundedText(limit: 100)
        text.append("hello ")
        text.append("world")
        #expect(text.text == "hello world")
    }

    @Test func longTextKeepsHeadAndTailWithACountOfWhatWasCut() {
        var text = BoundedText(limit: 100)
        text.append("HEAD")
        for _ in 0..<1000 { text.append("0123456789") }
        text.append("TAIL")
        let kept = text.text
        #expect(kept.hasPrefix("HEAD"))
        #expect(kept.hasSuffix("TAIL"))
        #expect(kept.contains("bytes cut"))
        #expect(kept.utf8.count < 160)
        #expect(text.totalBytes == 10_008)
    }

    @Test func multibyteCharactersAreNeverSplit() {
        let text = String(repeating: "é🙂", count: 500).bounded(to: 101)
        #expect(text.contains("bytes cut"))
        #expect(!text.contains("\u{FFFD}"))
        #expect(text.hasPrefix("é🙂"))
        #expect(text.hasSuffix("é🙂"))
    }
}
