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
    /// The port the server listens on, once known (`port` may be 0: any free port).
    let boundPort = Locked<UInt16?>(nil)
    /// Pages waiting in a reload long poll, each holding a connection and a task for up to 25 s.
    let reloadWaiters = Locked(0)
    /// What each chapter of the build under way is doing (compiling, running block N for S
    /// seconds), by path; empty between builds.
    let chapterStates = Locked<[String: ChapterState]>([:])
    static let maximumReloadWaiters = 32
    /// The most of a request body FlyingFox holds in memory (see `init`); a request with a body
    /// is refused anyway, the preview serves GET only.
    static let requestBufferSize = 4096

    public init(options: BuildOptions, port: UInt16, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.port = port
        self.log = log
        // 127.0.0.1 only: the preview is for this machine's browser, never the network.
        var address = sockaddr_in.inet(port: port)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        // FlyingFox reads a body of up to sharedRequestBufferSize bytes before the handler runs and
        // keeps one of up to sharedRequestReplaySize bytes in memory after it; a larger one it
        // leaves unread. With both at 4 KB (the replay default is 2 MB), no request makes it hold
        // more body than that. It has no limit on the request line or headers and no read
        // timeout: `timeout` bounds only the handler.
        server = HTTPServer(config: .init(address: address, timeout: 60,
                                          sharedRequestBufferSize: Self.requestBufferSize,
                                          sharedRequestReplaySize: Self.requestBufferSize, logger: .disabled))
    }

    /// Builds once, then serves until the task is cancelled.
    public func run() async throws {
        // On a thread of its own: a build holds its thread for seconds, and the few threads of
        // Swift's cooperative pool run every task of the process (the server's among them).
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            let builder = Thread { [self] in
                rebuild()
                finished.resume()
            }
            builder.stackSize = 8 << 20
            builder.start()
        }
        let files = SiteFiles(root: options.outputPath)
        await server.appendRoute("*") { [self] request in
            if let refusal = await refusal(of: request) { return refusal }
            if request.path == "/__legend/version" { return try await versionAfterChange(request) }
            if request.path == "/__legend/status" {
                return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                                    body: Data(statusText().utf8))
            }
            return PreviewServer.respond(to: request.target.path(percentEncoded: true), files: files, version: version.withLock { $0 })
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
        try await server.waitUntilListening(timeout: 60)
        guard case .ip4(_, let port) = await server.listeningAddress else { return nil }
        return port
    }

    /// Why `request` is not answered, as the response that says so; nil to answer it.
    /// - A body: the preview serves GET only, and an unread body would be read as the next
    ///   request, so the connection is closed unread (413).
    /// - A Host header that is not this server's loopback address and port (403): a page of
    ///   another site that makes its name resolve to 127.0.0.1 (DNS rebinding) sends its own name,
    ///   and must not read the book.
    /// - A method other than GET (405).
    func refusal(of request: HTTPRequest) async -> HTTPResponse? {
        if let length = request.headers[.contentLength], length != "0" {
            return Self.closingConnection(.payloadTooLarge)
        }
        if request.headers[.transferEncoding] != nil {
            return Self.closingConnection(.payloadTooLarge)
        }
        let port = await servingPort()
        guard Self.isLoopback(host: request.headers[.host], port: port) else {
            return HTTPResponse(statusCode: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"], body: Data("""
                This preview server answers only requests addressed to 127.0.0.1:\(port) or localhost:\(port) \
                (the Host header); open http://127.0.0.1:\(port)/ instead.

                """.utf8))
        }
        guard request.method == .GET else {
            return HTTPResponse(statusCode: .methodNotAllowed, headers: [.contentType: "text/plain; charset=utf-8", HTTPHeader("Allow"): "GET"],
                                body: Data("The preview server answers GET requests only.\n".utf8))
        }
        return nil
    }

    /// Whether a Host header names this server: 127.0.0.1, localhost (in any case) or [::1],
    /// with the port; without it only on port 80, the port a URL without one means.
    static func isLoopback(host: String?, port: UInt16) -> Bool {
        guard let host = host?.lowercased() else { return false }
        return ["127.0.0.1", "localhost", "[::1]"].contains { name in
            host == "\(name):\(port)" || (port == 80 && host == name)
        }
    }

    /// The port the server listens on; the one asked for, or the one the system picked for 0.
    func servingPort() async -> UInt16 {
        if port != 0 { return port }
        if let known = boundPort.withLock({ $0 }) { return known }
        guard case .ip4(_, let bound) = await server.listeningAddress else { return port }
        boundPort.withLock { $0 = bound }
        return bound
    }

    /// A response after which the connection is closed, without reading what the client still
    /// sends. FlyingFox closes a connection only when the request asks it to, or after a
    /// protocol switch; this is a switch to a protocol that ends at once.
    static func closingConnection(_ status: HTTPStatusCode) -> HTTPResponse {
        var response = HTTPResponse(headers: [.connection: "close", .contentLength: "0"], webSocket: ClosingHandler())
        response.statusCode = status
        return response
    }

    struct ClosingHandler: WSHandler {
        func makeFrames(for client: AsyncThrowingStream<WSFrame, any Error>) async throws -> AsyncStream<WSFrame> {
            AsyncStream { $0.finish() }
        }
    }

    /// Long poll: answers when the site changes, or after 25 s with the same number. Past
    /// `maximumReloadWaiters` pages at once, a page is told to ask again later (503), rather
    /// than given a connection and a task more.
    func versionAfterChange(_ request: HTTPRequest) async throws -> HTTPResponse {
        let admitted = reloadWaiters.withLock { waiters in
            guard waiters < Self.maximumReloadWaiters else { return false }
            waiters += 1
            return true
        }
        guard admitted else {
            return HTTPResponse(statusCode: .serviceUnavailable,
                                headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store", HTTPHeader("Retry-After"): "1"],
                                body: Data("Too many pages are waiting for a reload; ask again in a second.\n".utf8))
        }
        defer { reloadWaiters.withLock { $0 -= 1 } }
        let since = Int(request.query.first(where: { $0.name == "since" })?.value ?? "") ?? -1
        for _ in 0..<250 {
            if version.withLock({ $0 }) != since { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain", .cacheControl: "no-store"],
                            body: Data(String(version.withLock { $0 }).utf8))
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

    /// The script that reloads a page when the site changes. An answer that is not OK (503: too
    /// many pages waiting) is tried again a second later, never taken for a change.
    static func reloadScript(version: Int) -> String {
        // The banner names what the build under way is doing ("this page: running block 6
        // (line 147), 3.2 s"), asked for every half second.
        """
        <script>(function(){var v=\(version);function poll(){fetch('/__legend/version?since='+v,{cache:'no-store'})\
        .then(function(r){if(!r.ok){throw r}return r.text()}).then(function(t){if(t!==String(v)){location.reload()}else{poll()}})\
        .catch(function(){setTimeout(poll,1000)})}poll();\
        function show(list){var b=document.getElementById('legend-status');if(!list.length){if(b){b.remove()}return}\
        if(!b){b=document.createElement('div');b.id='legend-status';b.setAttribute('role','status');\
        b.style.cssText='position:fixed;right:1em;bottom:1em;z-index:9;max-width:90vw;padding:.5em .8em;border-radius:6px;'+\
        'font:13px/1.4 system-ui,sans-serif;background:#1f2937;color:#f9fafb;box-shadow:0 2px 8px rgba(0,0,0,.3)';document.body.appendChild(b)}\
        var here=decodeURIComponent(location.pathname.replace(/\\/$/,'/index.html'));\
        b.textContent=list.map(function(e){return (here.endsWith('/'+e.page)?'this page':e.chapter)+': '+e.text}).join(' · ')}\
        function status(){fetch('/__legend/status',{cache:'no-store'}).then(function(r){return r.json()}).then(show)\
        .catch(function(){}).then(function(){setTimeout(status,500)})}status()})();</script>

        """
    }

    /// Builds once, synchronously (the first build, before serving).
    func rebuild() {
        build(cancellation: Cancellation())
    }

    /// One build. A cancelled one (a newer edit made it stale) writes nothing and leaves the
    /// pages as they are; the build after it brings them up to date.
    func build(cancellation: Cancellation) {
        var options = self.options
        options.cancellation = cancellation
        let states = chapterStates
        let status: @Sendable (String, ChapterState) -> Void = { path, state in
            states.withLock { if state == .done { $0[path] = nil } else { $0[path] = state } }
        }
        do {
            let report = try Builder(options: options, log: log, status: status).build()
            if report.failed { log("serve: the build has failures; the pages show them.") }
            version.withLock { $0 += 1 }
        } catch where cancellation.isCancelled {
            log("serve: stopped a build that an edit made stale.")
        } catch {
            log(error.description)
            version.withLock { $0 += 1 }
        }
        states.withLock { $0 = [:] }
    }

    /// Polls the files that make the site. A change starts a build at once; a change during a
    /// build cancels it (its compiler and chapter programs are stopped) and starts a new one,
    /// so the pages always follow the latest edit, never a queue of stale ones.
    func watch(until stopped: Locked<Bool>) {
        var last = snapshot()
        var running: (cancellation: Cancellation, done: Locked<Bool>)?
        var pending = false
        while !stopped.withLock({ $0 }) {
            usleep(50_000)
            let now = snapshot()
            if now != last {
                last = now
                pending = true
                if let current = running, !current.done.withLock({ $0 }) {
                    current.cancellation.cancel()
                    log("serve: a file changed during the build; starting again…")
                } else {
                    log("serve: a file changed; rebuilding…")
                }
            }
            if let current = running, current.done.withLock({ $0 }) { running = nil }
            if pending && running == nil {
                pending = false
                let next = (cancellation: Cancellation(), done: Locked(false))
                running = next
                let builder = Thread { [self] in
                    build(cancellation: next.cancellation)
                    next.done.withLock { $0 = true }
                }
                builder.stackSize = 8 << 20
                builder.start()
            }
        }
        running?.cancellation.cancel()
    }

    /// A chapter of the build under way, as the served pages' banner names it.
    struct StatusEntry: Encodable {
        let page: String
        let chapter: String
        let text: String
    }

    /// What the status endpoint answers: the chapters being compiled or run, for the banner the
    /// served pages show while a build is under way.
    func statusText() -> String {
        let states = chapterStates.withLock { $0 }
        let book = options.bookPath.hasSuffix("/") ? options.bookPath : options.bookPath + "/"
        var entries: [StatusEntry] = []
        for (path, state) in states.sorted(by: { $0.key < $1.key }) {
            var relative = path.hasPrefix(book) ? String(path.dropFirst(book.count)) : path
            if relative.hasSuffix(".md") { relative.removeLast(3) }
            let page = (relative == "README" || relative.hasSuffix("/README") ? String(relative.dropLast(6)) + "index" : relative) + ".html"
            let text: String
            switch state {
            case .queued, .done: continue
            case .compiling: text = "compiling"
            case .running(let block, let line, let seconds):
                text = (block.map { "running block \($0)" + (line.map { " (line \($0))" } ?? "") } ?? "running")
                    + String(format: ", %.1f s", seconds)
            }
            entries.append(StatusEntry(page: page, chapter: relative + ".md", text: text))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(entries)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }


    /// Size and modification time of every watched file.
    func snapshot() -> [String: String] {
        var folders = [options.bookPath]
        if let installation = options.installation { folders.append(installation.themeFolder) }
        var state: [String: String] = [:]
        let manager = FileManager.default
        for folder in folders {
            guard let enumerator = manager.enumerator(atPath: folder) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let isFolder = (enumerator.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory
                if (relative as NSString).lastPathComponent.hasPrefix(".") {
                    if isFolder { enumerator.skipDescendants() }
                    continue
                }
                // The site this server writes (the book's own output folder may lie inside the
                // book) and a cache are not sources: watching them would rebuild forever.
                let path = folder + "/" + relative
                if isFolder && (OutputFolder.isSite(path) || CacheFolder.isTagged(path)) {
                    enumerator.skipDescendants()
                    continue
                }
                let attributes = enumerator.fileAttributes
                let size = attributes?[.size] as? Int ?? 0
                let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                state[path] = "\(size) \(modified)"
            }
        }
        return state
    }
}
