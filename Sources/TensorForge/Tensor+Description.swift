import Foundation

// Printing in PyTorch's layout, so a chapter's output reads like a PyTorch session:
// four decimals, scientific notation when magnitudes call for it (gradients of 1e-42 must stay
// visible), and "..." for large tensors.

extension Tensor: CustomStringConvertible {
    /// `tensor([[1.0000, 2.0000], …], shape: [2, 2])`, with `requiresGrad: true` when set.
    public var description: String {
        let summarize = count > 1000
        let format = ScalarFormat(values: summarize ? summaryValues() : storage)
        let prefix = "tensor("
        var text = prefix
        if rank == 0 {
            text += format.string(storage[0])
        } else if count == 0 {
            // Nothing to nest, however long the other dimensions: `shape: [1099511627776, 0]`.
            text += "[]"
        } else {
            appendNested(&text, axis: 0, offset: 0, indent: prefix.count, format: format, summarize: summarize)
        }
        text += ", shape: \(shape)"
        if requiresGrad { text += ", requiresGrad: true" }
        return text + ")"
    }

    private func summaryValues() -> [Double] {
        // Enough of the edges to choose a number format.
        Array(storage.prefix(500)) + Array(storage.suffix(500))
    }

    private func appendNested(_ text: inout String, axis: Int, offset: Int, indent: Int, format: ScalarFormat, summarize: Bool) {
        let size = shape[axis]
        let stride = shape[(axis + 1)...].reduce(1, *)
        let edge = 3
        let indices: [Int?] = summarize && size > 2 * edge
            ? Array(0..<edge) + [nil] + Array((size - edge)..<size)
            : Array(0..<size)
        text += "["
        for (position, index) in indices.enumerated() {
            if position > 0 {
                if axis == rank - 1 {
                    text += ", "
                } else {
                    text += "," + String(repeating: "\n", count: rank - axis - 1) + String(repeating: " ", count: indent + axis + 1)
                }
            }
            guard let index else { text += "..."; continue }
            if axis == rank - 1 {
                text += format.string(storage[offset + index])
            } else {
                appendNested(&text, axis: axis + 1, offset: offset + index * stride, indent: indent, format: format, summarize: summarize)
            }
        }
        text += "]"
    }
}

/// One number format for all elements of a tensor, chosen from their magnitudes as PyTorch does.
struct ScalarFormat {
    enum Style { case integer, fixed, scientific }
    let style: Style
    let width: Int

    init(values: [Double]) {
        let finite = values.filter { $0.isFinite }
        let magnitudes = finite.map { Swift.abs($0) }.filter { $0 > 0 }
        let largest = magnitudes.max() ?? 0, smallest = magnitudes.min() ?? 0
        if finite.allSatisfy({ $0 == $0.rounded() }) && largest < 1e8 {
            style = .integer
        } else if largest >= 1e8 || (smallest > 0 && smallest < 1e-4) || (smallest > 0 && largest / smallest > 1000) {
            style = .scientific
        } else {
            style = .fixed
        }
        var w = 0
        let probe = ScalarFormat(style: style, width: 0)
        for v in values { w = Swift.max(w, probe.string(v).count) }
        width = w
    }

    private init(style: Style, width: Int) { self.style = style; self.width = width }

    func string(_ v: Double) -> String {
        let body: String
        if v.isNaN { body = "nan" } else if v.isInfinite { body = v > 0 ? "inf" : "-inf" } else {
            switch style {
            case .integer: body = String(format: "%.0f.", v)
            case .fixed: body = String(format: "%.4f", v)
            case .scientific: body = String(format: "%.4e", v)
            }
        }
        return String(repeating: " ", count: Swift.max(0, width - body.count)) + body
    }
}
