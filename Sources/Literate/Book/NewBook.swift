import Foundation

/// `legend init`: a book that builds at once — `book.yml`, a first chapter with prose, math and
/// a block that trains something tiny and shows a table and a plot, and a `.gitignore` for the
/// cache and the site.
public enum NewBook {
    /// Creates the book in `folder` (made if missing), which must hold no files yet (a `.git`
    /// is allowed). Returns the paths written.
    public static func create(in folder: String, title: String?) throws(Diagnostic) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .error("'\(folder)' is a file; pass a new or empty folder to `legend init`") }
            let names = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { $0 != ".git" }.sorted()
            guard names.isEmpty else {
                let shown = names.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 3 ? ", …" : "")
                throw .error("'\(folder)' already holds files (\(shown)); `legend init` starts a book only in a new or empty folder, so pass another one")
            }
        }
        let name = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
        let title = (title?.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 } ?? name
        let quoted = "\"" + title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        let files: [(String, String)] = [
            ("book.yml", """
                title: \(quoted)
                description: "A book whose Swift blocks run when it is built."
                output: site          # where `legend build` writes the site, relative to this folder

                """),
            (".gitignore", """
                .legend-cache/
                site/

                """),
            ("01-getting-started.md", firstChapter),
        ]
        var written: [String] = []
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, text) in files {
                let path = (folder == "." ? "" : folder + "/") + name
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                written.append(path)
            }
        } catch {
            throw .error("cannot write the new book into '\(folder)': \(error.localizedDescription)")
        }
        return written
    }

    static let firstChapter = """
        ---
        title: Getting started
        seed: 0
        ---
        # Getting started

        This chapter trains a tiny network on XOR. Each step measures the mean squared error
        $L = \\frac{1}{n}\\sum_i (y_i - \\hat{y}_i)^2$ and moves every weight a little against its
        gradient $\\partial L / \\partial w$. The block below runs when the book is built; what it
        shows appears under it.

        ```swift-run
        let x = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
        let y = Tensor([[0], [1], [1], [0]])
        let model = Sequential(Linear(2, 8), Tanh(), Linear(8, 1))
        let optimizer = Adam(model.parameters, lr: 0.05)
        var losses: [Double] = []
        for _ in 0..<200 {
            optimizer.zeroGrad()
            let loss = mseLoss(model(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item)
        }
        table(["step", "loss"], [0, 50, 100, 199].map { [$0, losses[$0]] })
        lineplot(losses, title: "Training loss", xLabel: "step", yLabel: "MSE", yScale: .log10)
        ```

        Next: `legend new "Second chapter"` adds a chapter after this one, `legend serve` shows the
        book in a browser as you write, and `legend check` tells whether it is ready to publish.

        """
}
