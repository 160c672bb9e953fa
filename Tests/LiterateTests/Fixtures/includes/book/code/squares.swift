// Squares, for the chapter on includes.
// ANCHOR: square
func square(_ x: Int) -> Int {
    // ANCHOR: body
    x * x
    // ANCHOR_END: body
}
// ANCHOR_END: square
