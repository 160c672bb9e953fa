import Foundation

/// An include written in a chapter: mdBook's `{{#include path}}`, `{{#include path:anchor}}`,
/// `{{#include path:10:20}}` (and `{{#rustdoc_include …}}`, read the same way) or Quarto's
/// `{{< include path >}}`.
struct IncludeDirective: Equatable, Sendable {
    /// Which lines of the file are included.
    enum Part: Equatable, Sendable {
        case whole
        /// Lines `from` through `to`, from 1; nil is the first or the last line.
        case lines(from: Int?, to: Int?)
        /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
        case anchor(String)
    }

    let path: String
    let part: Part
    /// Where it is written on its line, as UTF-8 offsets from 0.
    let columns: Range<Int>

    /// What a line holds that is about includes.
    enum Found: Equatable, Sendable {
        case include(IncludeDirective)
        /// A directive that cannot be read, with what is wrong with it.
        case malformed(columns: Range<Int>, problem: String)
        /// `\{{#include …}}`: written out as is, without the backslash at `offset`.
        case escaped(offset: Int)
    }

    /// Whether `text` has a `{{`, which every directive opens with (one pass over its bytes).
    static func mayHold(_ text: Substring) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "{") && previous == byte { return true }
            previous = byte
        }
        return false
    }

    /// The includes, malformed directives and escapes of `line`, left to right.
    static func scan(_ line: Substring) -> [Found] {
        let bytes = Array(line.utf8)
        guard bytes.count >= 4 else { return [] }
        var found: [Found] = []
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") else { index += 1; continue }
            guard let (end, arguments, quarto) = directive(in: bytes, at: index) else { index += 2; continue }
            if index > 0 && bytes[index - 1] == UInt8(ascii: "\\") {
                found.append(.escaped(offset: index - 1))
            } else {
                found.append(read(arguments, quarto: quarto, columns: index..<end))
            }
            index = end
        }
        return found
    }

    /// The directive that opens at `start` (its end and its arguments), if one does.
    private static func directive(in bytes: [UInt8], at start: Int) -> (end: Int, arguments: String, quarto: Bool)? {
        var index = start + 2
        func skipSpaces() { while index < bytes.count && (bytes[index] == 32 || bytes[index] == 9) { index += 1 } }
        func take(_ word: String) -> Bool {
            let word = Array(word.utf8)
            guard bytes[index...].starts(with: word) else { return false }
            index += word.count
            return true
        }
        let quarto: Bool
        if index < bytes.count && bytes[index] == UInt8(ascii: "<") {
            index += 1
            skipSpaces()
            guard take("include") else { return nil }
            quarto = true
        } else {
            skipSpaces()
            guard take("#include") || take("#rustdoc_include") else { return nil }
            quarto = false
        }
        // A space must follow the name (`{{#includes}}` is no include).
        guard index < bytes.count, bytes[index] == 32 || bytes[index] == 9 else { return nil }
        let close = Array((quarto ? ">}}" : "}}").utf8)
        var end = index
        while end < bytes.count && !bytes[end...].starts(with: close) {
            if bytes[end] == UInt8(ascii: "}") || bytes[end] == UInt8(ascii: "{") { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        let arguments = String(decoding: bytes[index..<end], as: UTF8.self)
        return (end + close.count, arguments, quarto)
    }

    /// The directive `arguments` make, or what is wrong with them.
    private static func read(_ arguments: String, quarto: Bool, columns: Range<Int>) -> Found {
        var text = arguments.trimmingCharacters(in: .whitespaces)
        if quarto {
            if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
                text = String(text.dropFirst().dropLast())
            }
            guard !text.isEmpty else { return .malformed(columns: columns, problem: "this include names no file; write '{{< include file.md >}}'") }
            return .include(IncludeDirective(path: text, part: .whole, columns: columns))
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let path = parts.first, !path.isEmpty, !path.contains(where: \.isWhitespace) else {
            return .malformed(columns: columns, problem: "this include names no file; write '{{#include file.swift}}', with a path relative to this file")
        }
        func line(_ text: String) -> Int?? {
            if text.isEmpty { return .some(nil) }
            guard let number = Int(text), number >= 1 else { return nil }
            return .some(number)
        }
        let rangeAdvice = "write a line (':10'), a range (':10:20', ':10:', '::20'; lines count from 1) or an anchor's name (':setup')"
        switch parts.count {
        case 1:
            return .include(IncludeDirective(path: path, part: .whole, columns: columns))
        case 2:
            let selector = parts[1]
            if selector.isEmpty { return .include(IncludeDirective(path: path, part: .whole, columns: columns)) }
            if selector.allSatisfy(\.isNumber) {
                guard case .some(.some(let number)) = line(selector) else {
                    return .malformed(columns: columns, problem: "'\(selector)' is not a line of '\(path)': lines count from 1; \(rangeAdvice)")
                }
                return .include(IncludeDirective(path: path, part: .lines(from: number, to: number), columns: columns))
            }
            guard selector.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                return .malformed(columns: columns, problem: "'\(selector)' is neither a line nor an anchor's name (letters, digits, '_' and '-'); \(rangeAdvice)")
            }
            return .include(IncludeDirective(path: path, part: .anchor(selector), columns: columns))
        case 3:
            guard case .some(let from) = line(parts[1]), case .some(let to) = line(parts[2]) else {
                return .malformed(columns: columns, problem: "':\(parts[1]):\(parts[2])' is not a range of lines; \(rangeAdvice)")
            }
            if let from, let to, from > to {
                return .malformed(columns: columns, problem: "the range \(from):\(to) of '\(path)' is empty (it ends before it starts); write the first line, then the last")
            }
            return .include(IncludeDirective(path: path, part: from == nil && to == nil ? .whole : .lines(from: from, to: to), columns: columns))
        default:
            return .malformed(columns: columns, problem: "'\(text)' has too many ':'; \(rangeAdvice)")
        }
    }
}

/// How includes reach files: in a book, regular files inside its folder (`ContainedFile`); the
/// fuzz entry and chapters made from text have none, and every include is reported missing.
public struct IncludedFiles: Sendable {
    /// A file's bytes and what names it whatever path led to it (its real path, for cycles).
    struct File: Sendable {
        let bytes: Data
        let identity: String
    }

    /// Reads `path`, a path as the including file's folder joins it (`legend/parts/x.swift`).
    let read: @Sendable (String) -> Result<File, ContainedFile.Refusal>
    /// The real path of a chapter, as `File.identity` names it.
    let identity: @Sendable (String) -> String

    /// Files that are never there.
    public static let none = IncludedFiles(read: { _ in .failure(.missing) }, identity: { $0 })

    /// Regular files inside the book whose real path is `root`, each at most `byteLimit` bytes.
    static func inside(_ root: String, byteLimit: Int = IncludeExpansion.fileByteLimit) -> IncludedFiles {
        IncludedFiles(read: { path in
            // A path whose real path leaves the book (`..`, or a link to a folder out of it) is
            // refused before anything is opened.
            let real = RealPath.of(path)
            guard RealPath.contains(root, real) else { return .failure(.outside(real)) }
            return ContainedFile.read(path, inside: root, byteLimit: byteLimit).map { File(bytes: $0, identity: real) }
        }, identity: RealPath.of)
    }
}

/// Where each line of a chapter's text was written, once its includes are expanded: the
/// chapter's own lines moved down by what was included above them, and an included line at the
/// include that brought it in. Diagnostics, block positions and `#sourceLocation` all name the
/// lines as written, through this map.
public struct LineMap: Sendable, Equatable {
    /// Where an included line came from.
    struct Inclusion: Sendable, Equatable {
        /// The include's line and column (from 1) in the chapter.
        let line: Int
        let column: Int
        /// The file the line was read from (the innermost, for nested includes), and its line there.
        let file: String
        let fileLine: Int
    }

    /// The written line of each line of the text (index 0 is line 1); empty when nothing was
    /// included, and every line is itself.
    private var written: [Int] = []
    private var inclusions: [Int: Inclusion] = [:]

    /// Nothing included.
    static let identity = LineMap()

    mutating func append(written line: Int, inclusion: Inclusion?) {
        written.append(line)
        if let inclusion { inclusions[written.count] = inclusion }
    }

    var isIdentity: Bool { written.isEmpty }

    /// The line of the chapter file, as written, that holds line `line` of the expanded text.
    public func written(_ line: Int) -> Int {
        guard !written.isEmpty else { return line }
        if line >= 1 && line <= written.count { return written[line - 1] }
        // Past the end (an end-of-file diagnostic): past the file's last line.
        return (written.last ?? 0) + max(1, line - written.count)
    }

    /// The include that brought line `line` of the text in, if one did.
    func inclusion(at line: Int) -> Inclusion? { inclusions[line] }

    /// `diagnostic` with its line (of the expanded text of the chapter at `path`) as written;
    /// one about an included line points at the include, and names the file and line it is.
    func located(_ diagnostic: Diagnostic, in path: String) -> Diagnostic {
        guard !written.isEmpty, diagnostic.file == path, let line = diagnostic.line else { return diagnostic }
        var moved = diagnostic
        moved.line = written(line)
        if let inclusion = inclusions[line] {
            moved.column = inclusion.column
            moved.message += " (line \(inclusion.fileLine) of '\(inclusion.file)', included here)"
        }
        return moved
    }
}

/// A chapter's text with its includes replaced by what they include, its line map, and the
/// includes that failed (each an error at the include, which is left as written).
struct IncludeExpansion {
    /// How deep includes may nest, how many one chapter may expand, how many bytes they may
    /// bring in and how large one file may be: a book cannot make the build read or grow
    /// without end (a file including another twice, ten deep, is a thousand includes).
    static let depthLimit = 10
    static let includeLimit = 10_000
    static let lineLimit = 1_000_000
    static let byteLimit = 64 << 20
    static let fileByteLimit = 16 << 20

    var source: SourceText
    var lines: LineMap
    var problems: [Diagnostic]

    private struct Failure: Error {
        let message: String
        /// The included file and line where it happened, when not in the chapter itself.
        var place: String?

        var description: String { (place.map { "in \($0): " } ?? "") + message }
    }

    /// A line brought in, with the file and line it was read from.
    private struct IncludedLine {
        let text: Substring
        let file: String
        let line: Int
    }

    /// What one expansion reads and has spent.
    private struct Reading {
        let files: IncludedFiles
        var read: [String: Result<IncludedFiles.File, ContainedFile.Refusal>] = [:]
        /// Each file's lines, decoded once.
        var lines: [String: [Substring]] = [:]
        var includes = 0
        var lineCount = 0
        var bytes = 0
    }

    /// Expands the includes of `source` below its first `skipping` lines (the front matter).
    /// `identity` is the chapter's own, so that an include of the chapter is a cycle.
    init(_ source: SourceText, skipping: Int, files: IncludedFiles) {
        self.source = source
        lines = .identity
        problems = []
        guard IncludeDirective.mayHold(Substring(source.text)) else { return }
        let rawLines = source.text.splitLines()
        var reading = Reading(files: files)
        let chapterIdentity = files.identity(source.path)
        let folder = (source.path as NSString).deletingLastPathComponent
        var text: [Substring] = []
        var map = LineMap()
        var changed = false
        for (index, raw) in rawLines.enumerated() {
            let lineNumber = index + 1
            let found = index < skipping || !IncludeDirective.mayHold(raw) ? [] : IncludeDirective.scan(raw)
            guard !found.isEmpty else {
                text.append(raw)
                map.append(written: lineNumber, inclusion: nil)
                continue
            }
            changed = true
            let carriageReturn = raw.utf8.last == 13
            let bytes = Array((carriageReturn ? raw.dropLast() : raw).utf8)
            var current: [UInt8] = []
            var inclusion: LineMap.Inclusion?
            var next = 0
            func emit() {
                text.append(Substring(String(decoding: current, as: UTF8.self) + (carriageReturn ? "\r" : "")))
                map.append(written: lineNumber, inclusion: inclusion)
                current = []
            }
            for item in found {
                switch item {
                case .escaped(let offset):
                    current += bytes[next..<offset]
                    next = offset + 1
                case .malformed(let columns, let problem):
                    problems.append(.error(problem, file: source.path, line: lineNumber, column: columns.lowerBound + 1))
                case .include(let directive):
                    let column = directive.columns.lowerBound + 1
                    do throws(Failure) {
                        let included = try IncludeExpansion.lines(of: directive, from: folder, chain: [chapterIdentity],
                                                                  names: [source.path], reading: &reading)
                        current += bytes[next..<directive.columns.lowerBound]
                        next = directive.columns.upperBound
                        for (position, line) in included.enumerated() {
                            if position > 0 { emit() }
                            current += line.text.utf8
                            inclusion = LineMap.Inclusion(line: lineNumber, column: column, file: line.file, fileLine: line.line)
                        }
                    } catch {
                        problems.append(.error(error.description, file: source.path, line: lineNumber, column: column))
                    }
                }
            }
            current += bytes[next...]
            emit()
        }
        guard changed else { return }
        self.source = SourceText(path: source.path, text: text.joined(separator: "\n"))
        lines = map
    }

    /// The lines `directive` includes into a file in `folder` (`names`: the files that include
    /// it, outermost first; `chain`: their identities), its own includes expanded.
    private static func lines(of directive: IncludeDirective, from folder: String, chain: [String], names: [String],
                              reading: inout Reading) throws(Failure) -> [IncludedLine] {
        let path = directive.path
        guard !path.hasPrefix("/") else {
            throw Failure(message: "'\(path)' is an absolute path; an include names a file inside the book, relative to the including file's folder")
        }
        guard chain.count <= depthLimit else {
            throw Failure(message: "includes nest more than \(depthLimit) deep (\(names.joined(separator: " → "))); include the innermost file directly")
        }
        reading.includes += 1
        guard reading.includes <= includeLimit else {
            throw Failure(message: "the chapter's includes expand more than \(includeLimit) files; include fewer, larger parts")
        }
        let name = Book.lexicallyNormal(folder.isEmpty ? path : folder + "/" + path)
        let result = reading.read[name] ?? reading.files.read(name)
        reading.read[name] = result
        let file: IncludedFiles.File
        switch result {
        case .success(let found): file = found
        case .failure(.missing):
            throw Failure(message: "the included file '\(name)' does not exist; fix the path (relative to the folder of '\(names.last ?? "")') or add the file")
        case .failure(.outside(let real)):
            throw Failure(message: "the include '\(path)' leads out of the book (to '\(real)'); Legend includes only files inside the book — copy the file in")
        case .failure(let refusal):
            throw Failure(message: "the included file '\(name)' \(refusal.reason)")
        }
        if let first = chain.firstIndex(of: file.identity) {
            let cycle = (names[first...] + [name]).joined(separator: " → ")
            throw Failure(message: "the include of '\(name)' makes a cycle (\(cycle)); remove one of these includes")
        }
        reading.bytes += file.bytes.count
        guard reading.bytes <= byteLimit else {
            throw Failure(message: "the chapter's includes bring in more than \(byteLimit >> 20) MB; include fewer or smaller files")
        }
        let fileLines: [Substring]
        if let decoded = reading.lines[name] {
            fileLines = decoded
        } else {
            let text: SourceText
            do { text = try SourceText(path: name, bytes: file.bytes) } catch {
                throw Failure(message: "the included file '\(name)' is not valid UTF-8 (\(error.message)); save it as UTF-8")
            }
            // A final line feed ends the last line; it does not open an empty one.
            fileLines = text.text.hasSuffix("\n") ? Array(text.lines.dropLast()) : text.lines
            reading.lines[name] = fileLines
        }
        let selected = try select(directive.part, of: fileLines, name: name)
        reading.lineCount += selected.count
        guard reading.lineCount <= lineLimit else {
            throw Failure(message: "the chapter's includes bring in more than \(lineLimit) lines; include fewer or smaller files")
        }
        var included: [IncludedLine] = []
        let innerFolder = (name as NSString).deletingLastPathComponent
        for number in selected {
            let line = fileLines[number - 1]
            let found = IncludeDirective.mayHold(line) ? IncludeDirective.scan(line) : []
            guard !found.isEmpty else {
                included.append(IncludedLine(text: line, file: name, line: number))
                continue
            }
            // A nested include is spliced into its line as the chapter's are; a failure fails
            // the outermost include, named with the file and line where it happened.
            let bytes = Array(line.utf8)
            var current: [UInt8] = []
            var next = 0
            var origin = (file: name, line: number)
            var spliced = false
            func emit() {
                included.append(IncludedLine(text: Substring(String(decoding: current, as: UTF8.self)), file: origin.file, line: origin.line))
                current = []
            }
            for item in found {
                switch item {
                case .escaped(let offset):
                    current += bytes[next..<offset]
                    next = offset + 1
                case .malformed(_, let problem):
                    throw Failure(message: problem, place: "'\(name)' line \(number)")
                case .include(let inner):
                    let innerLines: [IncludedLine]
                    do throws(Failure) {
                        innerLines = try lines(of: inner, from: innerFolder, chain: chain + [file.identity],
                                               names: names + [name], reading: &reading)
                    } catch {
                        var failure = error
                        if failure.place == nil { failure.place = "'\(name)' line \(number)" }
                        throw failure
                    }
                    if found.count == 1 && inner.columns == 0..<bytes.count && !innerLines.isEmpty {
                        // A line that is only the include (the common case) becomes its lines as they are.
                        included += innerLines
                        spliced = true
                        continue
                    }
                    current += bytes[next..<inner.columns.lowerBound]
                    next = inner.columns.upperBound
                    for (position, innerLine) in innerLines.enumerated() {
                        if position > 0 { emit() }
                        current += innerLine.text.utf8
                        origin = (innerLine.file, innerLine.line)
                    }
                }
            }
            if spliced { continue }
            current += bytes[next...]
            emit()
        }
        return included
    }

    /// The numbers (from 1) of the lines of a file that `part` names.
    private static func select(_ part: IncludeDirective.Part, of lines: [Substring], name: String) throws(Failure) -> [Int] {
        switch part {
        case .whole:
            return Array(lines.indices.map { $0 + 1 })
        case .lines(let from, let to):
            let first = from ?? 1, last = to ?? lines.count
            for bound in [from, to].compactMap({ $0 }) where bound > lines.count {
                throw Failure(message: "line \(bound) is past the end of '\(name)', which has \(lines.count) line\(lines.count == 1 ? "" : "s"); fix the range")
            }
            return first <= last ? Array(first...last) : []
        case .anchor(let anchor):
            // As mdBook finds them: the markers anywhere on a line, in any comment syntax; the
            // lines of other anchors' markers inside the part are left out.
            guard let start = lines.firstIndex(where: { IncludeExpansion.marker("ANCHOR:", in: $0) == anchor }) else {
                throw Failure(message: "'\(name)' has no anchor '\(anchor)'; mark the lines to include with comments holding 'ANCHOR: \(anchor)' and 'ANCHOR_END: \(anchor)', or fix the name")
            }
            var selected: [Int] = []
            for index in lines.indices.dropFirst(start + 1) {
                if IncludeExpansion.marker("ANCHOR_END:", in: lines[index]) == anchor { break }
                if IncludeExpansion.marker("ANCHOR:", in: lines[index]) != nil || IncludeExpansion.marker("ANCHOR_END:", in: lines[index]) != nil { continue }
                selected.append(index + 1)
            }
            return selected
        }
    }

    /// The anchor name after `marker` on `line` (`// ANCHOR: setup` → `setup`), if the marker is there.
    static func marker(_ marker: String, in line: Substring) -> String? {
        guard let range = line.range(of: marker) else { return nil }
        let name = line[range.upperBound...].drop(while: { $0 == " " || $0 == "\t" })
            .prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        return name.isEmpty ? nil : String(name)
    }
}
