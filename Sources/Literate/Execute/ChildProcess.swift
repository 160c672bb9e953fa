#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs a program in its own process group with its output sent to files, and kills the whole
/// group when it is done or past its time — so neither a hang nor a forked grandchild outlives it.
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
        // A new process group whose id is the child's pid: one kill reaches everything it started.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
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
                kill(-pid, SIGKILL)
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
        // Whatever the program left behind in its group (a forked child) goes with it.
        kill(-pid, SIGKILL)
        return Outcome(termination: termination!, seconds: Date().timeIntervalSince(start))
    }
}
