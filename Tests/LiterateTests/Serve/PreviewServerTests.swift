#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Literate

/// Sends one raw HTTP/1.1 request to 127.0.0.1:port, exactly as written (no client-side
/// normalisation of `..`), and returns the status code and body.
func rawRequest(port: UInt16, target: String) throws -> (status: Int, body: String) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EIO) }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    let request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    _ = request.withCString { send(descriptor, $0, strlen($0), 0) }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count <= 0 { break }
        response += buffer[0..<count]
    }
    let text = String(decoding: response, as: UTF8.self)
    let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
    let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    return (status, body)
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
        #expect(Int(after)! > Int(before)!)
        await server.stop()
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
