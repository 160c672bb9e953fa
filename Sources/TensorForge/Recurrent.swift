import Foundation

// Recurrent layers. Each layer runs its whole sequence as one recorded operation with a
// hand-written backward pass (backpropagation through time): the input projection for all time
// steps is one large matrix product, each step adds one product with the recurrent weights, and
// the weight gradients are again one large product each. This is what makes the engine fast on
// RNNs compared with recording a dozen small operations per step.

/// The arrays one kernel call works on, handed to its loops as base addresses all at once — in
/// place of a `withUnsafe…BufferPointer` closure per array. An array is lent for reading, or
/// moved in for writing (zeros, or values to update) and moved out again by `take`; nothing is
/// copied.
private struct Scratch {
    /// An array lent for reading.
    struct Input { fileprivate let index: Int }
    /// An array the kernel writes.
    struct Output { fileprivate let index: Int }

    /// The base addresses, valid inside `withAddresses`.
    struct Addresses {
        fileprivate let pointers: [UnsafeMutablePointer<Double>]
        subscript(array: Input) -> UnsafePointer<Double> { UnsafePointer(pointers[array.index]) }
        subscript(array: Output) -> UnsafeMutablePointer<Double> { pointers[array.index] }
    }

    private var arrays: [[Double]] = []
    private var isOutput: [Bool] = []

    mutating func reading(_ array: [Double]) -> Input { Input(index: add(array, isOutput: false)) }
    mutating func writing(_ array: [Double]) -> Output { Output(index: add(array, isOutput: true)) }
    mutating func zeros(_ count: Int) -> Output { writing([Double](repeating: 0, count: count)) }

    /// A written array, moved out.
    mutating func take(_ array: Output) -> [Double] {
        var taken: [Double] = []
        swap(&taken, &arrays[array.index])
        return taken
    }

    mutating func withAddresses<R>(_ body: (Addresses) -> R) -> R { pin(from: 0, [], body) }

    private mutating func add(_ array: [Double], isOutput: Bool) -> Int {
        arrays.append(array)
        self.isOutput.append(isOutput)
        return arrays.count - 1
    }

    /// Pins `arrays[index...]` one inside the other, then runs `body`. A pinned array is out of
    /// `arrays`, so it has one owner and writing it copies nothing.
    private mutating func pin<R>(from index: Int, _ pointers: [UnsafeMutablePointer<Double>],
                                 _ body: (Addresses) -> R) -> R {
        guard index < arrays.count else { return body(Addresses(pointers: pointers)) }
        var array: [Double] = []
        swap(&array, &arrays[index])
        defer { swap(&array, &arrays[index]) }
        if isOutput[index] {
            return array.withUnsafeMutableBufferPointer { pin(from: index + 1, pointers + [$0.baseAddress!], body) }
        }
        return array.withUnsafeBufferPointer {
            pin(from: index + 1, pointers + [UnsafeMutablePointer(mutating: $0.baseAddress!)], body)
        }
    }
}

/// Adds `bias1 + bias2` to every row of a rows×columns buffer.
private func addBiases(_ buffer: UnsafeMutablePointer<Double>, rows: Int, _ bias1: [Double], _ bias2: [Double]?) {
    let columns = bias1.count
    var combined = bias1
    if let bias2 { combined.addInPlace(bias2) }
    combined.withUnsafeBufferPointer { b in
        for r in 0..<rows { let row = buffer + r * columns; for j in 0..<columns { row[j] += b[j] } }
    }
}

/// What one recurrent layer reads: its input sequence `[T, B, I]`, its initial state(s) `[B, H]`
/// and its weights.
private struct LayerInputs {
    let input: Tensor, h0: Tensor
    /// An LSTM's initial cell state (nil for RNN and GRU).
    let c0: Tensor?
    let weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor

    /// Layer `k` of a stack, from its initial states: the hidden state, then an LSTM's cell state.
    init(input: Tensor, initialStates: [Tensor], weights: RecurrentWeights, layer k: Int) {
        (self.input, h0, c0) = (input, initialStates[0], initialStates.dropFirst().first)
        (weightIH, weightHH, biasIH, biasHH) = (weights.weightIH[k], weights.weightHH[k], weights.biasIH[k], weights.biasHH[k])
    }

    /// The order in which the layer's operation records its inputs and returns their gradients.
    var parents: [Tensor] { [input, h0] + (c0.map { [$0] } ?? []) + [weightIH, weightHH, biasIH, biasHH] }
    var shape: SequenceShape {
        SequenceShape(steps: input.shape[0], batch: input.shape[1], inputSize: input.shape[2], hiddenSize: weightHH.shape[1])
    }
}

/// Which inputs of a layer want a gradient, read when the layer runs.
private struct GradientNeeds {
    let input, h0, c0, weightIH, weightHH, biasIH, biasHH: Bool

    init(_ inputs: LayerInputs) {
        input = inputs.input.requiresGrad; h0 = inputs.h0.requiresGrad; c0 = inputs.c0?.requiresGrad ?? false
        weightIH = inputs.weightIH.requiresGrad; weightHH = inputs.weightHH.requiresGrad
        biasIH = inputs.biasIH.requiresGrad; biasHH = inputs.biasHH.requiresGrad
    }
}

/// Shapes shared by the three recurrent kernels.
private struct SequenceShape {
    let steps: Int, batch: Int, inputSize: Int, hiddenSize: Int
    var rows: Int { steps * batch }
    var stateCount: Int { batch * hiddenSize }
}

/// dW = Σ_t dGₜᵀ·h_{t−1}, with h_{−1} = h0: two products, no copy of the shifted sequence.
private func recurrentWeightGradient(_ dG: [Double], gateWidth: Int, h0: [Double], hs: [Double], _ s: SequenceShape) -> [Double] {
    var scratch = Scratch()
    let gates = scratch.reading(dG), initial = scratch.reading(h0), hiddens = scratch.reading(hs)
    let dW = scratch.zeros(gateWidth * s.hiddenSize)
    scratch.withAddresses { a in
        gemm(transA: true, m: gateWidth, n: s.hiddenSize, k: s.batch, a[gates], lda: gateWidth,
             a[initial], ldb: s.hiddenSize, a[dW], ldc: s.hiddenSize)
        if s.steps > 1 {
            gemm(transA: true, m: gateWidth, n: s.hiddenSize, k: (s.steps - 1) * s.batch,
                 a[gates] + s.batch * gateWidth, lda: gateWidth,
                 a[hiddens], ldb: s.hiddenSize, beta: 1, a[dW], ldc: s.hiddenSize)
        }
    }
    return scratch.take(dW)
}

/// The gradients every recurrent layer shares once the per-step gate gradients dG are known.
private func inputSideGradients(_ dG: [Double], gateWidth: Int, x: [Double], wih: [Double], _ s: SequenceShape,
                                needX: Bool, needW: Bool, needB: Bool) -> (dx: [Double]?, dW: [Double]?, db: [Double]?) {
    (needX ? matrixProduct(dG, wih, m: s.rows, n: s.inputSize, k: gateWidth) : nil,
     needW ? matrixProduct(dG, x, m: gateWidth, n: s.inputSize, k: s.rows, transA: true) : nil,
     needB ? columnSums(dG, rows: s.rows, columns: gateWidth) : nil)
}

// MARK: - LSTM kernel

/// One LSTM layer over a sequence `[T, B, I]`, gates in PyTorch's order i, f, g, o.
/// Returns the hidden states `[T, B, H]` and the final cell state `[B, H]`.
private func lstmLayer(_ inputs: LayerInputs) -> (output: Tensor, cellState: Tensor) {
    guard let c0 = inputs.c0 else { requirementFailed("Internal error: an LSTM layer without an initial cell state.") }
    let s = inputs.shape, H = s.hiddenSize, G = 4 * H
    let x = inputs.input.storage, wih = inputs.weightIH.storage, whh = inputs.weightHH.storage
    let h0v = inputs.h0.storage, c0v = c0.storage
    var forward = Scratch()
    let gates = forward.writing(matrixProduct(x, wih, m: s.rows, n: G, k: s.inputSize, transB: true))
    let hs = forward.zeros(s.rows * H), cs = forward.zeros(s.rows * H), tanhCs = forward.zeros(s.rows * H)
    let recurrentWeight = forward.reading(whh), initialHidden = forward.reading(h0v), initialCell = forward.reading(c0v)
    forward.withAddresses { a in
        let pGates = a[gates], pH = a[hs], pC = a[cs], pTC = a[tanhCs]
        let pW = a[recurrentWeight], pH0 = a[initialHidden], pC0 = a[initialCell]
        addBiases(pGates, rows: s.rows, inputs.biasIH.storage, inputs.biasHH.storage)
        for t in 0..<s.steps {
            let stepGates = pGates + t * s.batch * G
            let hPrev = t == 0 ? pH0 : UnsafePointer(pH + (t - 1) * s.stateCount)
            let cPrev = t == 0 ? pC0 : UnsafePointer(pC + (t - 1) * s.stateCount)
            gemm(transB: true, m: s.batch, n: G, k: H, hPrev, lda: H, pW, ldb: H, beta: 1, stepGates, ldc: G)
            for b in 0..<s.batch {
                let row = stepGates + b * G
                let state = t * s.stateCount + b * H
                for j in 0..<H {
                    let i = logistic(row[j]), f = logistic(row[H + j])
                    let g = hyperbolicTangent(row[2 * H + j]), o = logistic(row[3 * H + j])
                    row[j] = i; row[H + j] = f; row[2 * H + j] = g; row[3 * H + j] = o
                    let c = f * cPrev[b * H + j] + i * g
                    let tc = hyperbolicTangent(c)
                    pC[state + j] = c; pTC[state + j] = tc; pH[state + j] = o * tc
                }
            }
        }
    }
    let activations = forward.take(gates), cells = forward.take(cs), tanhCells = forward.take(tanhCs)
    let hiddens = forward.take(hs)
    let needs = GradientNeeds(inputs)
    let lastCell = Array(cells[((s.steps - 1) * s.stateCount)...])
    let outputs = Tensor.recordOperation(outputs: [([s.steps, s.batch, H], hiddens), ([s.batch, H], lastCell)],
                                         parents: inputs.parents) { outputGrads in
        var backward = Scratch()
        let dG = backward.zeros(s.rows * G), dh = backward.zeros(s.stateCount), dc = backward.writing(outputGrads[1])
        let gOut = backward.reading(outputGrads[0]), gateValues = backward.reading(activations)
        let cellValues = backward.reading(cells), tanhCellValues = backward.reading(tanhCells)
        let initialCell = backward.reading(c0v), recurrentWeight = backward.reading(whh)
        backward.withAddresses { a in
            let pdG = a[dG], pdh = a[dh], pdc = a[dc], pgOut = a[gOut]
            let pA = a[gateValues], pC = a[cellValues], pTC = a[tanhCellValues], pC0 = a[initialCell], pW = a[recurrentWeight]
            for t in stride(from: s.steps - 1, through: 0, by: -1) {
                for b in 0..<s.batch {
                    let row = pA + (t * s.batch + b) * G
                    let dRow = pdG + (t * s.batch + b) * G
                    let state = t * s.stateCount + b * H
                    let cPrev = t == 0 ? pC0 + b * H : pC + (state - s.stateCount)
                    for j in 0..<H {
                        let i = row[j], f = row[H + j], g = row[2 * H + j], o = row[3 * H + j]
                        let tc = pTC[state + j]
                        let dhTotal = pgOut[state + j] + pdh[b * H + j]
                        let dcTotal = pdc[b * H + j] + dhTotal * o * (1 - tc * tc)
                        dRow[j] = dcTotal * g * i * (1 - i)
                        dRow[H + j] = dcTotal * cPrev[j] * f * (1 - f)
                        dRow[2 * H + j] = dcTotal * i * (1 - g * g)
                        dRow[3 * H + j] = dhTotal * tc * o * (1 - o)
                        pdc[b * H + j] = dcTotal * f
                    }
                }
                // dh_{t−1} = dGₜ · W_hh
                gemm(m: s.batch, n: H, k: G, UnsafePointer(pdG + t * s.batch * G), lda: G, pW, ldb: H, pdh, ldc: H)
            }
        }
        let gateGrads = backward.take(dG)
        let (dx, dWih, db) = inputSideGradients(gateGrads, gateWidth: G, x: x, wih: wih, s,
                                                needX: needs.input, needW: needs.weightIH, needB: needs.biasIH || needs.biasHH)
        let dWhh = needs.weightHH ? recurrentWeightGradient(gateGrads, gateWidth: G, h0: h0v, hs: hiddens, s) : nil
        // b_ih and b_hh enter the gates as a sum, so they share a gradient.
        return [dx, needs.h0 ? backward.take(dh) : nil, needs.c0 ? backward.take(dc) : nil, dWih, dWhh, db, db]
    }
    return (outputs[0], outputs[1])
}

// MARK: - Elman RNN kernel

/// One RNN layer: hₜ = act(xₜ·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh) over `[T, B, I]`.
private func rnnLayer(_ inputs: LayerInputs, relu: Bool) -> Tensor {
    let s = inputs.shape, H = s.hiddenSize
    let x = inputs.input.storage, wih = inputs.weightIH.storage, whh = inputs.weightHH.storage, h0v = inputs.h0.storage
    var forward = Scratch()
    let hs = forward.writing(matrixProduct(x, wih, m: s.rows, n: H, k: s.inputSize, transB: true))
    let recurrentWeight = forward.reading(whh), initialHidden = forward.reading(h0v)
    forward.withAddresses { a in
        let pH = a[hs], pW = a[recurrentWeight], pH0 = a[initialHidden]
        addBiases(pH, rows: s.rows, inputs.biasIH.storage, inputs.biasHH.storage)
        for t in 0..<s.steps {
            let step = pH + t * s.stateCount
            let hPrev = t == 0 ? pH0 : UnsafePointer(step - s.stateCount)
            gemm(transB: true, m: s.batch, n: H, k: H, hPrev, lda: H, pW, ldb: H, beta: 1, step, ldc: H)
            if relu {
                for k in 0..<s.stateCount { step[k] = Swift.max(step[k], 0) }
            } else {
                for k in 0..<s.stateCount { step[k] = hyperbolicTangent(step[k]) }
            }
        }
    }
    let hiddens = forward.take(hs)
    let needs = GradientNeeds(inputs)
    return Tensor(shape: [s.steps, s.batch, H], storage: hiddens, parents: inputs.parents) { gOut in
        var backward = Scratch()
        let dPre = backward.zeros(s.rows * H), dh = backward.zeros(s.stateCount)
        let outputGrad = backward.reading(gOut), hiddenValues = backward.reading(hiddens), recurrentWeight = backward.reading(whh)
        backward.withAddresses { a in
            let pd = a[dPre], pdh = a[dh], pg = a[outputGrad], pH = a[hiddenValues], pW = a[recurrentWeight]
            for t in stride(from: s.steps - 1, through: 0, by: -1) {
                let offset = t * s.stateCount
                for k in 0..<s.stateCount {
                    let h = pH[offset + k], d = pg[offset + k] + pdh[k]
                    pd[offset + k] = relu ? (h > 0 ? d : 0) : d * (1 - h * h)
                }
                gemm(m: s.batch, n: H, k: H, UnsafePointer(pd + offset), lda: H, pW, ldb: H, pdh, ldc: H)
            }
        }
        let preactivationGrads = backward.take(dPre)
        let (dx, dWih, db) = inputSideGradients(preactivationGrads, gateWidth: H, x: x, wih: wih, s,
                                                needX: needs.input, needW: needs.weightIH, needB: needs.biasIH || needs.biasHH)
        let dWhh = needs.weightHH ? recurrentWeightGradient(preactivationGrads, gateWidth: H, h0: h0v, hs: hiddens, s) : nil
        return [dx, needs.h0 ? backward.take(dh) : nil, dWih, dWhh, db, db]
    }
}

// MARK: - GRU kernel

/// One GRU layer, gates in PyTorch's order r, z, n:
/// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(…), n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
/// h' = (1 − z) ⊙ n + z ⊙ h.
private func gruLayer(_ inputs: LayerInputs) -> Tensor {
    let s = inputs.shape, H = s.hiddenSize, G = 3 * H
    let x = inputs.input.storage, wih = inputs.weightIH.storage, whh = inputs.weightHH.storage, h0v = inputs.h0.storage
    var forward = Scratch()
    let gates = forward.writing(matrixProduct(x, wih, m: s.rows, n: G, k: s.inputSize, transB: true))   // becomes r, z, n
    let hiddenProjection = forward.zeros(s.rows * G)                                                   // W_hh h + b_hh
    let hs = forward.zeros(s.rows * H)
    let recurrentWeight = forward.reading(whh), initialHidden = forward.reading(h0v), hiddenBias = forward.reading(inputs.biasHH.storage)
    forward.withAddresses { a in
        let pX = a[gates], pP = a[hiddenProjection], pH = a[hs], pW = a[recurrentWeight], pH0 = a[initialHidden], pB = a[hiddenBias]
        addBiases(pX, rows: s.rows, inputs.biasIH.storage, nil)
        for t in 0..<s.steps {
            let hPrev = t == 0 ? pH0 : UnsafePointer(pH + (t - 1) * s.stateCount)
            let projection = pP + t * s.batch * G
            for b in 0..<s.batch { for j in 0..<G { projection[b * G + j] = pB[j] } }
            gemm(transB: true, m: s.batch, n: G, k: H, hPrev, lda: H, pW, ldb: H, beta: 1, projection, ldc: G)
            for b in 0..<s.batch {
                let row = pX + (t * s.batch + b) * G, p = projection + b * G
                for j in 0..<H {
                    let r = logistic(row[j] + p[j]), z = logistic(row[H + j] + p[H + j])
                    let n = hyperbolicTangent(row[2 * H + j] + r * p[2 * H + j])
                    row[j] = r; row[H + j] = z; row[2 * H + j] = n
                    pH[t * s.stateCount + b * H + j] = (1 - z) * n + z * hPrev[b * H + j]
                }
            }
        }
    }
    let activations = forward.take(gates), projections = forward.take(hiddenProjection), hiddens = forward.take(hs)
    let needs = GradientNeeds(inputs)
    return Tensor(shape: [s.steps, s.batch, H], storage: hiddens, parents: inputs.parents) { gOut in
        var backward = Scratch()
        let dX = backward.zeros(s.rows * G)   // gradient of the input-side pre-activations
        let dP = backward.zeros(s.rows * G)   // gradient of W_hh h + b_hh
        let dh = backward.zeros(s.stateCount)
        let outputGrad = backward.reading(gOut), gateValues = backward.reading(activations)
        let projectionValues = backward.reading(projections), hiddenValues = backward.reading(hiddens)
        let initialHidden = backward.reading(h0v), recurrentWeight = backward.reading(whh)
        backward.withAddresses { a in
            let pdX = a[dX], pdP = a[dP], pdh = a[dh], pg = a[outputGrad], pA = a[gateValues]
            let pP = a[projectionValues], pH = a[hiddenValues], pH0 = a[initialHidden], pW = a[recurrentWeight]
            for t in stride(from: s.steps - 1, through: 0, by: -1) {
                for b in 0..<s.batch {
                    let base = (t * s.batch + b) * G
                    let row = pA + base, p = pP + base
                    let state = t * s.stateCount + b * H
                    let hPrev = t == 0 ? pH0 + b * H : pH + (state - s.stateCount)
                    for j in 0..<H {
                        let r = row[j], z = row[H + j], n = row[2 * H + j]
                        let d = pg[state + j] + pdh[b * H + j]
                        let dn = d * (1 - z) * (1 - n * n)
                        let dz = d * (hPrev[j] - n) * z * (1 - z)
                        let dr = dn * p[2 * H + j] * r * (1 - r)
                        pdX[base + j] = dr; pdX[base + H + j] = dz; pdX[base + 2 * H + j] = dn
                        pdP[base + j] = dr; pdP[base + H + j] = dz; pdP[base + 2 * H + j] = dn * r
                        pdh[b * H + j] = d * z
                    }
                }
                // dh_{t−1} = d·z + dPₜ · W_hh
                gemm(m: s.batch, n: H, k: G, UnsafePointer(pdP + t * s.batch * G), lda: G, pW, ldb: H,
                     beta: 1, pdh, ldc: H)
            }
        }
        let inputSideGrads = backward.take(dX), hiddenSideGrads = backward.take(dP)
        let (dx, dWih, dbih) = inputSideGradients(inputSideGrads, gateWidth: G, x: x, wih: wih, s,
                                                  needX: needs.input, needW: needs.weightIH, needB: needs.biasIH)
        let dWhh = needs.weightHH ? recurrentWeightGradient(hiddenSideGrads, gateWidth: G, h0: h0v, hs: hiddens, s) : nil
        let dbhh = needs.biasHH ? columnSums(hiddenSideGrads, rows: s.rows, columns: G) : nil
        return [dx, needs.h0 ? backward.take(dh) : nil, dWih, dWhh, dbih, dbhh]
    }
}

// MARK: - Modules

/// Parameters of a stack of recurrent layers, with PyTorch's keys and initialisation.
public final class RecurrentWeights {
    /// `weight_ih_lK`: `[gates·hidden, input]` per layer.
    public let weightIH: [Tensor]
    /// `weight_hh_lK`: `[gates·hidden, hidden]` per layer.
    public let weightHH: [Tensor]
    /// `bias_ih_lK`: `[gates·hidden]` per layer.
    public let biasIH: [Tensor]
    /// `bias_hh_lK`: `[gates·hidden]` per layer.
    public let biasHH: [Tensor]

    init(inputSize: Int, hiddenSize: Int, numLayers: Int, gates: Int, generator: Generator?) {
        require(inputSize > 0 && hiddenSize > 0 && numLayers > 0,
                     "Recurrent layer sizes must be positive (input \(inputSize), hidden \(hiddenSize), layers \(numLayers)).")
        let bound = 1 / Double(hiddenSize).squareRoot()
        var wih: [Tensor] = [], whh: [Tensor] = [], bih: [Tensor] = [], bhh: [Tensor] = []
        func make(_ shape: [Int]) -> Tensor {
            let t = Tensor.uniform(shape: shape, low: -bound, high: bound, generator: generator)
            t.requiresGrad = true
            return t
        }
        // Same order as PyTorch's `_flat_weights`: per layer w_ih, w_hh, b_ih, b_hh.
        for layer in 0..<numLayers {
            wih.append(make([gates * hiddenSize, layer == 0 ? inputSize : hiddenSize]))
            whh.append(make([gates * hiddenSize, hiddenSize]))
            bih.append(make([gates * hiddenSize]))
            bhh.append(make([gates * hiddenSize]))
        }
        (weightIH, weightHH, biasIH, biasHH) = (wih, whh, bih, bhh)
    }

    var named: [(name: String, tensor: Tensor)] {
        (0..<weightIH.count).flatMap { k in
            [("weight_ih_l\(k)", weightIH[k]), ("weight_hh_l\(k)", weightHH[k]),
             ("bias_ih_l\(k)", biasIH[k]), ("bias_hh_l\(k)", biasHH[k])]
        }
    }
}

/// Makes `[T, F]` input batched and checks the feature size; returns whether it was unbatched.
private func batchedSequence(_ input: Tensor, inputSize: Int, layer: String) -> (Tensor, Bool) {
    require(input.rank == 3 || input.rank == 2,
                 "\(layer): input must be [sequence, batch, features] (or [sequence, features]), got \(input.shape).")
    require(input.shape[input.rank - 1] == inputSize,
                 "\(layer): input has \(input.shape[input.rank - 1]) features, the layer expects inputSize \(inputSize).")
    return input.rank == 2 ? (input.unsqueezed(1), true) : (input, false)
}

private func initialState(_ given: Tensor?, layers: Int, batch: Int, hidden: Int, unbatched: Bool, name: String) -> Tensor {
    guard var state = given else { return Tensor.zeros(layers, batch, hidden) }
    if unbatched && state.rank == 2 { state = state.unsqueezed(1) }
    require(state.shape == [layers, batch, hidden],
                 "\(name): initial state must have shape [\(layers), \(batch), \(hidden)], got \(state.shape).")
    return state
}

/// What RNN, LSTM and GRU share: the sizes, the weights under PyTorch's keys, and the stack.
protocol RecurrentModule: LeafModule {
    var inputSize: Int { get }
    var hiddenSize: Int { get }
    var numLayers: Int { get }
    var weights: RecurrentWeights { get }
}

extension RecurrentModule {
    public var ownParameters: [(name: String, tensor: Tensor)] { weights.named }

    /// Runs the stack: layer k reads layer k−1's output sequence (layer 0 the input) and starts
    /// from slice k of each initial state (zeros where none is given). `layer` runs one layer and
    /// returns its output sequence and the final values of the states after the hidden one (the
    /// hidden state's is the output's last step).
    ///
    /// Returns the last layer's output and, per state in the order of `initialStates`, the final
    /// values of all layers `[numLayers, batch, hidden]`. A `[sequence, features]` input runs as a
    /// batch of one and comes back without the batch dimension.
    fileprivate func runStack(_ input: Tensor, name: String, initialStates: [(given: Tensor?, name: String)],
                              layer: (LayerInputs) -> (output: Tensor, laterFinalStates: [Tensor]))
                              -> (output: Tensor, finalStates: [Tensor]) {
        let (x, unbatched) = batchedSequence(input, inputSize: inputSize, layer: name)
        let states = initialStates.map {
            initialState($0.given, layers: numLayers, batch: x.shape[1], hidden: hiddenSize, unbatched: unbatched, name: $0.name)
        }
        var layerInput = x
        var finals = [[Tensor]](repeating: [], count: states.count)
        for k in 0..<numLayers {
            let (output, laterFinals) = layer(LayerInputs(input: layerInput, initialStates: states.map { $0.select(dim: 0, index: k) },
                                                          weights: weights, layer: k))
            layerInput = output
            finals[0].append(output.select(dim: 0, index: -1))
            for (i, final) in laterFinals.enumerated() { finals[i + 1].append(final) }
        }
        let stacked = finals.map { stack($0) }
        return unbatched ? (layerInput.squeezed(1), stacked.map { $0.squeezed(1) }) : (layerInput, stacked)
    }
}

/// An Elman RNN, `nn.RNN`: hₜ = tanh(W_ih xₜ + b_ih + W_hh h_{t−1} + b_hh), stacked `numLayers` deep.
///
/// Input `[sequence, batch, inputSize]`; returns `(output, hN)` with output `[sequence, batch, hidden]`
/// (the last layer's states) and hN `[numLayers, batch, hidden]`.
public final class RNN: Module, RecurrentModule {
    /// The activation of the recurrence.
    public enum Nonlinearity: Sendable { case tanh, relu }
    /// Features per input step, hidden units per layer, and stacked layers.
    public let inputSize: Int, hiddenSize: Int, numLayers: Int
    /// `.tanh` (default) or `.relu`.
    public let nonlinearity: Nonlinearity
    /// Per-layer weights (`weightIH[k]` is `weight_ih_lk`).
    public let weights: RecurrentWeights
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// `RNN(inputSize: 10, hiddenSize: 20)`; parameters ~ U(−1/√hidden, 1/√hidden).
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, nonlinearity: Nonlinearity = .tanh, generator: Generator? = nil) {
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.numLayers = numLayers
        self.nonlinearity = nonlinearity
        weights = RecurrentWeights(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, gates: 1, generator: generator)
    }

    /// Runs from a zero initial state.
    public func callAsFunction(_ input: Tensor) -> (output: Tensor, hN: Tensor) { callAsFunction(input, nil) }

    /// Runs from initial state `h0` `[numLayers, batch, hidden]` (nil: zeros).
    public func callAsFunction(_ input: Tensor, _ h0: Tensor?) -> (output: Tensor, hN: Tensor) {
        let (output, finals) = runStack(input, name: "RNN", initialStates: [(h0, "RNN")]) {
            (rnnLayer($0, relu: nonlinearity == .relu), [])
        }
        return (output, finals[0])
    }
}

/// Long short-term memory, `nn.LSTM`, gate order i, f, g, o in the weight rows.
///
/// Input `[sequence, batch, inputSize]`; returns `(output, (h, c))` with output
/// `[sequence, batch, hidden]` and h, c `[numLayers, batch, hidden]`. The forget gate's bias is
/// rows `hidden..<2·hidden` of `bias_ih_lK` and `bias_hh_lK`.
public final class LSTM: Module, RecurrentModule {
    /// Features per input step, hidden units per layer, and stacked layers.
    public let inputSize: Int, hiddenSize: Int, numLayers: Int
    /// Per-layer weights (`weightIH[k]` is `weight_ih_lk`, rows i, f, g, o).
    public let weights: RecurrentWeights
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// `LSTM(inputSize: 10, hiddenSize: 20, numLayers: 2)`; parameters ~ U(−1/√hidden, 1/√hidden).
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, generator: Generator? = nil) {
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.numLayers = numLayers
        weights = RecurrentWeights(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, gates: 4, generator: generator)
    }

    /// Sets the forget-gate biases (both `bias_ih` and `bias_hh` halves, so their sum is
    /// 2·`value`… unless `split` is false, then `bias_ih` gets `value` and `bias_hh` 0).
    public func setForgetGateBias(_ value: Double, split: Bool = false) {
        for k in 0..<numLayers {
            for (tensor, v) in [(weights.biasIH[k], value), (weights.biasHH[k], split ? value : 0)] {
                for j in hiddenSize..<(2 * hiddenSize) { tensor.storage[j] = v }
            }
        }
    }

    /// Runs from zero initial states.
    public func callAsFunction(_ input: Tensor) -> (output: Tensor, state: (h: Tensor, c: Tensor)) { callAsFunction(input, nil) }

    /// Runs from initial states `(h0, c0)`, each `[numLayers, batch, hidden]` (nil: zeros).
    public func callAsFunction(_ input: Tensor, _ state: (h: Tensor, c: Tensor)?) -> (output: Tensor, state: (h: Tensor, c: Tensor)) {
        let (output, finals) = runStack(input, name: "LSTM", initialStates: [(state?.h, "LSTM h0"), (state?.c, "LSTM c0")]) {
            let (output, cellState) = lstmLayer($0)
            return (output, [cellState])
        }
        return (output: output, state: (h: finals[0], c: finals[1]))
    }
}

/// Gated recurrent unit, `nn.GRU`, gate order r, z, n in the weight rows.
///
/// Input `[sequence, batch, inputSize]`; returns `(output, hN)` as `RNN` does.
public final class GRU: Module, RecurrentModule {
    /// Features per input step, hidden units per layer, and stacked layers.
    public let inputSize: Int, hiddenSize: Int, numLayers: Int
    /// Per-layer weights (`weightIH[k]` is `weight_ih_lk`, rows r, z, n).
    public let weights: RecurrentWeights
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// `GRU(inputSize: 10, hiddenSize: 20)`; parameters ~ U(−1/√hidden, 1/√hidden).
    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, generator: Generator? = nil) {
        self.inputSize = inputSize; self.hiddenSize = hiddenSize; self.numLayers = numLayers
        weights = RecurrentWeights(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, gates: 3, generator: generator)
    }

    /// Runs from a zero initial state.
    public func callAsFunction(_ input: Tensor) -> (output: Tensor, hN: Tensor) { callAsFunction(input, nil) }

    /// Runs from initial state `h0` `[numLayers, batch, hidden]` (nil: zeros).
    public func callAsFunction(_ input: Tensor, _ h0: Tensor?) -> (output: Tensor, hN: Tensor) {
        let (output, finals) = runStack(input, name: "GRU", initialStates: [(h0, "GRU")]) { (gruLayer($0), []) }
        return (output, finals[0])
    }
}
