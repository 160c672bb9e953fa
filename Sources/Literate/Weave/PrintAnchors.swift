/// On the print page every chapter is one section of a single page, so what names a place in a
/// chapter must name it on that page: each id of the chapter (its headings', its blocks', its
/// plots', those of its raw HTML) is prefixed with the chapter's slug (`intro` in `02-x` becomes
/// `02-x--intro`), and each link follows — `#intro` within the chapter and `02-x.html#intro`
/// anywhere become `#02-x--intro`, and `02-x.html` becomes `#02-x`, its section. Run on the
/// woven tree after `HeadingAnchors`, so that headings have their ids.
///
/// An id inside inline SVG must be an XML name, which cannot start with a digit as slugs do:
/// there the slug follows the id instead (`plot-1-title--02-x`), and so it does in the
/// references an SVG makes to its own parts (`aria-labelledby` on the `<svg>`, `url(#…)`,
/// `href="#…"` inside it).
struct PrintAnchors {
    /// The chapter being rewritten.
    let slug: String
    /// The book's chapters.
    let slugs: Set<String>
    /// The chapter's folder (`guide/`): its relative addresses start there, the print page's at
    /// the root.
    var folder: String { slug.contains("/") ? String(slug[...slug.lastIndex(of: "/")!]) : "" }

    /// The id on the print page of the chapter's `id`.
    static func id(_ id: some StringProtocol, inChapter slug: String) -> String {
        slug + "--" + id
    }

    /// The id on the print page of an id inside the chapter's SVG.
    static func svgID(_ id: some StringProtocol, inChapter slug: String) -> String {
        id + "--" + slug
    }

    /// The print page's address for `url`, or nil when it stays as it is (a page that is not
    /// a chapter's, another site, a bare `#`).
    func target(for url: some StringProtocol) -> String? {
        if url.first == "#" {
            let fragment = url.dropFirst()
            return fragment.isEmpty ? nil : "#" + PrintAnchors.id(fragment, inChapter: slug)
        }
        let path = url.prefix { $0 != "#" && $0 != "?" }
        let relative = !path.isEmpty && !path.contains(":") && !path.hasPrefix("/")
        // Another file of the site (an image, a data file): from the root, where the print page is.
        func fromRoot() -> String? { relative && !folder.isEmpty ? Book.lexicallyNormal(folder + path) + url[path.endIndex...] : nil }
        guard path.hasSuffix(".html"), url[path.endIndex...].first != "?" else { return fromRoot() }
        let page = relative ? Book.lexicallyNormal(folder + path.dropLast(".html".count)) : String(path.dropLast(".html".count))
        guard slugs.contains(page) else { return fromRoot() }
        let fragment = url[path.endIndex...].dropFirst()
        return "#" + (fragment.isEmpty ? page : PrintAnchors.id(fragment, inChapter: page))
    }

    func rewrite(_ tree: inout MarkdownTree) {
        // An SVG in raw inline HTML spans several nodes.
        var svgDepth = 0
        for index in tree.indices {
            var node = tree[index]
            switch node.kind {
            case .heading(let level, let id?):
                node.kind = .heading(level: level, id: tree.store(PrintAnchors.id(tree.string(id), inChapter: slug)))
            case .link(let url, let title):
                guard let target = target(for: tree.string(url)) else { continue }
                node.kind = .link(url: tree.store(target), title: title)
            case .image(let url, let title):
                guard let target = target(for: tree.string(url)) else { continue }
                node.kind = .image(url: tree.store(target), title: title)
            case .htmlBlock, .htmlInline, .wovenBlock, .wovenInline:
                guard let html = rewriting(html: tree.bytes(node.literal), svgDepth: &svgDepth) else { continue }
                node.literal = tree.store(html)
            default:
                continue
            }
            tree[index] = node
        }
    }

    /// Attributes that hold one id or a list of them.
    private static let idReferences: Set<String> = [
        "for", "headers", "list", "form", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns",
        "aria-flowto", "aria-details", "aria-activedescendant", "aria-errormessage",
    ]
    /// Attributes that hold an address.
    private static let addresses: Set<String> = ["href", "xlink:href", "usemap", "src"]

    /// The attribute's new value, or nil when it stays as it is.
    private func rewritten(attribute name: String, value: Substring, inSVG: Bool) -> String? {
        let id = { (id: Substring) in inSVG ? PrintAnchors.svgID(id, inChapter: slug) : PrintAnchors.id(id, inChapter: slug) }
        if name == "id" {
            return value.isEmpty ? nil : id(value)
        } else if PrintAnchors.addresses.contains(name) {
            if inSVG, value.first == "#", value.count > 1 { return "#" + id(value.dropFirst()) }
            return target(for: value)
        } else if PrintAnchors.idReferences.contains(name) {
            let ids = value.split(whereSeparator: \.isWhitespace)
            return ids.isEmpty ? nil : ids.map(id).joined(separator: " ")
        } else if value.contains("url(#") {
            // SVG paint and clipping refer to gradients, masks and paths by `url(#id)`.
            var result = "", rest = value
            while let start = rest.firstRange(of: "url(#") {
                let name = rest[start.upperBound...].prefix { $0 != ")" }
                result += rest[..<start.upperBound] + PrintAnchors.svgID(name, inChapter: slug)
                rest = rest[name.endIndex...]
            }
            return result + rest
        }
        return nil
    }

    /// Raw or woven HTML with the attributes of its tags rewritten, or nil if none changes.
    /// Only tags are read: text, comments, and the insides of `<script>` and `<style>` are
    /// left as they are.
    func rewriting(html bytes: some Collection<UInt8>) -> [UInt8]? {
        var svgDepth = 0
        return rewriting(html: bytes, svgDepth: &svgDepth)
    }

    /// The same, inside `svgDepth` SVG elements opened by earlier HTML of the chapter.
    func rewriting(html bytes: some Collection<UInt8>, svgDepth: inout Int) -> [UInt8]? {
        let html = Array(bytes)
        let count = html.count
        var output: [UInt8] = []
        var copied = 0, index = 0, changed = false
        func isSpace(_ byte: UInt8) -> Bool { HTMLRenderer.isSpace(byte) }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        func lowercased(_ range: Range<Int>) -> String {
            String(decoding: html[range].map { isLetter($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        /// The offset just past the first `needle` at or after `start` (compared lower-cased), or the end.
        func skip(past needle: String, from start: Int) -> Int {
            let needle = Array(needle.utf8)
            var position = start
            while position + needle.count <= count {
                if (0..<needle.count).allSatisfy({ (isLetter(html[position + $0]) ? html[position + $0] | 0x20 : html[position + $0]) == needle[$0] }) {
                    return position + needle.count
                }
                position += 1
            }
            return count
        }
        while let open = html[index...].firstIndex(of: UInt8(ascii: "<")) {
            index = open + 1
            if html[index...].starts(with: "!--".utf8) {
                index = skip(past: "-->", from: index + 3)
                continue
            }
            let closing = index < count && html[index] == UInt8(ascii: "/")
            if closing { index += 1 }
            guard index < count, isLetter(html[index]) else { continue }
            let nameStart = index
            while index < count, !isSpace(html[index]), html[index] != UInt8(ascii: ">"), html[index] != UInt8(ascii: "/") { index += 1 }
            let tag = lowercased(nameStart..<index)
            if closing {
                if tag == "svg" { svgDepth = max(0, svgDepth - 1) }
                continue
            }
            if tag == "svg" { svgDepth += 1 }
            // Attributes, up to the tag's end.
            var selfClosing = false
            while index < count {
                selfClosing = false
                while index < count, isSpace(html[index]) || html[index] == UInt8(ascii: "/") {
                    selfClosing = html[index] == UInt8(ascii: "/")
                    index += 1
                }
                guard index < count, html[index] != UInt8(ascii: ">") else { break }
                let attributeStart = index
                while index < count, !isSpace(html[index]), html[index] != UInt8(ascii: "="), html[index] != UInt8(ascii: ">") { index += 1 }
                let name = lowercased(attributeStart..<index)
                while index < count, isSpace(html[index]) { index += 1 }
                guard index < count, html[index] == UInt8(ascii: "=") else { continue }
                index += 1
                while index < count, isSpace(html[index]) { index += 1 }
                guard index < count else { break }
                let value: Range<Int>
                if html[index] == UInt8(ascii: "\"") || html[index] == UInt8(ascii: "'") {
                    let quote = html[index]
                    let end = html[(index + 1)...].firstIndex(of: quote) ?? count
                    value = (index + 1)..<end
                    index = min(end + 1, count)
                } else {
                    let start = index
                    while index < count, !isSpace(html[index]), html[index] != UInt8(ascii: ">") { index += 1 }
                    value = start..<index
                }
                guard let new = rewritten(attribute: name, value: Substring(decoding: html[value], as: UTF8.self), inSVG: svgDepth > 0) else { continue }
                output.append(contentsOf: html[copied..<value.lowerBound])
                output.append(contentsOf: new.utf8)
                copied = value.upperBound
                changed = true
            }
            if tag == "svg" && selfClosing { svgDepth -= 1 }
            if tag == "script" || tag == "style" {
                index = skip(past: "</" + tag, from: index)
            }
        }
        guard changed else { return nil }
        output.append(contentsOf: html[copied...])
        return output
    }
}
