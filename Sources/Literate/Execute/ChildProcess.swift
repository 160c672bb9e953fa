#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs a program in its own session and process group with its output sent to files, and
/// kills everything in that session when it is done or past its time — so neither a hang nor a
/// child it started (even one in a process group of its own, as Foundation's `Process` makes)
/// outlives it.
struct ChildProcess {
    enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
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
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw .error("cannot start '\(executable)': \(String(cString: strerror(status)))")
        }
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
            } else {
                if elapsed - lastTick >= 0.1 {
                    onTick?(elapsed)
                    lastTick = elapsed
                }
                usleep(pause)
                pause = min(pause * 2, 20_000)
            }
        }
        // Whatever the program left behind (a child it started) goes with it.
        ChildProcess.killSession(pid)
        return Outcome(termination: termination!, seconds: Date().timeIntervalSince(start))
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
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var members: [pid_t] = []
        for name in names {
            guard let pid = pid_t(name), let data = FileManager.default.contents(atPath: "/proc/\(name)/stat") else { continue }
            // "pid (command) state ppid pgrp session …": the command may hold spaces and parentheses.
            guard let close = data.lastIndex(of: UInt8(ascii: ")")) else { continue }
            let fields = data[(close + 1)...].split(separator: UInt8(ascii: " "))
            if fields.count > 3, pid_t(String(decoding: fields[3], as: UTF8.self)) == session { members.append(pid) }
        }
        return members
    }
}
