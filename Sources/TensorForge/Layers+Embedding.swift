import Foundation

/// A lookup table of learned vectors, PyTorch's `nn.Embedding`: index i gives row i of
/// `weight` `[numEmbeddings, embeddingDim]`, which starts as N(0, 1) samples. The row at
/// `paddingIdx` starts at zero and receives no gradient.
///
/// ```swift
/// let embedding = Embedding(1000, 64)
/// let tokens = Tensor([[3, 14, 15], [9, 2, 6]])   // whole numbers, [batch, sequence]
/// embedding(tokens).shape                          // [2, 3, 64]
/// ```
public final class Embedding: Module, LeafModule {
    /// `[numEmbeddings, embeddingDim]`.
    public let weight: Tensor
    /// The row that stays fixed (normalised to 0..<numEmbeddings), or nil.
    public let paddingIdx: Int?
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// `Embedding(1000, 64)`, `Embedding(10, 4, paddingIdx: 0)`.
    public init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIdx: Int? = nil, generator: Generator? = nil) {
        require(numEmbeddings >= 0 && embeddingDim >= 0, "Embedding: sizes must be non-negative, got \(numEmbeddings) × \(embeddingDim).")
        weight = Tensor.randn([numEmbeddings, embeddingDim], generator: generator)
        self.paddingIdx = Embedding.resolvedPadding(paddingIdx, numEmbeddings)
        if let row = self.paddingIdx {
            for j in 0..<embeddingDim { weight.storage[row * embeddingDim + j] = 0 }
        }
        weight.requiresGrad = true
    }

    /// `Embedding(numEmbeddings: 1000, embeddingDim: 64)`, PyTorch's argument names.
    public convenience init(numEmbeddings: Int, embeddingDim: Int, paddingIdx: Int? = nil, generator: Generator? = nil) {
        self.init(numEmbeddings, embeddingDim, paddingIdx: paddingIdx, generator: generator)
    }

    /// A table holding `embeddings` `[n, dim]` (copied), frozen unless `freeze` is false, as
    /// PyTorch's `Embedding.from_pretrained`.
    public static func fromPretrained(_ embeddings: Tensor, freeze: Bool = true, paddingIdx: Int? = nil) -> Embedding {
        require(embeddings.rank == 2, "Embedding.fromPretrained: embeddings must be [n, dim], got \(embeddings.shape).")
        let table = Tensor(scalars: embeddings.storage, shape: embeddings.shape, requiresGrad: !freeze)
        return Embedding(table: table, paddingIdx: resolvedPadding(paddingIdx, embeddings.shape[0]))
    }

    private init(table: Tensor, paddingIdx: Int?) { (weight, self.paddingIdx) = (table, paddingIdx) }

    private static func resolvedPadding(_ index: Int?, _ count: Int) -> Int? {
        guard let index else { return nil }
        require(index >= -count && index < count, "Embedding: paddingIdx \(index) must be within the table's \(count) rows.")
        return index < 0 ? index + count : index
    }

    /// Rows in the table.
    public var numEmbeddings: Int { weight.shape[0] }
    /// Length of each vector.
    public var embeddingDim: Int { weight.shape[1] }

    public var ownParameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }

    /// The rows named by `indices` (whole numbers of any shape): output `indices.shape + [embeddingDim]`.
    public func callAsFunction(_ indices: Tensor) -> Tensor {
        embedding(indices, weight: weight, paddingIdx: paddingIdx)
    }
}

/// Rows of `weight` picked by `indices` (PyTorch's `F.embedding`); the row `paddingIdx`, if any,
/// receives no gradient.
public func embedding(_ indices: Tensor, weight: Tensor, paddingIdx: Int? = nil) -> Tensor {
    require(weight.rank == 2, "embedding: weight must be [numEmbeddings, embeddingDim], got \(weight.shape).")
    let (rows, dim) = (weight.shape[0], weight.shape[1])
    let picked = indices.storage.map { value -> Int in
        let index = Int(exactly: value) ?? -1
        require(index >= 0 && index < rows, "embedding: index \(value) is not a whole number in 0..<\(rows).")
        return index
    }
    var values = [Double](repeating: 0, count: picked.count * dim)
    weight.storage.withUnsafeBufferPointer { w in
        values.withUnsafeMutableBufferPointer { out in
            for (position, row) in picked.enumerated() {
                (out.baseAddress! + position * dim).update(from: w.baseAddress! + row * dim, count: dim)
            }
        }
    }
    return Tensor(shape: indices.shape + [dim], storage: values, parents: [weight]) { g in
        var dw = [Double](repeating: 0, count: rows * dim)
        for (position, row) in picked.enumerated() where row != paddingIdx {
            for j in 0..<dim { dw[row * dim + j] += g[position * dim + j] }
        }
        return [dw]
    }
}
