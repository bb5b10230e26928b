import Testing

@testable import TestShardJUnit

@Suite("XMLText")
struct XMLTextTests {
    @Test func markupIsEscaped() {
        #expect(XMLText.content("a < b & c > d \"e\"") == "a &lt; b &amp; c &gt; d \"e\"")
        #expect(XMLText.attribute("a\"b\nc\td") == "a&quot;b&#10;c&#9;d")
    }

    @Test func ansiSequencesAreDroppedAndOtherControlsMarked() {
        #expect(XMLText.content("\u{1B}[1;31mred\u{1B}[0m") == "red")
        #expect(XMLText.content("a\u{00}b\u{08}c\u{1B}") == "a#x00b#x08c")
        #expect(XMLText.content("tab\tnew\nline") == "tab\tnew\nline")
        #expect(XMLText.content("\u{FFFF}") == "#xFFFF")
    }
}
