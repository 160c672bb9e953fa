#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import TensorForge

/// A checkpointed block's kept values, as the chapter program writes and reads them
/// (DESIGN.md, "Checkpoints"): `values.json` holds the `Codable` values (each as its own JSON
/// text), the modules' training modes and the random generator's state after the block;
/// `tensors.safetensors` holds the tensors, `tensor/<name>`, and the modules' state dicts,
/// `module/<name>/<key>`.
struct CheckpointValues: Codable {
    var values: [String: String] = [:]
    var modes: [String: [Bool]] = [:]
    var requiresGrad: [String: Bool] = [:]
    var generator: [UInt64] = []
    var tensors: [String: Tensor] = [:]

    enum CodingKeys: String, CodingKey { case values, modes, requiresGrad, generator }

    static let valuesFile = "values.json"
    static let tensorsFile = "tensors.safetensors"

    static func read(from folder: String) throws -> CheckpointValues {
        guard let data = FileManager.default.contents(atPath: folder + "/" + valuesFile) else {
            throw CheckpointProblem("\(valuesFile) is missing")
        }
        var checkpoint = try JSONDecoder().decode(CheckpointValues.self, from: data)
        checkpoint.tensors = try Safetensors.load(path: folder + "/" + tensorsFile)
        return checkpoint
    }

    func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: folder + "/" + CheckpointValues.valuesFile))
        try Safetensors.save(tensors, path: folder + "/" + CheckpointValues.tensorsFile)
    }

    /// Each Codable value is JSON on its own, with NaN and infinities kept as strings, and every
    /// number written so that it reads back to the same bits.
    /// The side channel's coder, which keeps them.
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try ChannelRecord.makeEncoder().encode([value]), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let values = try ChannelRecord.makeDecoder().decode([T].self, from: Data(text.utf8))
        guard values.count == 1 else { throw CheckpointProblem("a value was not one value") }
        return values[0]
    }
}

struct CheckpointProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension LegendSession {
    /// The checkpoints this run restores and those it saves, by block.
    nonisolated(unsafe) static var restoring: [Int: CheckpointValues] = [:]
    nonisolated(unsafe) static var saving: [Int: CheckpointValues] = [:]

    static var checkpointFolder: String? { ProcessInfo.processInfo.environment[SessionProtocol.checkpointsVariable] }

    /// Before a checkpointed block: restores its checkpoint if the runner offers one (the
    /// block's statements then do not run), else prepares to save one.
    public static func checkpointBegin(_ block: Int) {
        guard let folder = checkpointFolder else { return }
        let offered = folder + "/restore/\(block)"
        if FileManager.default.fileExists(atPath: offered) {
            do {
                restoring[block] = try CheckpointValues.read(from: offered)
                return
            } catch {
                // The runner checked the files; one it cannot read is computed again.
                FileHandle.standardError.write(Data("legend: the checkpoint of block \(block) could not be read (\(error)); the block runs\n".utf8))
            }
        }
        saving[block] = CheckpointValues()
    }

    /// Whether block `block`'s statements run: false when its checkpoint was restored.
    public static func runs(_ block: Int) -> Bool { restoring[block] == nil }

    /// The first value of a kept name declared in a checkpointed block: read from the
    /// checkpoint when it is restored (a `Codable` value or a `Tensor`), else `make()`. A module
    /// is built by `make()` either way, and loaded when the block ends.
    public static func restore<T>(_ block: Int, _ name: String, _ make: () throws -> T) rethrows -> T {
        guard let checkpoint = restoring[block] else { return try make() }
        if T.self == Tensor.self {
            guard let tensor = checkpoint.tensors["tensor/" + name] else { unreadable(block, name, "no tensor") }
            tensor.requiresGrad = checkpoint.requiresGrad[name] ?? false
            return tensor as! T
        }
        if let decodable = T.self as? any Decodable.Type {
            guard let text = checkpoint.values[name] else { unreadable(block, name, "no value") }
            do { return try CheckpointValues.decode(decodable, from: text) as! T } catch { unreadable(block, name, "\(error)") }
        }
        return try make()
    }

    /// After a checkpointed block: saves its checkpoint, or, when it was restored, puts the
    /// random generator where the block left it and tells the runner.
    public static func checkpointEnd(_ block: Int) {
        guard let folder = checkpointFolder else { return }
        if let checkpoint = restoring[block] {
            defaultGenerator.state = checkpoint.generator
            try? FileManager.default.createDirectory(atPath: folder + "/restored", withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: folder + "/restored/\(block)", contents: Data())
        } else if var checkpoint = saving[block] {
            checkpoint.generator = defaultGenerator.state
            do {
                try checkpoint.write(to: folder + "/save/\(block)")
            } catch {
                FileHandle.standardError.write(Data("legend: the checkpoint of block \(block) could not be written (\(error))\n".utf8))
            }
            saving[block] = nil
        }
    }

    /// A restored checkpoint that cannot be read past its first check: the run stops, and the
    /// runner runs the chapter again without checkpoints.
    static func unreadable(_ block: Int, _ name: String, _ why: String) -> Never {
        FileHandle.standardError.write(Data("legend: the checkpoint of block \(block) could not restore `\(name)` (\(why))\n".utf8))
        exit(SessionProtocol.checkpointFailureStatus)
    }

    static func save(_ block: Int, _ body: (inout CheckpointValues) throws -> Void, name: String) {
        guard var checkpoint = saving[block] else { return }
        do {
            try body(&checkpoint)
            saving[block] = checkpoint
        } catch {
            FileHandle.standardError.write(Data("legend: `\(name)` could not be saved in the checkpoint of block \(block) (\(error))\n".utf8))
            saving[block] = nil
        }
    }

    static func modes(of module: any Module) -> [Bool] {
        [module.isTraining] + module.children.flatMap { modes(of: $0.module) }
    }

    static func setModes(_ modes: inout ArraySlice<Bool>, of module: any Module) {
        var module = module  // an existential: its setter needs a variable
        if let mode = modes.popFirst() { module.isTraining = mode }
        for (_, child) in module.children { setModes(&modes, of: child) }
    }

    static func keepModule(_ block: Int, _ name: String, _ module: any Module) {
        let prefix = "module/\(name)/"
        if let checkpoint = restoring[block] {
            let state = Dictionary(uniqueKeysWithValues: checkpoint.tensors.filter { $0.key.hasPrefix(prefix) }
                .map { (String($0.key.dropFirst(prefix.count)), $0.value) })
            do { try module.loadStateDict(state) } catch { unreadable(block, name, "\(error)") }
            var modes = (checkpoint.modes[name] ?? [])[...]
            setModes(&modes, of: module)
            return
        }
        save(block, { checkpoint in
            for (key, tensor) in module.stateDict() { checkpoint.tensors[prefix + key] = tensor }
            checkpoint.modes[name] = modes(of: module)
        }, name: name)
    }

    static func keepTensor(_ block: Int, _ name: String, _ tensor: Tensor) -> Tensor? {
        if let checkpoint = restoring[block] {
            guard let saved = checkpoint.tensors["tensor/" + name] else { unreadable(block, name, "no tensor") }
            saved.requiresGrad = checkpoint.requiresGrad[name] ?? false
            return saved
        }
        save(block, { checkpoint in
            checkpoint.tensors["tensor/" + name] = tensor.detach()
            checkpoint.requiresGrad[name] = tensor.requiresGrad
        }, name: name)
        return nil
    }

    static func keepValue<T: Codable>(_ block: Int, _ name: String, _ value: T) -> T? {
        if let checkpoint = restoring[block] {
            guard let text = checkpoint.values[name] else { unreadable(block, name, "no value") }
            do { return try CheckpointValues.decode(T.self, from: text) } catch { unreadable(block, name, "\(error)") }
        }
        save(block, { checkpoint in checkpoint.values[name] = try CheckpointValues.encode(value) }, name: name)
        return nil
    }
}

// What the tangler writes after a checkpointed block, one call per kept name: it saves the
// value, or (when the checkpoint was restored) puts the saved one in its place. Chapter authors
// never call these. A `var` is passed `inout`, a `let` by value.

/// Keeps a `Codable` value.
public func legendKeep<T: Codable>(_ block: Int, _ name: String, _ value: inout T) {
    if let restored = LegendSession.keepValue(block, name, value) { value = restored }
}

/// Keeps a `Codable` value declared with `let`. It cannot be assigned, so when the checkpoint is
/// restored it must already be the saved value (restored where it is declared, or computed again
/// in a tuple); one that differs stops the run, which is then made without checkpoints.
public func legendKeep<T: Codable>(_ block: Int, _ name: String, _ value: T) {
    guard LegendSession.restoring[block] != nil else {
        _ = LegendSession.keepValue(block, name, value)
        return
    }
    let saved = LegendSession.restoring[block]?.values[name]
    if (try? CheckpointValues.encode(value)) != saved { LegendSession.unreadable(block, name, "its value differs from the checkpoint's") }
}

/// Keeps a tensor: its values, shape and `requiresGrad`.
public func legendKeep(_ block: Int, _ name: String, _ value: inout Tensor) {
    if let restored = LegendSession.keepTensor(block, name, value) { value = restored }
}

/// Keeps a tensor declared with `let`: restored in place.
public func legendKeep(_ block: Int, _ name: String, _ value: Tensor) {
    if let restored = LegendSession.keepTensor(block, name, value), restored !== value {
        if restored.shape == value.shape { value.copy(from: restored) } else { LegendSession.unreadable(block, name, "its shape changed") }
    }
}

/// Keeps a module: its state dict (parameters and buffers) and its training mode.
public func legendKeep<M: Module>(_ block: Int, _ name: String, _ value: inout M) {
    LegendSession.keepModule(block, name, value)
}

/// Keeps a module declared with `let`: loaded in place.
public func legendKeep<M: Module>(_ block: Int, _ name: String, _ value: M) {
    LegendSession.keepModule(block, name, value)
}

@available(*, unavailable, message: "a checkpoint keeps Tensors, Modules and Codable values, and this one is none of them (a closure, an optimiser or a class cannot be saved); leave it out of `cache:` and rebuild it below from values that are kept")
public func legendKeep<T>(_ block: Int, _ name: String, _ value: inout T) {}

@available(*, unavailable, message: "a checkpoint keeps Tensors, Modules and Codable values, and this one is none of them (a closure, an optimiser or a class cannot be saved); leave it out of `cache:` and rebuild it below from values that are kept")
public func legendKeep<T>(_ block: Int, _ name: String, _ value: T) {}
