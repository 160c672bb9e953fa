import ArgumentParser
import Foundation
import Literate

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the site on 127.0.0.1, and rebuild and reload pages on every change.",
        discussion: "Watches the book, its templates and the default theme. Listens on the loopback address only. Ctrl-C stops it.")

    @OptionGroup var options: BookOptions

    @Option(help: "The port to listen on (0 picks a free one).")
    var port: Int = 4000

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port).") }
    }

    func run() async throws {
        // A folder the build may not replace is refused before anything is served.
        let build = try options.buildOptions()
        _ = try reporting { try Builder(options: build, log: printLine).claimOutput() }
        let server = PreviewServer(options: build, port: UInt16(port), log: printLine)
        let serving = Task { try await server.run() }
        // Ctrl-C: stop serving and end with status 0.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .main)
        interrupt.setEventHandler {
            printLine("serve: stopped.")
            Foundation.exit(0)
        }
        interrupt.resume()
        if let bound = try? await server.listeningPort() {
            printLine("serve: http://127.0.0.1:\(bound)/ (Ctrl-C stops)")
        }
        do {
            try await serving.value
        } catch {
            printLine("error: the preview server stopped: \(error)")
            throw ExitCode(1)
        }
    }
}
