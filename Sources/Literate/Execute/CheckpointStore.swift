#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NotebookCore

/// The checkpoints of a cache folder: `checkpoints/<key>/`, one per checkpointed block and key
/// (DESIGN.md, "Checkpoints"). An entry holds what the chapter program saved (`values.json`,
/// `tensors.safetensors`) and `manifest.json`: the whole key, the digest of each of those
/// files, and the block's result (its outputs, replayed when the checkpoint is restored).
/// Entries, like results, are immutable and named by what they were computed from; one whose
/// manifest or files do not check out is never offered, and is replaced by the next run.
struct CheckpointStore: Sendable {
    let directory: String

    struct Manifest: Codable {
        let key: String
        /// The chapter as the run that made it named it, and where the block started then.
        let chapter: String
        let blockLine: Int
        let files: [String: String]
        let result: BlockResult
    }

    func folder(for key: String) -> String { directory + "/" + Hash.hex(key) }

    /// The manifest of `key`'s entry, if the entry is whole: its key matches and every file has
    /// the digest the manifest gives.
    func valid(_ key: String) -> Manifest? {
        let folder = folder(for: key)
        guard let data = FileManager.default.contents(atPath: folder + "/manifest.json"),
              let manifest = try? ChannelRecord.makeDecoder().decode(Manifest.self, from: data), manifest.key == key,
              !manifest.files.isEmpty else { return nil }
        for (name, digest) in manifest.files {
            guard !name.contains("/"), CheckpointStore.digest(of: folder + "/" + name) == digest else { return nil }
        }
        return manifest
    }

    /// Moves what a run saved in `saved` into the entry of `key`, with its manifest. Written
    /// aside, then renamed into place; an entry already there and whole is left alone.
    func store(_ saved: String, key: String, chapter: String, blockLine: Int, result: BlockResult) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: saved), !names.isEmpty else { return }
        var files: [String: String] = [:]
        for name in names {
            guard let digest = CheckpointStore.digest(of: saved + "/" + name) else { return }
            files[name] = digest
        }
        let manifest = Manifest(key: key, chapter: chapter, blockLine: blockLine, files: files, result: result)
        guard let data = try? ChannelRecord.makeEncoder().encode(manifest),
              (try? data.write(to: URL(fileURLWithPath: saved + "/manifest.json"))) != nil else { return }
        try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = folder(for: key)
        if valid(key) != nil { return }
        // A damaged entry is moved aside first: rename does not replace a folder with files.
        if manager.fileExists(atPath: target) {
            let aside = directory + "/.damaged-\(getpid())-\(UUID().uuidString)"
            if rename(target, aside) == 0 { try? manager.removeItem(atPath: aside) }
        }
        if rename(saved, target) != 0 { try? manager.removeItem(atPath: saved) }
    }

    /// The digest of a file's bytes, read in pieces (a checkpoint can be large), or nil.
    static func digest(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hash = Hash()
        var size = 0
        while let piece = try? handle.read(upToCount: 1 << 20), !piece.isEmpty {
            hash.combine(piece)
            size += piece.count
        }
        return "\(size) \(hash.hex)"
    }
}
