import Testing
@testable import NotebookCore

@Test(arguments: [
    ("layer", 5), ("‖grad‖₂", 7), ("層", 2), ("勾配ノルム", 10), ("🔥", 2), ("e\u{301}", 1), ("❤️", 2), ("⠀", 1),
])
func displayWidth(_ text: String, _ width: Int) {
    #expect(text.displayWidth == width)
}

@Test func truncationRespectsWideCharacters() {
    #expect("勾配ノルム".truncated(toWidth: 5) == "勾配…")
    #expect("abcdef".truncated(toWidth: 4, ascii: true) == "abc~")
    #expect("abc".truncated(toWidth: 4) == "abc")
}

@Test func asciiTransliteration() {
    #expect("‖grad‖₂ → 10⁻⁶".asciiOnly == "||grad||2 -> 10-6")
    #expect("層".asciiOnly == "?")
}
