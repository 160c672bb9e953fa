#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Literate

/// Sends one raw HTTP/1.1 GET request to 127.0.0.1:port, exactly as written (no client-side
/// normalisation of `..`), and returns the status code and body. `headers` are its header lines
/// besides `Connection: close`; by default the Host of this server, `127.0.0.1:port`.
func rawRequest(port: UInt16, target: String, headers: [String]? = nil, timeout seconds: Int = 30) throws -> (status: Int, body: String) {
    let lines = (headers ?? ["Host: 127.0.0.1:\(port)"]) + ["Connection: close"]
    let request = "GET \(target) HTTP/1.1\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n"
    let response = try rawExchange(port: port, request: Array(request.utf8), timeout: seconds)
    return (response.status, response.body)
}

/// A connected socket to 127.0.0.1:port that gives up on a read after `seconds`.
func connectedSocket(port: UInt16, timeout seconds: Int = 30) throws -> Int32 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EIO) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(descriptor)
        throw POSIXError(.ECONNREFUSED)
    }
    var timeout = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return descriptor
}

/// Sends `request` as is and reads the response until the server closes the connection
/// (`closed`) or `seconds` pass without a byte.
func rawExchange(port: UInt16, request: [UInt8], timeout seconds: Int = 30) throws -> (status: Int, body: String, closed: Bool) {
    let descriptor = try connectedSocket(port: port, timeout: seconds)
    defer { close(descriptor) }
    _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    var closed = false
    while true {
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count <= 0 {
            closed = count == 0
            break
        }
        response += buffer[0..<count]
    }
    let text = String(decoding: response, as: UTF8.self)
    let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
    let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    return (status, body, closed)
}

@Suite struct SiteFilesTests {
    @Test func nothingOutsideTheFolderIsReachable() throws {
        let book = try TemporaryBook([:])
        defer { book.remove() }
        let site = book.folder + "/site"
        try FileManager.default.createDirectory(atPath: site + "/images", withIntermediateDirectories: true)
        try "page".write(toFile: site + "/index.html", atomically: true, encoding: .utf8)
        try "secret".write(toFile: book.folder + "/secret.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: site + "/escape.txt", withDestinationPath: book.folder + "/secret.txt")
        try FileManager.default.createSymbolicLink(atPath: site + "/inside.html", withDestinationPath: site + "/index.html")
        let files = SiteFiles(root: site)
        #expect(files.file(forRequestPath: "/") == files.root + "/index.html")
        #expect(files.file(forRequestPath: "/index.html") == files.root + "/index.html")
        #expect(files.file(forRequestPath: "/inside.html") == files.root + "/index.html")
        for attack in ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/images/../../secret.txt",
                       "//etc/passwd", "/escape.txt", "\(book.folder)/secret.txt", "/%00", "/..%5csecret.txt", "etc/passwd",
                       "/missing.html", "/images"] {
            #expect(files.file(forRequestPath: attack) == nil, "\(attack)")
        }
    }
}

@Suite struct PreviewServerTests {
    @Test func servesRebuildsAndRefusesTraversal() async throws {
        let book = try TemporaryBook(["01-a.md": "# First version\n"])
        defer { book.remove() }
        try "secret".write(toFile: book.folder + "/secret.txt", atomically: true, encoding: .utf8)
        let server = PreviewServer(options: book.options, port: 0, log: { _ in })
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let port = try #require(try await server.listeningPort())

        let index = try rawRequest(port: port, target: "/")
        #expect(index.status == 200)
        #expect(index.body.contains("First version") && index.body.contains("/__legend/version?since="))
        for attack in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "\(book.folder)/secret.txt", "/output/../../secret.txt"] {
            let response = try rawRequest(port: port, target: attack)
            #expect(response.status == 404, "\(attack) → \(response.status)")
            #expect(!response.body.contains("secret"))
        }

        let before = try rawRequest(port: port, target: "/__legend/version?since=-1").body
        try book.write("01-a.md", "# Second version\n")
        var page = ""
        for _ in 0..<100 where !page.contains("Second version") {
            try await Task.sleep(nanoseconds: 100_000_000)
            page = try rawRequest(port: port, target: "/01-a.html").body
        }
        #expect(page.contains("Second version"))
        let after = try rawRequest(port: port, target: "/__legend/version?since=\(before)").body
        #expect(try #require(Int(after)) > (try #require(Int(before))))
        await server.stop()
    }
}

@Suite struct PreviewServerWatchTests {
    /// The book's own output folder inside the book, and a cache there, are written by builds,
    /// not by the author: they are not watched.
    @Test func theSiteAndTheCacheAreNotWatched() throws {
        let book = try TemporaryBook(["book.yml": "output: site\n", "01-a.md": "# A\n", "img/x.txt": "x\n"])
        defer { book.remove() }
        var options = book.options
        options.outputPath = book.book + "/site"
        options.cachePath = book.book + "/.cache-not-hidden"
        _ = try Builder(options: options, log: { _ in }).build()
        try CacheFolder(path: book.book + "/cache").prepare()
        let watched = PreviewServer(options: options, port: 0, log: { _ in }).snapshot().keys
        #expect(watched.contains(book.book + "/01-a.md") && watched.contains(book.book + "/img/x.txt"))
        #expect(!watched.contains { $0.hasPrefix(book.book + "/site") }, "\(watched.sorted())")
        #expect(!watched.contains { $0.hasPrefix(book.book + "/cache/") }, "\(watched.sorted())")
    }
}

/// Runs blocking socket work on a thread of its own: on the few threads that run tasks, it could
/// starve the server that is to answer it.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

@Suite struct PreviewServerRefusalTests {
    /// A served book, its server and the port it listens on.
    static func serving(_ body: (PreviewServer, UInt16) async throws -> Void) async throws {
        let book = try TemporaryBook(["01-a.md": "# The secret page\n"])
        defer { book.remove() }
        let server = PreviewServer(options: book.options, port: 0, log: { _ in })
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let port = try #require(try await server.listeningPort())
        try await body(server, port)
        await server.stop()
    }

    @Test func onlyTheLoopbackHostWithThePortIsAnswered() async throws {
        try await Self.serving { _, port in
            for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LocalHost:\(port)", "[::1]:\(port)"] {
                let response = try await blocking { try rawRequest(port: port, target: "/01-a.html", headers: ["Host: \(host)"]) }
                #expect(response.status == 200, "\(host)")
                #expect(response.body.contains("The secret page"), "\(host)")
            }
            // DNS rebinding: another site's name resolved to 127.0.0.1 sends that name.
            for headers in [["Host: example.com"], ["Host: example.com:\(port)"], ["Host: localhost.example.com:\(port)"],
                            ["Host: 127.0.0.1:\(port + 1)"], ["Host: 127.0.0.1"], ["Host: localhost"], ["Host: 127.0.0.2:\(port)"],
                            ["Host: 127.0.0.1:\(port)x"], ["Host: "], []] {
                for target in ["/", "/01-a.html", "/__legend/version?since=-1"] {
                    let response = try await blocking { try rawRequest(port: port, target: target, headers: headers) }
                    #expect(response.status == 403, "\(headers) \(target)")
                    #expect(!response.body.contains("secret"), "\(headers) \(target)")
                    #expect(response.body.contains("only requests addressed to 127.0.0.1:\(port) or localhost:\(port)"))
                }
            }
        }
    }

    @Test(arguments: [
        ("127.0.0.1:4000", 4000, true), ("localhost:4000", 4000, true), ("LOCALHOST:4000", 4000, true), ("[::1]:4000", 4000, true),
        ("localhost", 80, true), ("127.0.0.1", 80, true), ("[::1]", 80, true), ("localhost:80", 80, true),
        ("localhost", 4000, false), ("127.0.0.1:80", 4000, false), ("::1:4000", 4000, false), ("localhost.:4000", 4000, false),
        ("evil.example", 80, false), ("127.0.0.1:4000 ", 4000, false), ("", 80, false),
    ] as [(String, UInt16, Bool)])
    func hostHeaders(host: String, port: UInt16, answered: Bool) {
        #expect(PreviewServer.isLoopback(host: host, port: port) == answered)
    }

    @Test func aRequestWithABodyIsRefusedAndItsConnectionClosedUnread() async throws {
        try await Self.serving { _, port in
            // 100 MB announced, 1 KB sent: the server answers without waiting for the rest and
            // closes the connection, though the request did not ask it to.
            let head = "POST / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 104857600\r\n\r\n"
            let posted = try await blocking { try rawExchange(port: port, request: Array(head.utf8) + Array(repeating: UInt8(ascii: "a"), count: 1024)) }
            #expect(posted.status == 413)
            #expect(posted.closed)
            let chunked = "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nTransfer-Encoding: chunked\r\n\r\n10000000\r\naaaa"
            let streamed = try await blocking { try rawExchange(port: port, request: Array(chunked.utf8)) }
            #expect(streamed.status == 413)
            #expect(streamed.closed)
            // A rebinding page's body is refused the same way, before its Host is looked at.
            let foreign = "POST / HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello"
            #expect(try await blocking { try rawExchange(port: port, request: Array(foreign.utf8)) }.status == 413)
            let delete = "DELETE / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
            #expect(try await blocking { try rawExchange(port: port, request: Array(delete.utf8)) }.status == 405)
            // The server still answers.
            #expect(try await blocking { try rawRequest(port: port, target: "/") }.status == 200)
        }
    }

    @Test func reloadLongPollsAreCapped() async throws {
        try await Self.serving { server, port in
            let current = try await blocking { try rawRequest(port: port, target: "/__legend/version?since=-1") }.body
            let poll = "GET /__legend/version?since=\(current) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
            var waiting: [Int32] = []
            defer { waiting.forEach { close($0) } }
            for _ in 0..<PreviewServer.maximumReloadWaiters {
                let descriptor = try connectedSocket(port: port)
                waiting.append(descriptor)
                _ = poll.withCString { send(descriptor, $0, strlen($0), 0) }
            }
            for _ in 0..<100 where server.reloadWaiters.withLock({ $0 }) < PreviewServer.maximumReloadWaiters {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            #expect(server.reloadWaiters.withLock { $0 } == PreviewServer.maximumReloadWaiters)
            // One more is answered at once, and told to ask again.
            let refused = try await blocking { try rawRequest(port: port, target: "/__legend/version?since=\(current)") }
            #expect(refused.status == 503)
            #expect(server.reloadWaiters.withLock { $0 } == PreviewServer.maximumReloadWaiters)
            // Pages are still served meanwhile.
            #expect(try await blocking { try rawRequest(port: port, target: "/01-a.html") }.body.contains("The secret page"))
        }
    }
}

@Suite struct PreviewServerLoadTests {
    /// Resident memory of this process, in bytes.
    func residentBytes() -> Int {
        let statm = String(decoding: FileManager.default.contents(atPath: "/proc/self/statm") ?? Data(), as: UTF8.self)
        let pages = Int(statm.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test func thousandsOfConcurrentRequestsAllAnsweredRightWithBoundedMemory() async throws {
        let book = try TemporaryBook(["01-a.md": "# Alpha\n\n" + String(repeating: "Words of the legend. ", count: 2000) + "\n", "02-b.md": "# Beta\n"])
        defer { book.remove() }
        let server = PreviewServer(options: book.options, port: 0, log: { _ in })
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let port = try #require(try await server.listeningPort())
        let targets: [(String, Int, String)] = [
            ("/", 200, "Alpha"), ("/01-a.html", 200, "Words of the legend."), ("/02-b.html", 200, "Beta"),
            ("/style.css", 200, "--background"), ("/../etc/passwd", 404, "Not found"), ("/%2e%2e/%2e%2e/etc/passwd", 404, "Not found"),
            ("/missing.html", 404, "Not found"),
        ]
        // Clients on threads of their own: blocking sockets must not starve the server's tasks.
        func round(_ count: Int) async -> Int {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    let wrong = Locked(0)
                    DispatchQueue.concurrentPerform(iterations: 6) { client in
                        for request in 0..<count {
                            let (target, status, text) = targets[(client + request) % targets.count]
                            let response = try? rawRequest(port: port, target: target)
                            if response?.status != status || response?.body.contains(text) != true { wrong.withLock { $0 += 1 } }
                        }
                    }
                    continuation.resume(returning: wrong.withLock { $0 })
                }
            }
        }
        #expect(await round(50) == 0)               // warm up
        let before = residentBytes()
        #expect(await round(500) == 0)              // 3,000 requests
        let after = residentBytes()
        #expect(after - before < 64 << 20, "resident memory grew by \((after - before) >> 20) MiB over 3,000 requests")
        await server.stop()
    }
}

/// `rawRequest` on a thread of its own, so that waiting for the server never holds one of the
/// cooperative pool's threads, which the server's own tasks need.
func fetch(port: UInt16, target: String) async throws -> (status: Int, body: String) {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try rawRequest(port: port, target: target) }) }
        thread.start()
    }
}

@Suite struct PreviewServerLoopTests {
    /// While a chapter runs, the status the served pages show names its block; a save during
    /// the run stops it (the program sleeps 60 s: a queued rebuild would wait for it) and the
    /// page follows the newest text.
    @Test func aSaveDuringARunCancelsItAndTheStatusNamesTheRunningBlock() async throws {
        let book = try TemporaryBook(["01-a.md": "# A\n\n```swift-run\nprint(\"first\")\n```\n"])
        defer { book.remove() }
        let lines = Locked([String]())
        let server = PreviewServer(options: book.options, port: 0, log: { line in lines.withLock { $0.append(line) } })
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        let port = try #require(try await server.listeningPort())
        #expect(try await fetch(port: port, target: "/01-a.html").body.contains("first"))

        try book.write("01-a.md", "# A\n\n```swift-run\nprint(\"slow\")\nThread.sleep(forTimeInterval: 60)\n```\n")
        var status = ""
        for _ in 0..<300 where !status.contains("running block 1") {
            try await Task.sleep(nanoseconds: 100_000_000)
            status = try await fetch(port: port, target: "/__legend/status").body
        }
        #expect(status.contains("\"page\":\"01-a.html\"") && status.contains("running block 1 (line 4)"), "\(status)")

        let started = Date()
        try book.write("01-a.md", "# A\n\n```swift-run\nprint(\"third\")\n```\n")
        var page = ""
        for _ in 0..<300 where !page.contains("third") {
            try await Task.sleep(nanoseconds: 100_000_000)
            page = try await fetch(port: port, target: "/01-a.html").body
        }
        #expect(page.contains("third"))
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(lines.withLock { $0 }.contains("serve: stopped a build that an edit made stale."))
        #expect(try await fetch(port: port, target: "/__legend/status").body == "[]")
        await server.stop()
    }
}
