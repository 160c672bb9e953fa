import Testing
@testable import Literate

/// The tree cmark's parse is copied into, and its rendering where the spec's examples (in
/// `CommonMarkConformanceTests`) say nothing.
@Suite struct MarkdownTreeTests {
    @Test func mathAndWikiLinksBecomeNodesOfTheTree() throws {
        let tree = try parse("$a*b*c$ and [[02-lstm|the amulet]] *in* $$\nx\n$$ end\n").tree
        let kinds = tree.indices.map { tree[$0].kind }.filter {
            switch $0 { case .math, .wikiLink: true; default: false }
        }
        #expect(kinds.count == 3)
        #expect(tree.plainText(of: 0) == "a*b*c and the amulet in \nx\n   end")
    }

    @Test func anEmptyTitleIsWrittenAndNoTitleIsNot() {
        let tree = CmarkDocument.tree(markdown: "[a](b \"\") [c](d) ![e](f '') [g]\n\n[g]: h \"\"\n")
        #expect(HTMLRenderer.html(tree)
                == "<p><a href=\"b\" title=\"\">a</a> <a href=\"d\">c</a> <img src=\"f\" alt=\"e\" title=\"\" /> <a href=\"h\" title=\"\">g</a></p>\n")
    }

    @Test func treeEditsKeepSubtrees() {
        var tree = CmarkDocument.tree(markdown: "# A *b*\n\n- c\n- d\n\ne\n")
        var edits = MarkdownTree.Edits()
        let texts = tree.indices.filter { tree[$0].kind == .text }
        edits.replace(texts[1], by: [])
        edits.replace(texts[2], by: [.leaf(.text, literal: tree.store("x")), .leaf(.lineBreak), .leaf(.text, literal: tree.store("y"))])
        tree.apply(edits)
        #expect(HTMLRenderer.html(tree) == "<h1>A <em></em></h1>\n<ul>\n<li>x<br />\ny</li>\n<li>d</li>\n</ul>\n<p>e</p>\n")
        let items = tree.blocks.filter { tree[$0].kind == .item }
        #expect(items.map { tree.plainText(of: $0) } == ["x y", "d"])
        let kinds: [MarkdownTree.Kind] = tree.blocks.map { tree[$0].kind }.filter { $0 == .paragraph || $0 == .item }
        #expect(kinds == [.item, .paragraph, .item, .paragraph, .paragraph])
    }
}
