import Foundation
import Mustache

/// The HTML theme: Mustache templates (`index.mustache`, `chapter.mustache`; optionally
/// `search.mustache` and `print.mustache`, whose pages are made when the theme has them) and
/// assets (CSS), from the default theme `templates/`, any of which a book may override with a
/// file of the same name in its own `templates/` folder.
public struct Theme: Sendable {
    let library: MustacheLibrary
    /// Files copied into the site as they are (style sheets, scripts, images).
    public let assets: [String: Data]
    /// Every file the theme was read from, for the cache of the built pages and for `serve`.
    public let sources: [String]

    public static let requiredTemplates = ["index", "chapter"]

    /// Reads the theme from `folders`, later folders overriding earlier ones.
    public static func load(from folders: [String]) throws(Diagnostic) -> Theme {
        var library = MustacheLibrary()
        var assets: [String: Data] = [:]
        var found: Set<String> = []
        var sources: [String] = []
        let manager = FileManager.default
        for folder in folders where manager.fileExists(atPath: folder) {
            // Theme files are published as they are: each must be a regular file inside its
            // theme folder, never a link out of it (which would publish what it points to).
            let root = RealPath.of(folder)
            let names = ((manager.enumerator(atPath: folder)?.allObjects as? [String]) ?? []).sorted()
            for name in names where !URL(fileURLWithPath: name).lastPathComponent.hasPrefix(".") {
                let path = folder + "/" + name
                var isDirectory: ObjCBool = false
                guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                let data = try ContainedFile.readOrDiagnose(path, inside: root, name: path)
                sources.append(path)
                if name.hasSuffix(".mustache") {
                    let templateName = String(name.dropLast(".mustache".count))
                    guard let text = String(data: data, encoding: .utf8) else {
                        throw .error("the template is not valid UTF-8", file: path)
                    }
                    do {
                        try library.register(text, named: templateName)
                    } catch {
                        throw .error("the template does not parse: \(error)", file: path)
                    }
                    found.insert(templateName)
                } else {
                    assets[name] = data
                }
            }
        }
        for required in requiredTemplates where !found.contains(required) {
            let searched = folders.map { "'\($0)'" }.joined(separator: " and ")
            throw .error("no template '\(required).mustache' in \(searched); add it, or remove the book's templates folder to use the default theme")
        }
        return Theme(library: library, assets: assets, sources: sources)
    }

    public func has(_ template: String) -> Bool { library.getTemplate(named: template) != nil }

    /// Renders `template` with a flat context of strings, lists and dictionaries.
    func render(_ template: String, _ context: [String: Any]) throws(Diagnostic) -> String {
        guard let html = library.render(context, withTemplate: template) else {
            throw .error("the theme has no template '\(template).mustache'")
        }
        return html
    }
}
