#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NotebookCore

/// Runs a program in its own session and process group with its output sent to files, and
/// kills everything in that session when it is done or past its time — so neither a hang nor a
/// child it started (even one in a process group of its own, as Foundation's `Process` makes)
/// outlives it. A program may also be held to a memory limit and an output limit, and tagged
/// with a run token: every process that carries the token in its environment is killed when the
/// program ends, including one that left the session (`setsid`, a double fork).
struct ChildProcess {
    enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
        /// Stopped because its output files grew past `outputLimit`.
        case outputLimitExceeded
        /// Stopped because its `cancellation` was cancelled.
        case cancelled
    }

    struct Outcome: Sendable {
        let termination: Termination
        let seconds: Double
    }

    let executable: String
    var arguments: [String] = []
    var environment: [String: String] = ProcessInfo.processInfo.environment
    var stdoutPath: String
    var stderrPath: String
    var timeout: Double
    /// Called about every 100 ms while the child runs, with the seconds elapsed.
    var onTick: (@Sendable (Double) -> Void)?
    /// Bytes of address space the program may map (RLIMIT_AS); nil for no limit.
    var memoryLimit: Int?
    /// Bytes the program may write to its stdout and stderr files and `watchedFiles` together;
    /// past them it is stopped. nil for no limit.
    var outputLimit: Int?
    var watchedFiles: [String] = []
    /// The value of `SessionProtocol.runTokenVariable` in the program's environment, by which the
    /// processes it starts are found when it ends.
    var runToken: String?
    /// Stops the program when cancelled (checked with the timeout).
    var cancellation: Cancellation?

    func run() throws(Diagnostic) -> Outcome {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // A new session (and process group) whose id is the child's pid. glibc's
        // POSIX_SPAWN_SETSID is 0x80; Swift does not see the macro.
        let setSession: Int32 = 0x80
        posix_spawnattr_setflags(&attributes, Int16(setSession | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted(by: { $0.key < $1.key }).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let start = Date()
        ChildProcess.reapAdoptedZombies()
        // Registered while the registry is locked, so the zombie reaper never takes its status.
        let status = ChildProcess.waited.withLock { waited -> Int32 in
            let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            if status == 0 { waited.insert(pid) }
            return status
        }
        guard status == 0 else {
            throw .error("cannot start '\(executable)': \(String(cString: strerror(status)))")
        }
        if let memoryLimit { ChildProcess.limitMemory(of: pid, to: memoryLimit) }
        var termination: Termination?
        var pause: UInt32 = 1_000
        var lastTick = 0.0
        while termination == nil {
            var waitStatus: Int32 = 0
            let result = waitpid(pid, &waitStatus, WNOHANG)
            let elapsed = Date().timeIntervalSince(start)
            if result == pid {
                let signal = waitStatus & 0x7f
                termination = signal == 0 ? .exited((waitStatus >> 8) & 0xff) : .signaled(signal)
            } else if result < 0 && errno != EINTR {
                termination = .exited(-1)
            } else if elapsed > timeout {
                ChildProcess.killSession(pid)
                var ignored: Int32 = 0
                waitpid(pid, &ignored, 0)
                termination = .timedOut
            } else if cancellation?.isCancelled == true {
                ChildProcess.killSession(pid)
                var ignored: Int32 = 0
                waitpid(pid, &ignored, 0)
                termination = .cancelled
            } else if let outputLimit, writtenBytes() > outputLimit {
                ChildProcess.killSession(pid)
                var ignored: Int32 = 0
                waitpid(pid, &ignored, 0)
                termination = .outputLimitExceeded
            } else {
                if elapsed - lastTick >= 0.1 {
                    onTick?(elapsed)
                    lastTick = elapsed
                }
                usleep(pause)
                pause = min(pause * 2, 20_000)
            }
        }
        ChildProcess.waited.withLock { _ = $0.remove(pid) }
        // Whatever the program left behind (a child it started) goes with it.
        ChildProcess.killSession(pid)
        if let runToken { ChildProcess.killTagged(runToken) }
        ChildProcess.reapAdoptedZombies()
        return Outcome(termination: termination!, seconds: Date().timeIntervalSince(start))
    }

    /// What the program has written so far, by the size of its files.
    private func writtenBytes() -> Int {
        var total = 0
        for path in [stdoutPath, stderrPath] + watchedFiles {
            var status = stat()
            if stat(path, &status) == 0 { total += Int(status.st_size) }
        }
        return total
    }

    // MARK: Limits and orphans

    /// Children whose status a `run` is waiting for; the zombie reaper leaves them alone.
    static let waited = Locked(Set<pid_t>())
    /// Whether this process adopts orphans (see `adoptOrphans`).
    static let adopting = Locked(false)

    /// Sets the address-space limit of a just-started process (`prlimit`, which Swift's Glibc
    /// module does not declare).
    static func limitMemory(of pid: pid_t, to bytes: Int) {
        #if os(Linux)
        typealias Prlimit = @convention(c) (pid_t, Int32, UnsafePointer<rlimit>?, UnsafeMutablePointer<rlimit>?) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prlimit") else { return }
        var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
        _ = unsafeBitCast(symbol, to: Prlimit.self)(pid, Int32(RLIMIT_AS.rawValue), &limit, nil)
        #endif
    }

    /// Kills every process whose environment holds the run token, wherever it went, and
    /// reaps those that were adopted.
    static func killTagged(_ token: String) {
        // Between NULs: the whole variable, not the tail of another one.
        let needle: [UInt8] = [0] + Array("\(SessionProtocol.runTokenVariable)=\(token)".utf8) + [0]
        var killed: [pid_t] = []
        for _ in 0..<3 {
            // Again, in case one forked between the listing and the kill.
            let found = processes().filter { pid in
                pid != getpid() && FileManager.default.contents(atPath: "/proc/\(pid)/environ").map { environ in
                    ([UInt8(0)] + Array(environ)).withUnsafeBufferPointer { !HTMLText.occurrences(of: needle, in: $0, limit: 1).isEmpty }
                } == true
            }
            if found.isEmpty { break }
            for pid in found { kill(pid, SIGKILL) }
            killed += found
        }
        // An adopted one is our child: wait for it, briefly (SIGKILL is prompt).
        for pid in Set(killed) {
            var status: Int32 = 0
            for _ in 0..<100 {
                let result = waitpid(pid, &status, WNOHANG)
                if result != 0 { break }
                usleep(2_000)
            }
        }
    }

    /// Reaps adopted orphans that have ended; the children a `run` waits for are not touched.
    static func reapAdoptedZombies() {
        guard adopting.withLock({ $0 }) else { return }
        let me = getpid()
        waited.withLock { waited in
            for pid in processes() where !waited.contains(pid) {
                guard let fields = statFields(pid), fields.count > 1, fields[0] == "Z", pid_t(fields[1]) == me else { continue }
                var status: Int32 = 0
                waitpid(pid, &status, WNOHANG)
            }
        }
    }

    /// Every process id in /proc.
    static func processes() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// The fields of /proc/PID/stat after the command: state, ppid, pgrp, session, …
    static func statFields(_ pid: pid_t) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        // "pid (command) state ppid pgrp session …": the command may hold spaces and parentheses.
        guard let close = data.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        return data[(close + 1)...].split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Kills the process group `session` and every process left in the session, which a child
    /// that moved to a process group of its own still belongs to.
    static func killSession(_ session: pid_t) {
        kill(-session, SIGKILL)
        for _ in 0..<3 {
            let members = sessionMembers(session)
            if members.isEmpty { return }
            for member in members { kill(member, SIGKILL) }
        }
    }

    /// Processes whose session id (field 6 of /proc/PID/stat) is `session`.
    static func sessionMembers(_ session: pid_t) -> [pid_t] {
        processes().filter { pid in
            guard let fields = statFields(pid), fields.count > 3 else { return false }
            return pid_t(fields[3]) == session
        }
    }
}

/// Orphans of chapter programs.
public enum Orphans {
    /// Makes this process the subreaper of everything it starts (Linux), so that a process a
    /// chapter leaves behind, even after `setsid` and a double fork, becomes a child of `legend`
    /// instead of init: it is found, killed and reaped here. For the `legend` command; a library
    /// user that runs children of its own (whose statuses it waits for) should not call it.
    public static func adopt() {
        #if os(Linux)
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return }
        let setChildSubreaper: Int32 = 36
        if unsafeBitCast(symbol, to: Prctl.self)(setChildSubreaper, 1, 0, 0, 0) == 0 {
            ChildProcess.adopting.withLock { $0 = true }
        }
        #endif
    }
}
