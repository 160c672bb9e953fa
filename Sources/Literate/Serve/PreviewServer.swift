import FlyingFox
import Foundation

/// `legend serve`: builds the book, serves the output folder on 127.0.0.1, watches the book,
/// its templates and the default theme, rebuilds on change, and tells open pages to reload.
/// Built on `build`: a rebuild is the same build, writing the same output folder.
public final class PreviewServer: Sendable {
    public let options: BuildOptions
    public let port: UInt16
    let log: @Sendable (String) -> Void
    let version = Locked(0)
    let server: HTTPServer

    public init(options: BuildOptions, port: UInt16, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.port = port
        self.log = log
        // 127.0.0.1 only: the preview is for this machine's browser, never the network.
        var address = sockaddr_in.inet(port: port)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        server = HTTPServer(address: address, timeout: 60, logger: .disabled)
    }

    /// Builds once, then serves until the task is cancelled.
    public func run() async throws {
        rebuild()
        let files = SiteFiles(root: options.outputPath)
        let version = self.version
        await server.appendRoute("GET /__legend/version") { request in
            // Long poll: answers when the site changes, or after 25 s with the same number.
            let since = Int(request.query.first(where: { $0.name == "since" })?.value ?? "") ?? -1
            for _ in 0..<250 {
                if version.withLock({ $0 }) != since { break }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain", .cacheControl: "no-store"],
                                body: Data(String(version.withLock { $0 }).utf8))
        }
        await server.appendRoute("GET *") { request in
            PreviewServer.respond(to: request.target.path(percentEncoded: true), files: files, version: version.withLock { $0 })
        }
        // Watching and rebuilding block: they get a thread of their own, not one of the few that
        // run the server's tasks.
        let stopped = Locked(false)
        let watcher = Thread { [self] in self.watch(until: stopped) }
        watcher.start()
        defer { stopped.withLock { $0 = true } }
        try await server.run()
    }

    /// The address the server listens on, once it does.
    public func listeningPort() async throws -> UInt16? {
        try await server.waitUntilListening()
        guard case .ip4(_, let port) = await server.listeningAddress else { return nil }
        return port
    }

    public func stop() async {
        await server.stop(timeout: 1)
    }

    static func respond(to rawPath: String, files: SiteFiles, version: Int) -> HTTPResponse {
        guard let path = files.file(forRequestPath: rawPath), var data = FileManager.default.contents(atPath: path) else {
            return HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: Data("Not found\n".utf8))
        }
        let type = SiteFiles.contentType(of: path)
        if type.hasPrefix("text/html") {
            // Only served pages reload; the built files hold no script for it.
            data = Data(String(decoding: data, as: UTF8.self)
                .replacingOccurrences(of: "</body>", with: reloadScript(version: version) + "</body>").utf8)
        }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: type, .cacheControl: "no-store"], body: data)
    }

    static func reloadScript(version: Int) -> String {
        """
        <script>(function(){var v=\(version);function poll(){fetch('/__legend/version?since='+v,{cache:'no-store'})\
        .then(function(r){return r.text()}).then(function(t){if(t!==String(v)){location.reload()}else{poll()}})\
        .catch(function(){setTimeout(poll,1000)})}poll()})();</script>

        """
    }

    func rebuild() {
        do {
            let report = try Builder(options: options, log: log).build()
            if report.failed { log("serve: the build has failures; the pages show them.") }
        } catch {
            log(error.description)
        }
        version.withLock { $0 += 1 }
    }

    /// Polls the files that make the site; rebuilds when one changes.
    func watch(until stopped: Locked<Bool>) {
        var last = snapshot()
        while !stopped.withLock({ $0 }) {
            usleep(250_000)
            let now = snapshot()
            if now != last {
                log("serve: a file changed; rebuilding…")
                rebuild()
                last = snapshot()
            }
        }
    }

    /// Size and modification time of every watched file.
    func snapshot() -> [String: String] {
        var folders = [options.bookPath]
        if let root = options.packageRoot { folders.append(root + "/templates") }
        var state: [String: String] = [:]
        let manager = FileManager.default
        for folder in folders {
            guard let enumerator = manager.enumerator(atPath: folder) else { continue }
            while let relative = enumerator.nextObject() as? String {
                if (relative as NSString).lastPathComponent.hasPrefix(".") {
                    if (enumerator.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { enumerator.skipDescendants() }
                    continue
                }
                let attributes = enumerator.fileAttributes
                let size = attributes?[.size] as? Int ?? 0
                let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                state[folder + "/" + relative] = "\(size) \(modified)"
            }
        }
        return state
    }
}
