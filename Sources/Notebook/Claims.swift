/// States what the block's numbers show, and checks it: the statement is shown after the
/// block's outputs (unless `//| claims: hide`), listed on the book's claims page, and counted
/// by `legend check`. A claim whose condition is false fails its block at the claim's line in
/// the Markdown — even in a block marked `//| error: true` — but stops nothing: the block and
/// the chapter run on, so every claim of the run is reported.
///
/// ```swift
/// claim(ratio < 1e-9, "the first layer receives less than a billionth of the last layer's gradient",
///       ["ratio": ratio])
/// ```
///
/// - Parameters:
///   - condition: what must hold for the statement to be true.
///   - statement: the claim in the prose's words.
///   - values: the numbers it rests on, shown beside it in the book's number format (convert an
///     `Int` with `Double(n)`).
///
/// A verb, like the other functions that show something: it returns nothing, so a block that
/// ends with a claim shows no value after it.
public func claim(_ condition: Bool, _ statement: String, _ values: KeyValuePairs<String, Double> = [:],
                  file: String = #filePath, line: Int = #line) {
    LegendSession.record(Claim(statement: statement, holds: condition,
                               values: values.map { Claim.Value(name: $0.key, value: $0.value) },
                               file: file, line: line))
}
