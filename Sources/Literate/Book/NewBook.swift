import Foundation

/// `legend init`: a book that builds at once — `book.yml`, a first chapter with prose, math and
/// a block that trains something tiny and shows a table and a plot, a `.gitignore` for the
/// cache and the site, and a CI workflow that builds, checks and publishes it.
public enum NewBook {
    /// Creates the book in `folder` (made if missing), which must hold no files yet (a `.git`
    /// is allowed). `legend` names the git repository and revision the workflow installs Legend
    /// from (see `Installation.source`). Returns the paths written.
    public static func create(in folder: String, title: String?,
                              legend: (repository: String?, revision: String?) = (nil, nil)) throws(Diagnostic) -> [String] {
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
            (".github/workflows/book.yml", workflow(repository: legend.repository, revision: legend.revision)),
        ]
        var written: [String] = []
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, text) in files {
                let path = (folder == "." ? "" : folder + "/") + name
                try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
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

    /// A GitHub Actions workflow: install Legend, build the book, check it, publish it to
    /// GitHub Pages. The matrix version, for books too heavy for one machine, is in a comment.
    static func workflow(repository: String?, revision: String?) -> String {
        let repositoryLine = repository.map { "LEGEND_REPOSITORY: \($0)" }
            ?? "LEGEND_REPOSITORY: \"\"          # set it: the git URL of Legend's sources"
        let revisionLine = "LEGEND_REVISION: \(revision ?? "main")"
        return """
            # Builds the book with Legend on every push and pull request, checks it (every block
            # runs, every link resolves), and publishes the site to GitHub Pages from main.
            # Once, in the repository's settings: Pages → Build and deployment → Source: GitHub Actions.
            # This file assumes the book's folder is the repository's root.
            name: Book

            on:
              push:
                branches: [main]
              pull_request:
              workflow_dispatch:

            permissions:
              contents: read
              pages: write
              id-token: write

            concurrency:
              group: pages-${{ github.ref }}
              cancel-in-progress: true

            env:
              # The Legend this book was started with; change the revision to move to another.
              \(repositoryLine)
              \(revisionLine)

            jobs:
              build:
                runs-on: ubuntu-24.04
                container: swift:6.3
                steps:
                  - uses: actions/checkout@v4
                  - name: Install Legend
                    run: |
                      test -n "$LEGEND_REPOSITORY" || { echo "set LEGEND_REPOSITORY in .github/workflows/book.yml"; exit 1; }
                      apt-get update -qq && apt-get install -y -qq git libcmark-dev libopenblas-dev pkg-config
                      git clone --quiet "$LEGEND_REPOSITORY" /tmp/legend
                      git -C /tmp/legend checkout --quiet "$LEGEND_REVISION"
                      /tmp/legend/scripts/install /usr/local
                  # Results are cached by content: a chapter whose code and inputs did not change
                  # is not run again.
                  - uses: actions/cache@v4
                    with:
                      path: .legend-cache
                      key: legend-${{ github.sha }}
                      restore-keys: legend-
                  - run: legend build
                  - run: legend check
                  - uses: actions/upload-pages-artifact@v3
                    with:
                      path: site

              deploy:
                if: github.event_name == 'push' && github.ref == 'refs/heads/main'
                needs: build
                runs-on: ubuntu-24.04
                environment:
                  name: github-pages
                  url: ${{ steps.deployment.outputs.page_url }}
                steps:
                  - id: deployment
                    uses: actions/deploy-pages@v4

            # A book whose chapters take hours: run them as N jobs, then weave once. Each job runs
            # its share (balanced by the chapters' last run times) into its copy of the cache; the
            # caches merge by copying (every entry is named by what it was computed from), and
            # `legend build --frozen` weaves the whole site without running anything. Every job
            # must start from the same cache. In place of the build job above:
            #
            #   chapters:
            #     runs-on: ubuntu-24.04
            #     container: swift:6.3
            #     strategy:
            #       matrix:
            #         shard: [1, 2, 3, 4]
            #     steps:
            #       - uses: actions/checkout@v4
            #       - (Install Legend, as above)
            #       - uses: actions/cache/restore@v4
            #         with: { path: .legend-cache, key: legend-${{ github.sha }}, restore-keys: legend- }
            #       - run: legend build --shard ${{ matrix.shard }}/4
            #       - uses: actions/upload-artifact@v4
            #         with: { name: cache-${{ matrix.shard }}, path: .legend-cache, include-hidden-files: true }
            #
            #   build:
            #     needs: chapters
            #     runs-on: ubuntu-24.04
            #     container: swift:6.3
            #     steps:
            #       - uses: actions/checkout@v4
            #       - (Install Legend, as above)
            #       - uses: actions/download-artifact@v4
            #         with: { pattern: cache-*, path: caches }
            #       - run: mkdir -p .legend-cache && for cache in caches/*/; do cp -R "$cache". .legend-cache/; done
            #       - uses: actions/cache/save@v4
            #         with: { path: .legend-cache, key: legend-${{ github.sha }} }
            #       - run: legend build --frozen
            #       - run: legend check
            #       - uses: actions/upload-pages-artifact@v3
            #         with: { path: site }

            """
    }
}
