import ArgumentParser
import Literate

@main
struct Legend: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build literate books whose Swift blocks run.")
}
