import Foundation

// Multi-head attention and the Transformer encoder. The attention core — scores, masks, softmax,
// dropout on the weights, and the weighted sum of values, for every sequence and head — is one
// recorded operation with a hand-written backward pass. It reads queries, keys and values in
// place from the packed input projection (one `linear` with PyTorch's `in_proj_weight`), one
// small BLAS product per sequence and head, so a self-attention layer records three operations
// (projection, core, output projection) instead of a dozen.

/// Which projection (queries, keys or values) a tensor's columns hold, and where.
private struct Projection {
    /// The tensor holding it, `[N, T, width]` (batch first) or `[T, N, width]`.
    let tensor: Tensor
    /// Its first column in the last dimension.
    let column: Int
    /// Sequence length T.
    let length: Int
}

/// The sizes of one attention call.
private struct AttentionShape {
    let batch: Int, heads: Int, headDim: Int, targetLength: Int, sourceLength: Int, batchFirst: Bool
    var embedDim: Int { heads * headDim }
}

/// What attention weights the core returns besides its output.
private enum WeightsOutput { case none, averaged, perHead }

/// The attention core: softmax(Q·Kᵀ/√d + mask)·V per sequence and head, with dropout on the
/// weights. Output `[N, L, E]` (batch first) or `[L, N, E]`, and the weights (after dropout, as
/// PyTorch returns them) `[N, L, S]` averaged over heads or `[N, H, L, S]`.
private func attentionCore(query: Projection, key: Projection, value: Projection, shape: AttentionShape,
                           masked: [Bool]?, dropout: Double, generator: Generator?, weightsOutput: WeightsOutput) -> [Tensor] {
    let (batch, heads, headDim) = (shape.batch, shape.heads, shape.headDim)
    let (L, S, E) = (shape.targetLength, shape.sourceLength, shape.embedDim)
    var parents: [Tensor] = []
    func parentIndex(_ t: Tensor) -> Int {
        if let i = parents.firstIndex(where: { $0 === t }) { return i }
        parents.append(t)
        return parents.count - 1
    }
    let sources = [query, key, value]
    let owner = sources.map { parentIndex($0.tensor) }
    let widths = sources.map { $0.tensor.shape[$0.tensor.rank - 1] }
    /// Offset of (sequence n, head h, position 0) in a projection, and the distance between positions.
    func place(_ which: Int, _ n: Int, _ h: Int) -> (offset: Int, rowStride: Int) {
        let width = widths[which], length = sources[which].length
        let column = sources[which].column + h * headDim
        return shape.batchFirst ? (n * length * width + column, width) : (n * width + column, batch * width)
    }
    let outRowStride = shape.batchFirst ? E : batch * E
    func outOffset(_ n: Int, _ h: Int) -> Int { (shape.batchFirst ? n * L * E : n * E) + h * headDim }

    let scale = 1 / Double(headDim).squareRoot()
    let pairs = batch * heads, block = L * S
    var probabilities = [Double](repeating: 0, count: pairs * block)   // softmax, before dropout
    let keep: [Double]? = dropout > 0 ? {
        let g = generator ?? defaultGenerator
        let kept = dropout < 1 ? 1 / (1 - dropout) : 0
        return (0..<(pairs * block)).map { _ in g.nextUniform() < dropout ? 0 : kept }
    }() : nil
    var output = [Double](repeating: 0, count: batch * L * E)
    let storages = parents.map(\.storage)
    withPointers(storages) { inputs in
        probabilities.withUnsafeMutableBufferPointer { pp in
            output.withUnsafeMutableBufferPointer { po in
                var row = [Double](repeating: 0, count: block)
                for n in 0..<batch {
                    for h in 0..<heads {
                        let pair = n * heads + h
                        let p = pp.baseAddress! + pair * block
                        let (qOff, qStride) = place(0, n, h), (kOff, kStride) = place(1, n, h)
                        gemm(transB: true, m: L, n: S, k: headDim, inputs[owner[0]] + qOff, lda: qStride,
                             inputs[owner[1]] + kOff, ldb: kStride, p, ldc: S)
                        for l in 0..<L {
                            let scores = p + l * S
                            var largest = -Double.infinity
                            for s in 0..<S {
                                if let masked, masked[pair * block + l * S + s] { scores[s] = -.infinity } else { scores[s] *= scale }
                                largest = Swift.max(largest, scores[s])
                            }
                            var total = 0.0
                            for s in 0..<S { let e = Foundation.exp(scores[s] - largest); scores[s] = e; total += e }
                            for s in 0..<S { scores[s] /= total }
                        }
                        // Dropped-out weights, then the weighted sum of values.
                        let (vOff, vStride) = place(2, n, h)
                        let out = po.baseAddress! + outOffset(n, h)
                        if let keep {
                            row.withUnsafeMutableBufferPointer { r in
                                for i in 0..<block { r[i] = p[i] * keep[pair * block + i] }
                                gemm(m: L, n: headDim, k: S, r.baseAddress!, lda: S, inputs[owner[2]] + vOff, ldb: vStride,
                                     out, ldc: outRowStride)
                            }
                        } else {
                            gemm(m: L, n: headDim, k: S, p, lda: S, inputs[owner[2]] + vOff, ldb: vStride, out, ldc: outRowStride)
                        }
                    }
                }
            }
        }
    }
    let outputShape = shape.batchFirst ? [batch, L, E] : [L, batch, E]
    let parentCounts = parents.map(\.count)
    let needs = parents.map(\.requiresGrad)
    let backward: MultiOutputBackwardFunction = { grads in
        let dOut = grads[0]
        var buffers = parentCounts.map { [Double](repeating: 0, count: $0) }
        var dP = [Double](repeating: 0, count: block), dropped = [Double](repeating: 0, count: block)
        withPointers(storages) { inputs in
            withMutablePointers(&buffers) { outputs in
                probabilities.withUnsafeBufferPointer { pp in
                    dOut.withUnsafeBufferPointer { pg in
                        for n in 0..<batch {
                            for h in 0..<heads {
                                let pair = n * heads + h
                                let p = pp.baseAddress! + pair * block
                                let (qOff, qStride) = place(0, n, h), (kOff, kStride) = place(1, n, h), (vOff, vStride) = place(2, n, h)
                                let g = pg.baseAddress! + outOffset(n, h)
                                // Weights as used (after dropout) and their gradient dP' = dO·Vᵀ (+ from the weights output).
                                dropped.withUnsafeMutableBufferPointer { d in
                                    for i in 0..<block { d[i] = keep.map { p[i] * $0[pair * block + i] } ?? p[i] }
                                }
                                dP.withUnsafeMutableBufferPointer { dp in
                                    gemm(transB: true, m: L, n: S, k: headDim, g, lda: outRowStride,
                                         inputs[owner[2]] + vOff, ldb: vStride, dp.baseAddress!, ldc: S)
                                    if grads.count > 1 {
                                        let dW = grads[1]
                                        switch weightsOutput {
                                        case .averaged:
                                            for i in 0..<block { dp[i] += dW[n * block + i] / Double(heads) }
                                        case .perHead:
                                            for i in 0..<block { dp[i] += dW[pair * block + i] }
                                        case .none: break
                                        }
                                    }
                                    // dV += P'ᵀ·dO
                                    if needs[owner[2]] {
                                        dropped.withUnsafeBufferPointer { d in
                                            gemm(transA: true, m: S, n: headDim, k: L, d.baseAddress!, lda: S, g, ldb: outRowStride,
                                                 beta: 1, outputs[owner[2]] + vOff, ldc: vStride)
                                        }
                                    }
                                    // Through dropout, then softmax: dS = P ⊙ (dP − Σ dP ⊙ P), scaled by 1/√d.
                                    if let keep { for i in 0..<block { dp[i] *= keep[pair * block + i] } }
                                    for l in 0..<L {
                                        var dot = 0.0
                                        for s in 0..<S { dot += dp[l * S + s] * p[l * S + s] }
                                        for s in 0..<S { let i = l * S + s; dp[i] = p[i] * (dp[i] - dot) * scale }
                                    }
                                    if needs[owner[0]] {  // dQ += dS·K
                                        gemm(m: L, n: headDim, k: S, dp.baseAddress!, lda: S, inputs[owner[1]] + kOff, ldb: kStride,
                                             beta: 1, outputs[owner[0]] + qOff, ldc: qStride)
                                    }
                                    if needs[owner[1]] {  // dK += dSᵀ·Q
                                        gemm(transA: true, m: S, n: headDim, k: L, dp.baseAddress!, lda: S, inputs[owner[0]] + qOff,
                                             ldb: qStride, beta: 1, outputs[owner[1]] + kOff, ldc: kStride)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return buffers.enumerated().map { needs[$0.offset] ? $0.element : nil }
    }
    guard weightsOutput != .none else {
        return [Tensor(shape: outputShape, storage: output, parents: parents) { g in backward([g]) }]
    }
    // The weights returned, after dropout: averaged over heads [N, L, S] or per head [N, H, L, S].
    var weights = probabilities
    if let keep { for i in 0..<weights.count { weights[i] *= keep[i] } }
    let weightsShape: [Int]
    if weightsOutput == .averaged {
        var averaged = [Double](repeating: 0, count: batch * block)
        for n in 0..<batch { for h in 0..<heads { for i in 0..<block { averaged[n * block + i] += weights[(n * heads + h) * block + i] } } }
        weights = averaged.map { $0 / Double(heads) }
        weightsShape = [batch, L, S]
    } else {
        weightsShape = [batch, heads, L, S]
    }
    return Tensor.recordOperation(outputs: [(shape: outputShape, storage: output), (shape: weightsShape, storage: weights)], parents: parents, backward: backward)
}

/// Runs `body` with the base addresses of up to a few arrays, read only.
private func withPointers<R>(_ arrays: [[Double]], _ body: ([UnsafePointer<Double>]) -> R) -> R {
    func pin(_ index: Int, _ pointers: [UnsafePointer<Double>]) -> R {
        guard index < arrays.count else { return body(pointers) }
        return arrays[index].withUnsafeBufferPointer { pin(index + 1, pointers + [$0.baseAddress!]) }
    }
    return pin(0, [])
}

/// Runs `body` with the base addresses of up to a few arrays, for writing.
private func withMutablePointers<R>(_ arrays: inout [[Double]], _ body: ([UnsafeMutablePointer<Double>]) -> R) -> R {
    var taken = arrays.map { _ in [Double]() }
    swap(&taken, &arrays)
    defer { swap(&taken, &arrays) }
    // Each array is moved out while pinned, so that pinning the next is no overlapping access.
    func pin(_ index: Int, _ pointers: [UnsafeMutablePointer<Double>]) -> R {
        guard index < taken.count else { return body(pointers) }
        var array: [Double] = []
        swap(&array, &taken[index])
        defer { swap(&array, &taken[index]) }
        return array.withUnsafeMutableBufferPointer { pin(index + 1, pointers + [$0.baseAddress!]) }
    }
    return pin(0, [])
}

/// Multi-head attention, PyTorch's `nn.MultiheadAttention`: queries, keys and values are
/// projected by the packed `in_proj_weight` `[3E, E]` and `in_proj_bias` `[3E]`, split into
/// `numHeads` heads of E/numHeads, attended, and recombined by `out_proj`. Initialisation as
/// PyTorch's: Xavier-uniform `in_proj_weight`, zero biases, `out_proj.weight` as a `Linear`'s.
///
/// Masks follow PyTorch's boolean masks: a nonzero entry (true, or −∞ in an additive mask of
/// 0 and −∞) hides that key from that query.
///
/// ```swift
/// let attention = MultiheadAttention(embedDim: 64, numHeads: 4, batchFirst: true)
/// let x = Tensor.randn(16, 32, 64)                         // [batch, sequence, embedding]
/// let (y, weights) = attention(x, x, x)                    // y [16, 32, 64], weights [16, 32, 32]
/// ```
public final class MultiheadAttention: Module {
    /// Embedding size E (model width).
    public let embedDim: Int
    /// Number of heads; each sees E/numHeads dimensions.
    public let numHeads: Int
    /// Dropout probability on the attention weights (in training).
    public let dropout: Double
    /// Whether inputs are `[batch, sequence, E]` (true) or `[sequence, batch, E]` (PyTorch's default).
    public let batchFirst: Bool
    /// `[3E, E]`: the query, key and value projections stacked.
    public let inProjWeight: Tensor
    /// `[3E]`, or nil when built with `bias: false`.
    public let inProjBias: Tensor?
    /// The output projection, `Linear(E, E)` (its bias starts at zero).
    public let outProj: Linear
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true
    private let generator: Generator?

    /// `MultiheadAttention(embedDim: 64, numHeads: 4, dropout: 0.1, batchFirst: true)`.
    public init(embedDim: Int, numHeads: Int, dropout: Double = 0, bias: Bool = true, batchFirst: Bool = false,
                generator: Generator? = nil) {
        require(numHeads > 0 && embedDim % numHeads == 0, "MultiheadAttention: embedDim \(embedDim) must be divisible by numHeads \(numHeads).")
        require(dropout >= 0 && dropout <= 1, "MultiheadAttention: dropout must be in [0, 1], got \(dropout).")
        (self.embedDim, self.numHeads, self.dropout, self.batchFirst, self.generator) = (embedDim, numHeads, dropout, batchFirst, generator)
        inProjWeight = Tensor.zeros(3 * embedDim, embedDim)
        Init.xavierUniform(inProjWeight, generator: generator)
        inProjWeight.requiresGrad = true
        inProjBias = bias ? Tensor.zeros([3 * embedDim], requiresGrad: true) : nil
        outProj = Linear(embedDim, embedDim, bias: bias, generator: generator)
        outProj.bias?.fill(0)
    }

    /// `MultiheadAttention(64, 4)`, PyTorch's positional order.
    public convenience init(_ embedDim: Int, _ numHeads: Int, dropout: Double = 0, bias: Bool = true, batchFirst: Bool = false,
                            generator: Generator? = nil) {
        self.init(embedDim: embedDim, numHeads: numHeads, dropout: dropout, bias: bias, batchFirst: batchFirst, generator: generator)
    }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("in_proj_weight", inProjWeight)] + (inProjBias.map { [("in_proj_bias", $0)] } ?? [])
    }
    public var children: [(name: String, module: any Module)] { [("out_proj", outProj)] }

    /// Self-attention: `attention(x)` is `attention(x, x, x)`.
    public func callAsFunction(_ input: Tensor) -> (output: Tensor, weights: Tensor?) {
        self(input, input, input)
    }

    /// Attention of `query` `[N, L, E]` over `key`/`value` `[N, S, E]` (sequence first unless
    /// `batchFirst`; `[L, E]` and `[S, E]` unbatched). Returns the output, shaped as `query`, and,
    /// with `needWeights`, the attention weights `[N, L, S]` (averaged over heads) or
    /// `[N, H, L, S]`.
    ///
    /// - Parameters:
    ///   - keyPaddingMask: `[N, S]`; nonzero marks a key to ignore (padding).
    ///   - attnMask: `[L, S]` or `[N·H, L, S]`; nonzero hides key s from query l.
    ///   - isCausal: hides every later key from each query (the causal mask).
    public func callAsFunction(_ query: Tensor, _ key: Tensor, _ value: Tensor, keyPaddingMask: Tensor? = nil,
                               needWeights: Bool = true, attnMask: Tensor? = nil, averageAttnWeights: Bool = true,
                               isCausal: Bool = false) -> (output: Tensor, weights: Tensor?) {
        if query.rank == 2 {
            require(key.rank == 2 && value.rank == 2, "MultiheadAttention: unbatched query \(query.shape) needs unbatched key and value, got \(key.shape) and \(value.shape).")
            let batchDim = batchFirst ? 0 : 1
            let (output, weights) = self(query.unsqueeze(batchDim), key.unsqueeze(batchDim), value.unsqueeze(batchDim),
                                         keyPaddingMask: keyPaddingMask?.unsqueeze(0), needWeights: needWeights,
                                         attnMask: attnMask, averageAttnWeights: averageAttnWeights, isCausal: isCausal)
            return (output.squeeze(batchDim), weights?.squeeze(0))
        }
        let E = embedDim
        require(query.rank == 3 && key.rank == 3 && value.rank == 3 && query.shape[2] == E && key.shape[2] == E && value.shape[2] == E,
                "MultiheadAttention(\(E), \(numHeads)): query, key and value must be \(batchFirst ? "[batch, sequence, \(E)]" : "[sequence, batch, \(E)]"), got \(query.shape), \(key.shape), \(value.shape).")
        let (batchAxis, sequenceAxis) = batchFirst ? (0, 1) : (1, 0)
        let batch = query.shape[batchAxis], L = query.shape[sequenceAxis], S = key.shape[sequenceAxis]
        require(key.shape == value.shape && key.shape[batchAxis] == batch,
                "MultiheadAttention: key \(key.shape) and value \(value.shape) must have the same shape, with query's batch size \(batch).")
        let shape = AttentionShape(batch: batch, heads: numHeads, headDim: E / numHeads, targetLength: L, sourceLength: S,
                                   batchFirst: batchFirst)
        let masked = combinedMask(shape, keyPaddingMask: keyPaddingMask, attnMask: attnMask, isCausal: isCausal)
        // Projections: one product when it is self-attention, else one per input with rows of the packed weight.
        let q: Projection, k: Projection, v: Projection
        if query === key && key === value {
            let qkv = linear(query, weight: inProjWeight, bias: inProjBias)
            (q, k, v) = (Projection(tensor: qkv, column: 0, length: L), Projection(tensor: qkv, column: E, length: S),
                         Projection(tensor: qkv, column: 2 * E, length: S))
        } else {
            func project(_ x: Tensor, _ part: Int, _ length: Int) -> Projection {
                let rows = (part * E)..<((part + 1) * E)
                let y = linear(x, weight: inProjWeight.narrow(dim: 0, range: rows), bias: inProjBias?.narrow(dim: 0, range: rows))
                return Projection(tensor: y, column: 0, length: length)
            }
            (q, k, v) = (project(query, 0, L), project(key, 1, S), project(value, 2, S))
        }
        let outputs = attentionCore(query: q, key: k, value: v, shape: shape, masked: masked,
                                    dropout: isTraining ? dropout : 0, generator: generator,
                                    weightsOutput: needWeights ? (averageAttnWeights ? .averaged : .perHead) : .none)
        return (outProj(outputs[0]), outputs.count > 1 ? outputs[1] : nil)
    }

    /// One flag per (sequence, head, query, key): true where the key is hidden. Nil without masks.
    private func combinedMask(_ shape: AttentionShape, keyPaddingMask: Tensor?, attnMask: Tensor?, isCausal: Bool) -> [Bool]? {
        guard keyPaddingMask != nil || attnMask != nil || isCausal else { return nil }
        let (N, H, L, S) = (shape.batch, shape.heads, shape.targetLength, shape.sourceLength)
        if let keyPaddingMask {
            require(keyPaddingMask.shape == [N, S], "MultiheadAttention: keyPaddingMask must be [\(N), \(S)] (batch, keys), got \(keyPaddingMask.shape).")
        }
        if let attnMask {
            require(attnMask.shape == [L, S] || attnMask.shape == [N * H, L, S],
                    "MultiheadAttention: attnMask must be [\(L), \(S)] or [\(N * H), \(L), \(S)], got \(attnMask.shape).")
        }
        let padding = keyPaddingMask?.storage, attention = attnMask?.storage
        let perHead = attnMask?.rank == 3
        var masked = [Bool](repeating: false, count: N * H * L * S)
        for n in 0..<N {
            for h in 0..<H {
                let base = (n * H + h) * L * S
                for l in 0..<L {
                    for s in 0..<S {
                        var hidden = isCausal && s > l
                        if let padding, padding[n * S + s] != 0 { hidden = true }
                        if let attention, attention[(perHead ? (n * H + h) * L * S : 0) + l * S + s] != 0 { hidden = true }
                        masked[base + l * S + s] = hidden
                    }
                }
            }
        }
        return masked
    }
}

/// The non-linearity inside a Transformer layer's feed-forward block.
public enum TransformerActivation: Sendable {
    /// max(0, x) (PyTorch's default).
    case relu
    /// Exact GELU.
    case gelu
}

/// One Transformer encoder layer, PyTorch's `nn.TransformerEncoderLayer`: self-attention and a
/// feed-forward block (`linear1` → activation → dropout → `linear2`), each with dropout, a
/// residual connection and LayerNorm — after the residual (Post-LN, the default) or, with
/// `normFirst`, before the block (Pre-LN). State-dict keys are PyTorch's (`self_attn.in_proj_weight`,
/// `linear1.weight`, `norm1.bias`, …).
///
/// ```swift
/// let layer = TransformerEncoderLayer(dModel: 64, nhead: 4, dimFeedforward: 256, batchFirst: true)
/// layer(Tensor.randn(16, 32, 64)).shape   // [16, 32, 64]
/// ```
public final class TransformerEncoderLayer: Module {
    /// The self-attention block.
    public let selfAttn: MultiheadAttention
    /// First feed-forward layer, dModel → dimFeedforward.
    public let linear1: Linear
    /// Dropout inside the feed-forward block.
    public let dropout: Dropout
    /// Second feed-forward layer, dimFeedforward → dModel.
    public let linear2: Linear
    /// LayerNorm of the attention block.
    public let norm1: LayerNorm
    /// LayerNorm of the feed-forward block.
    public let norm2: LayerNorm
    /// Dropout on the attention block's output.
    public let dropout1: Dropout
    /// Dropout on the feed-forward block's output.
    public let dropout2: Dropout
    /// The feed-forward non-linearity.
    public let activation: TransformerActivation
    /// Pre-LN (true) or Post-LN (false, PyTorch's default).
    public let normFirst: Bool
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true
    private let layerNormEps: Double

    /// `TransformerEncoderLayer(dModel: 512, nhead: 8)`, with PyTorch's defaults (feed-forward
    /// 2048, dropout 0.1, ReLU, Post-LN, sequence first).
    public init(dModel: Int, nhead: Int, dimFeedforward: Int = 2048, dropout: Double = 0.1,
                activation: TransformerActivation = .relu, layerNormEps: Double = 1e-5, batchFirst: Bool = false,
                normFirst: Bool = false, generator: Generator? = nil) {
        selfAttn = MultiheadAttention(embedDim: dModel, numHeads: nhead, dropout: dropout, batchFirst: batchFirst, generator: generator)
        linear1 = Linear(dModel, dimFeedforward, generator: generator)
        self.dropout = Dropout(dropout, generator: generator)
        linear2 = Linear(dimFeedforward, dModel, generator: generator)
        norm1 = LayerNorm(dModel, eps: layerNormEps)
        norm2 = LayerNorm(dModel, eps: layerNormEps)
        dropout1 = Dropout(dropout, generator: generator)
        dropout2 = Dropout(dropout, generator: generator)
        (self.activation, self.normFirst, self.layerNormEps) = (activation, normFirst, layerNormEps)
    }

    /// Model width.
    public var dModel: Int { selfAttn.embedDim }
    /// Number of attention heads.
    public var nhead: Int { selfAttn.numHeads }
    /// Width of the feed-forward block.
    public var dimFeedforward: Int { linear1.weight.shape[0] }
    /// Whether inputs are `[batch, sequence, dModel]`.
    public var batchFirst: Bool { selfAttn.batchFirst }

    public var ownParameters: [(name: String, tensor: Tensor)] { [] }
    public var children: [(name: String, module: any Module)] {
        [("self_attn", selfAttn), ("linear1", linear1), ("dropout", dropout), ("linear2", linear2),
         ("norm1", norm1), ("norm2", norm2), ("dropout1", dropout1), ("dropout2", dropout2)]
    }

    /// A layer built the same way with the same parameter values (what PyTorch's
    /// `TransformerEncoder` deep-copies).
    public func copy() -> TransformerEncoderLayer {
        let layer = TransformerEncoderLayer(dModel: dModel, nhead: nhead, dimFeedforward: dimFeedforward, dropout: dropout.p,
                                            activation: activation, layerNormEps: layerNormEps, batchFirst: batchFirst,
                                            normFirst: normFirst, generator: Generator(seed: 0))
        for ((_, target), (_, source)) in zip(layer.namedState, namedState) { target.storage = source.storage }
        layer.train(isTraining)
        return layer
    }

    /// Runs the layer on `src` without masks.
    public func callAsFunction(_ src: Tensor) -> Tensor { self(src, srcMask: nil) }

    /// Runs the layer on `src` (`[N, S, E]` with `batchFirst`, else `[S, N, E]`); `srcMask` and
    /// `srcKeyPaddingMask` as `MultiheadAttention`'s `attnMask` and `keyPaddingMask`.
    public func callAsFunction(_ src: Tensor, srcMask: Tensor?, srcKeyPaddingMask: Tensor? = nil, isCausal: Bool = false) -> Tensor {
        func attentionBlock(_ x: Tensor) -> Tensor {
            dropout1(selfAttn(x, x, x, keyPaddingMask: srcKeyPaddingMask, needWeights: false, attnMask: srcMask, isCausal: isCausal).output)
        }
        func feedForwardBlock(_ x: Tensor) -> Tensor {
            let hidden = linear1(x)
            return dropout2(linear2(dropout(activation == .relu ? hidden.relu() : hidden.gelu())))
        }
        if normFirst {
            let x = src + attentionBlock(norm1(src))
            return x + feedForwardBlock(norm2(x))
        }
        let x = norm1(src + attentionBlock(src))
        return norm2(x + feedForwardBlock(x))
    }
}

/// A stack of `numLayers` copies of one encoder layer, PyTorch's `nn.TransformerEncoder`, with
/// an optional final LayerNorm; keys `layers.0.self_attn.in_proj_weight`, …, `norm.weight`. As in
/// PyTorch, the copies start with the same parameter values.
///
/// ```swift
/// let encoder = TransformerEncoder(TransformerEncoderLayer(dModel: 64, nhead: 4, batchFirst: true), numLayers: 2)
/// ```
public final class TransformerEncoder: Module {
    /// The layers, in order.
    public let layers: ModuleList
    /// LayerNorm applied after the last layer, or nil.
    public let norm: LayerNorm?
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true
    private let stack: [TransformerEncoderLayer]

    /// `numLayers` copies of `encoderLayer`, then `norm` if given.
    public init(_ encoderLayer: TransformerEncoderLayer, numLayers: Int, norm: LayerNorm? = nil) {
        require(numLayers >= 1, "TransformerEncoder: numLayers must be at least 1, got \(numLayers).")
        stack = (0..<numLayers).map { _ in encoderLayer.copy() }
        layers = ModuleList(stack)
        self.norm = norm
    }

    /// `TransformerEncoder(encoderLayer: layer, numLayers: 6)`, PyTorch's argument names.
    public convenience init(encoderLayer: TransformerEncoderLayer, numLayers: Int, norm: LayerNorm? = nil) {
        self.init(encoderLayer, numLayers: numLayers, norm: norm)
    }

    public var ownParameters: [(name: String, tensor: Tensor)] { [] }
    public var children: [(name: String, module: any Module)] {
        [("layers", layers as any Module)] + (norm.map { [("norm", $0 as any Module)] } ?? [])
    }

    /// Runs every layer on `src` without masks, then the final norm.
    public func callAsFunction(_ src: Tensor) -> Tensor { self(src, mask: nil) }

    /// Runs every layer with the same masks, then the final norm.
    public func callAsFunction(_ src: Tensor, mask: Tensor?, srcKeyPaddingMask: Tensor? = nil, isCausal: Bool = false) -> Tensor {
        let output = stack.reduce(src) { x, layer in layer(x, srcMask: mask, srcKeyPaddingMask: srcKeyPaddingMask, isCausal: isCausal) }
        return norm.map { $0(output) } ?? output
    }
}
