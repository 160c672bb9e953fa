#if canImport(Glibc)
import Glibc
#endif
import Literate

/// Sets glibc's allocator up for a build, before any other thread exists. By default each
/// thread that allocates gets an arena of its own, grown by `mprotect` a range at a time, and
/// memory is handed back to the kernel eagerly; a large chapter's text and HTML (tens of
/// megabytes, copied from stage to stage) then went through fresh pages at every copy, and
/// faulting them in took about a fifth of the build of a 20 MB chapter. With one arena, buffers
/// up to 32 MB taken from it rather than mapped, and 64 MB of slack kept at its top, each copy
/// reuses the memory of the last. Fast bins are off: cmark frees hundreds of thousands of small
/// blocks while it parses, and the first large allocation after that paid about 0.1 s to
/// consolidate them. Legend's threads mostly wait on child processes, so sharing one arena
/// costs nothing in contention. (`mallopt` is not in Swift's Glibc module, hence `dlsym`; the
/// constants are those of <malloc.h>.)
func tuneMalloc() {
    #if os(Linux)
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    let arenaMax: Int32 = -8, topPad: Int32 = -2, mmapThreshold: Int32 = -3, maxFast: Int32 = 1
    _ = mallopt(arenaMax, 1)
    _ = mallopt(maxFast, 0)
    _ = mallopt(topPad, 64 << 20)
    _ = mallopt(mmapThreshold, 32 << 20)
    #endif
}

/// `ParsableCommand` has a synchronous `main()` too, which top-level code would pick; inside an
/// `async` function the asynchronous one, which runs `serve`, is chosen.
func runLegend() async {
    await Legend.main()
}

// The full report runs swiftc, so it is not ArgumentParser's static version string.
if CommandLine.arguments.dropFirst().first == "--version" {
    print(Version.report())
    exit(0)
}
// For scripts/install, which files the digest of the runtime's sources beside the runtime it
// installs (see `Installation`); not a command for people.
if CommandLine.arguments.count == 3 && CommandLine.arguments[1] == "--runtime-source-digest" {
    print(Runtime.sourceDigest(root: CommandLine.arguments[2]))
    exit(0)
}
tuneMalloc()
// A process that a chapter leaves behind (setsid, a double fork) becomes our child, so it is
// found, killed and reaped when its chapter ends.
Orphans.adopt()
await runLegend()
