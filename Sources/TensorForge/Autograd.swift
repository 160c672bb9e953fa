#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Whether operations are recorded on the tape. Off inside `withNoGrad { }`.
///
/// The switch is per thread, as in PyTorch, so that a no-grad scope on one thread (for example a
/// test running in parallel) never changes what another thread records.
public enum GradMode {
    private static let disabledKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static let sweepCounter = Atomic<Int>(0)

    /// Keeps freed tensor buffers in the heap instead of returning them to the system: glibc
    /// otherwise maps every buffer of 128 KiB or more afresh, and the page faults of re-zeroing
    /// them cost a third of a width-128 MLP step. Runs once, when the first tensor is created.
    static let heapTuning: Void = {
        #if canImport(Glibc)
        // mallopt lives in <malloc.h>, which the Glibc module does not export; look it up.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
            _ = mallopt(mmapThreshold, 256 << 20)
            _ = mallopt(trimThreshold, 512 << 20)
        }
        #endif
    }()

    /// True when new operations are recorded for backward.
    public static var isEnabled: Bool {
        get { pthread_getspecific(disabledKey) == nil }
        set { pthread_setspecific(disabledKey, newValue ? nil : UnsafeRawPointer(bitPattern: 1)) }
    }
}

/// Runs `body` without recording operations (PyTorch's `with torch.no_grad():`), for evaluation
/// and for updating parameters in place.
@discardableResult
public func withNoGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
    let previous = GradMode.isEnabled
    GradMode.isEnabled = false
    defer { GradMode.isEnabled = previous }
    return try body()
}

extension Tensor {
    /// Asks `backward()` to keep this intermediate tensor's gradient in `grad`, as PyTorch's
    /// `retain_grad()` does (leaves keep theirs anyway).
    public func retainGrad() {
        require(requiresGrad, "retainGrad() on a tensor that does not require grad has no effect; make an input require grad first.")
        retainsGrad = true
    }

    /// Computes the gradient of this tensor with respect to every leaf that requires grad, and
    /// adds it into their `grad` (gradients accumulate until zeroed, as in PyTorch).
    ///
    /// - Parameters:
    ///   - gradient: ∂L/∂self; may be omitted for a one-element tensor (then 1).
    ///   - retainGraph: keep the tape so that `backward` can run through it again.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) {
        require(requiresGrad, "backward(): this tensor does not require grad and has no recorded operations; set requiresGrad on an input first.")
        let seed: [Double]
        if let gradient {
            require(gradient.shape == shape, "backward(): gradient of shape \(gradient.shape) does not match tensor shape \(shape).")
            seed = gradient.storage
        } else {
            require(count == 1, "backward() without a gradient needs a one-element tensor (a loss); this one has shape \(shape).")
            seed = [1]
        }
        let order = topologicalOrder()
        pendingGrad = seed
        for node in order.reversed() {
            guard let g = node.pendingGrad else { continue }
            node.pendingGrad = nil
            if node.isProducedByOperation {
                guard let function = node.gradFunction else {
                    requirementFailed("backward(): trying to go through the graph a second time after its tape was released; pass retainGraph: true to the first backward().")
                }
                if node.retainsGrad { node.accumulateGrad(g) }
                let parentGrads: [[Double]?]
                switch function {
                case .operation(let backward):
                    parentGrads = backward(g)
                case .multiOutputOperation(let backward, let outputCounts):
                    // The later outputs are this node's children, so the sweep has passed them all.
                    let outputGrads = outputCounts.indices.map { index in
                        index == 0 ? g : node.laterOutputGrads[index] ?? [Double](repeating: 0, count: outputCounts[index])
                    }
                    node.laterOutputGrads = [:]
                    parentGrads = backward(outputGrads)
                case .laterOutput(let index):
                    // The gradient goes to the operation. This output does not depend on the first,
                    // so its share of the first's gradient is zero; passing it makes the operation run.
                    let first = node.parents[0]
                    first.laterOutputGrads[index] = g
                    parentGrads = [[Double](repeating: 0, count: first.count)]
                }
                for (parent, parentGrad) in zip(node.parents, parentGrads) {
                    guard let parentGrad, parent.requiresGrad else { continue }
                    parent.addPending(parentGrad)
                }
                if !retainGraph {
                    // Releasing the closure and the parents frees the intermediates of this step.
                    node.gradFunction = nil
                    node.parents = []
                }
            } else if node.requiresGrad {
                node.accumulateGrad(g)
            }
        }
    }

    private func accumulateGrad(_ g: [Double]) {
        if let existing = grad {
            existing.storage.addInPlace(g)
        } else {
            grad = Tensor(scalars: g, shape: shape)
        }
    }

    private func addPending(_ g: [Double]) {
        require(g.count == storage.count, "Internal error: gradient of \(g.count) values for a tensor of shape \(shape).")
        if pendingGrad == nil {
            pendingGrad = g
        } else {
            pendingGrad!.addInPlace(g)
        }
    }

    /// Nodes reachable from self, each after all of its parents (iterative: graphs of an RNN
    /// unrolled by hand can be thousands of nodes deep).
    private func topologicalOrder() -> [Tensor] {
        let mark = GradMode.sweepCounter.add(1, ordering: .relaxed).newValue
        var order: [Tensor] = []
        var stack: [(Tensor, Int)] = [(self, 0)]
        visitMark = mark
        while !stack.isEmpty {
            let (node, next) = stack[stack.count - 1]
            if next < node.parents.count {
                stack[stack.count - 1].1 = next + 1
                let parent = node.parents[next]
                if parent.visitMark != mark && parent.requiresGrad {
                    parent.visitMark = mark
                    stack.append((parent, 0))
                }
            } else {
                order.append(node)
                stack.removeLast()
            }
        }
        return order
    }
}

/// What the reverse sweep does at a tensor produced by a recorded operation.
enum GradFunction {
    /// The output of an operation with one output: its gradient → one gradient (or nil) per
    /// parent, in order.
    case operation(BackwardFunction)
    /// The first output of an operation with several, which carries the operation: the gradients
    /// of all outputs → one per parent. `outputCounts` sizes the zeros given for an output that
    /// no gradient reached.
    case multiOutputOperation(MultiOutputBackwardFunction, outputCounts: [Int])
    /// Output `index` (1, 2, …) of a multi-output operation: its only parent is the first output,
    /// to which it hands its gradient.
    case laterOutput(index: Int)
}

/// Gradients of a multi-output operation's outputs, in order → gradients of its inputs.
typealias MultiOutputBackwardFunction = ([[Double]]) -> [[Double]?]

extension Tensor {
    /// Records one operation with several outputs — an LSTM layer's hidden states and its final
    /// cell state — and returns the outputs in order. `backward` receives one gradient per output
    /// (zeros for an output that no gradient reached) and returns one gradient (or nil) per parent.
    ///
    /// The first output carries the operation; each later output has the first as its only
    /// parent, so a backward sweep reaches every later output before the first and gathers their
    /// gradients there, then runs `backward` once.
    static func recordOperation(outputs: [(shape: [Int], storage: [Double])], parents: [Tensor],
                                backward: @escaping MultiOutputBackwardFunction) -> [Tensor] {
        let first = Tensor(shape: outputs[0].shape, storage: outputs[0].storage, parents: parents,
                           gradFunction: .multiOutputOperation(backward, outputCounts: outputs.map(\.storage.count)))
        return [first] + outputs.indices.dropFirst().map { index in
            Tensor(shape: outputs[index].shape, storage: outputs[index].storage, parents: [first],
                   gradFunction: .laterOutput(index: index))
        }
    }
}

extension Array where Element == Double {
    @inline(__always)
    mutating func addInPlace(_ other: [Double]) {
        require(count == other.count)
        withUnsafeMutableBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] += b[i] }
            }
        }
    }
}
