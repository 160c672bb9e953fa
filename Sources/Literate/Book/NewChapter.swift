import Foundation

/// `legend new`: the next chapter of a book, with front matter and a block to start from.
public enum NewChapter {
    /// Creates `NN-slug.md` after the book's last chapter (and the book folder with a
    /// `book.yml` if there is none yet), and lists it last in the book's SUMMARY.md if it has
    /// one. Returns the new file's path.
    public static func create(title: String, book path: String) throws(Diagnostic) -> String {
        let title = title.trimmingSpaces
        guard !title.isEmpty else { throw .error("a chapter needs a title, such as `legend new \"The ReLU Sword\"`") }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if !manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
                let bookTitle = URL(fileURLWithPath: path).lastPathComponent
                try "title: \(bookTitle)\n".write(toFile: path + "/book.yml", atomically: true, encoding: .utf8)
            } catch {
                throw .error("cannot create the book folder '\(path)': \(error.localizedDescription)")
            }
        } else if !isDirectory.boolValue {
            throw .error("'\(path)' is a file, not a book folder")
        }
        let names = (try? manager.contentsOfDirectory(atPath: path)) ?? []
        let numbers = names.filter { $0.hasSuffix(".md") }.compactMap { Int($0.prefix(while: \.isNumber)) }
        let number = (numbers.max() ?? 0) + 1
        let width = max(2, String(number).count)
        let prefix = String(repeating: "0", count: width - String(number).count) + String(number)
        var slug = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber { slug.append(character) } else if !slug.hasSuffix("-") { slug.append("-") }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        let file = "\(prefix)-\(slug.isEmpty ? "chapter" : slug).md"
        let full = (path == "." ? "" : path + "/") + file
        guard !manager.fileExists(atPath: full) else { throw .error("'\(full)' already exists; choose another title") }
        let yamlTitle = title.contains(":") || title.contains("#") || title.hasPrefix("\"") ? "\"\(title.replacingOccurrences(of: "\"", with: "\\\""))\"" : title
        let text = """
            ---
            title: \(yamlTitle)
            seed: 0
            ---
            # \(title)

            Write the chapter here. Blocks marked `swift-run` run when the book is built; what they
            print or show appears below them.

            ```swift-run
            let x = Tensor([[1, 2], [3, 4]], requiresGrad: true)
            let y = (x * x).sum()
            y.backward()
            print(x.grad!)
            ```

            """
        do {
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        } catch {
            throw .error("cannot write '\(full)': \(error.localizedDescription)")
        }
        // A book with a table of contents has only the chapters it lists: list this one last.
        let summary = (path == "." ? "" : path + "/") + "SUMMARY.md"
        if let contents = try? String(contentsOfFile: summary, encoding: .utf8) {
            let escaped = title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
            let line = "- [\(escaped)](\(file))\n"
            let updated = contents + (contents.isEmpty || contents.hasSuffix("\n") ? "" : "\n") + line
            do {
                try updated.write(toFile: summary, atomically: true, encoding: .utf8)
            } catch {
                throw .error("wrote '\(full)' but cannot add it to SUMMARY.md: \(error.localizedDescription); add '\(line.dropLast())' there")
            }
        }
        return full
    }
}
