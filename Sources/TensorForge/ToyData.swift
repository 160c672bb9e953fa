import Foundation

/// Small data sets the book's experiments train on.
public enum ToyData {
    /// The four XOR points `[4, 2]` and their labels `[4, 1]` (0 or 1).
    public static func xor() -> (inputs: Tensor, targets: Tensor) {
        (Tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), Tensor([[0], [1], [1], [0]]))
    }

    /// The adding problem of Hochreiter & Schmidhuber (1997): each sequence has two channels,
    /// a value ~ U(0, 1) and a marker that is 1 at exactly two steps — one in each half of the
    /// sequence. The target is the sum of the two marked values.
    ///
    /// - Returns: inputs `[sequenceLength, batchSize, 2]` and targets `[batchSize, 1]`.
    public static func addingProblem(sequenceLength: Int, batchSize: Int, generator: Generator? = nil)
        -> (inputs: Tensor, targets: Tensor) {
        require(sequenceLength >= 2, "The adding problem needs sequences of at least 2 steps, got \(sequenceLength).")
        let g = generator ?? defaultGenerator
        var inputs = [Double](repeating: 0, count: sequenceLength * batchSize * 2)
        var targets = [Double](repeating: 0, count: batchSize)
        let half = sequenceLength / 2
        for b in 0..<batchSize {
            for t in 0..<sequenceLength { inputs[(t * batchSize + b) * 2] = g.nextUniform() }
            let first = g.nextInt(0, half), second = g.nextInt(half, sequenceLength)
            for t in [first, second] {
                inputs[(t * batchSize + b) * 2 + 1] = 1
                targets[b] += inputs[(t * batchSize + b) * 2]
            }
        }
        return (Tensor(scalars: inputs, shape: [sequenceLength, batchSize, 2]), Tensor(scalars: targets, shape: [batchSize, 1]))
    }

    /// Two interleaved spirals in the plane, a classic task that a linear model cannot solve.
    /// Class 0 is the spiral r = t, θ = t·turns·2π; class 1 is the same rotated by π.
    ///
    /// - Returns: points `[2·pointsPerClass, 2]` and labels `[2·pointsPerClass]` (0 or 1).
    public static func twoSpirals(pointsPerClass: Int, turns: Double = 1.5, noise: Double = 0, generator: Generator? = nil)
        -> (inputs: Tensor, labels: Tensor) {
        let g = generator ?? defaultGenerator
        var points: [Double] = [], labels: [Double] = []
        for label in 0..<2 {
            for i in 0..<pointsPerClass {
                let t = Double(i + 1) / Double(pointsPerClass)
                let angle = t * turns * 2 * Double.pi + Double(label) * Double.pi
                points.append(t * Foundation.cos(angle) + noise * g.nextNormal())
                points.append(t * Foundation.sin(angle) + noise * g.nextNormal())
                labels.append(Double(label))
            }
        }
        return (Tensor(scalars: points, shape: [2 * pointsPerClass, 2]), Tensor(scalars: labels, shape: [2 * pointsPerClass]))
    }
}
