import Foundation

/// Prints the site's print page (`print.html`, the whole book) to `book.pdf` beside it, through
/// headless Chromium (`legend build --pdf`). It prints the site while it is still being written,
/// so the PDF joins the output folder in the same exchange as the pages it was printed from.
public struct BookPrinter: Sendable {
    /// The printed book, in the site.
    public static let pdfName = "book.pdf"
    /// The browsers that can print, by the names Debian and Google install them under.
    static let browserNames = ["chromium", "chromium-browser", "google-chrome"]
    static let missingBrowser = "--pdf needs Chromium to print the book, and none of chromium, chromium-browser or google-chrome is on PATH; install it (apt-get install chromium), or build without --pdf"

    /// The browser that prints.
    public let browser: String
    /// The environment the browser runs in.
    var environment: [String: String]
    /// Seconds the browser may take: a long book takes a while, a browser that hangs does not
    /// hold the build for ever.
    var timeout: Double = 600

    /// The first browser found on `PATH` as `environment` gives it, or a diagnostic that says
    /// how to install one.
    public static func find(environment: [String: String]) throws(Diagnostic) -> BookPrinter {
        let folders = (environment["PATH"] ?? "").split(separator: ":")
        for name in browserNames {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return BookPrinter(browser: "\(folder)/\(name)", environment: environment)
            }
        }
        throw .error(missingBrowser)
    }

    /// Prints `site`'s print page to `site/book.pdf`.
    func print(site: String) throws(Diagnostic) {
        let page = site + "/" + SiteWeaver.printPageName
        let pdf = site + "/" + BookPrinter.pdfName
        guard FileManager.default.fileExists(atPath: page) else {
            throw .error("the theme has no print.mustache, so the site has no \(SiteWeaver.printPageName) for --pdf to print; add one to the book's templates folder, or build without --pdf")
        }
        // A profile of its own, so a browser the user has open is neither used nor disturbed.
        let scratch = NSTemporaryDirectory() + "legend-print-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        } catch {
            throw .error("cannot make a temporary folder for the browser at \(scratch): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outcome = try ChildProcess(
            executable: browser,
            arguments: ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(scratch)/profile",
                        "--no-pdf-header-footer", "--print-to-pdf=\(pdf)", URL(fileURLWithPath: page).absoluteString],
            environment: environment, stdoutPath: scratch + "/stdout", stderrPath: scratch + "/stderr", timeout: timeout).run()
        let printed = FileManager.default.contents(atPath: pdf)?.prefix(4) == Data("%PDF".utf8)
        guard outcome.termination == .exited(0), printed else {
            try? FileManager.default.removeItem(atPath: pdf)
            let said = (try? String(contentsOfFile: scratch + "/stderr", encoding: .utf8)) ?? ""
            let tail = said.split(separator: "\n").suffix(10).joined(separator: "\n")
            let how = switch outcome.termination {
            case .timedOut: "did not finish within \(Int(timeout)) s"
            case .exited(0): "wrote no PDF"
            case .exited(let status): "exited with status \(status)"
            case .signaled(let signal): "was killed by signal \(signal)"
            case .outputLimitExceeded: "wrote too much"
            case .cancelled: "was stopped"
            }
            throw .error("printing \(SiteWeaver.printPageName) with \(browser) failed: it \(how)" + (tail.isEmpty ? "" : "; its last lines:\n" + tail))
        }
    }
}
