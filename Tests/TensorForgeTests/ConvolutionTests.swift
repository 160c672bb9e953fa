import Testing
@testable import TensorForge

extension EngineTests {
    @Suite struct ConvolutionTests {
        /// A direct six-loop convolution, to check the im2col path against.
        func directConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Size2D, padding: Size2D, dilation: Size2D, groups: Int) -> [Double] {
            let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            let (o, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
            let oh = (h + 2 * padding.height - dilation.height * (kh - 1) - 1) / stride.height + 1
            let ow = (wd + 2 * padding.width - dilation.width * (kw - 1) - 1) / stride.width + 1
            var y: [Double] = []
            for b0 in 0..<n { for oc in 0..<o { for i in 0..<oh { for j in 0..<ow {
                let group = oc / (o / groups)
                var total = b?.scalars[oc] ?? 0
                for ci in 0..<cg { for ki in 0..<kh { for kj in 0..<kw {
                    let iy = i * stride.height - padding.height + ki * dilation.height
                    let ix = j * stride.width - padding.width + kj * dilation.width
                    guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                    total += x.scalar(at: b0, group * cg + ci, iy, ix) * w.scalar(at: oc, ci, ki, kj)
                } } }
                y.append(total)
            } } } }
            _ = c
            return y
        }

        static let geometries: [(stride: Size2D, padding: Size2D, dilation: Size2D, groups: Int)] = [
            (1, 0, 1, 1), ([2, 1], [1, 2], [1, 2], 2), (3, 2, 2, 4), (1, 0, 1, 4)]

        @Test(arguments: geometries.indices)
        func conv2dMatchesADirectConvolution(_ index: Int) {
            let (stride, padding, dilation, groups) = Self.geometries[index]
            let conv = Conv2d(4, 8, kernelSize: [3, 2], stride: stride, padding: padding, dilation: dilation, groups: groups,
                              generator: Generator(seed: 1))
            let x = randomTensor([2, 4, 9, 7], seed: 2)
            expectClose(conv(x).scalars, directConv2d(x, conv.weight, conv.bias, stride: stride, padding: padding, dilation: dilation,
                                                      groups: groups), tolerance: 1e-13)
        }

        @Test func convolutionsDifferentiate() {
            let g = Generator(seed: 3)
            let conv = Conv2d(4, 6, kernelSize: [3, 2], stride: [2, 1], padding: [1, 2], dilation: [2, 1], groups: 2, generator: g)
            expectModuleGradients(conv, input: randomTensor([2, 4, 7, 6], seed: 4)) { conv($0) }
            let unbatched = Conv2d(2, 3, kernelSize: 2, bias: false, generator: g)
            expectModuleGradients(unbatched, input: randomTensor([2, 4, 5], seed: 5)) { unbatched($0) }
            let conv1 = Conv1d(4, 2, kernelSize: 3, stride: 2, padding: 1, dilation: 2, groups: 2, generator: g)
            expectModuleGradients(conv1, input: randomTensor([3, 4, 10], seed: 6)) { conv1($0) }
            expectModuleGradients(conv1, input: randomTensor([4, 10], seed: 7)) { conv1($0) }
            // Only the input requires grad (constant weight and bias).
            let (w, b) = (randomTensor([3, 2, 3, 3], seed: 45), randomTensor([3], seed: 46))
            expectGradients([randomTensor([2, 2, 5, 4], seed: 47)]) { conv2d($0[0], weight: w, bias: b, padding: 1) }
            // Stride 1 with an output as wide as the input unfolds and folds whole shifted blocks.
            for (index, same) in [Conv2d(3, 4, kernelSize: 3, padding: [0, 2], dilation: [1, 2], generator: g),
                                  Conv2d(2, 3, kernelSize: 5, padding: 2, generator: g),
                                  Conv2d(2, 3, kernelSize: 1, generator: g)].enumerated() {
                let x = randomTensor([2, same.inChannels, 4, 6], seed: 40 + index)
                expectModuleGradients(same, input: x) { same($0) }
                expectClose(same(x).scalars, directConv2d(x, same.weight, same.bias, stride: 1, padding: same.padding,
                                                         dilation: same.dilation, groups: 1), tolerance: 1e-13)
            }
        }

        @Test func batchesSplitAcrossThreadsGiveTheSameGradients() {
            // Large enough to be split in two halves: compare with the samples run one by one.
            let conv = Conv2d(4, 8, kernelSize: 3, padding: 1, generator: Generator(seed: 21))
            let x = randomTensor([3, 4, 16, 16], seed: 22), weights = randomTensor([3, 8, 8, 8], seed: 23)
            let input = Tensor(scalars: x.scalars, shape: x.shape, requiresGrad: true)
            (maxPool2d(conv(input), kernelSize: 2) * weights).sum().backward()
            let batchGrads = (input.grad!.scalars, conv.weight.grad!.scalars, conv.bias!.grad!.scalars)
            conv.zeroGrad()
            var inputGrads: [Double] = []
            for n in 0..<3 {
                let one = Tensor(scalars: x[n].scalars, shape: [1, 4, 16, 16], requiresGrad: true)
                (maxPool2d(conv(one), kernelSize: 2) * weights[n]).sum().backward()
                inputGrads += one.grad!.scalars
            }
            expectClose(batchGrads.0, inputGrads, tolerance: 1e-13)
            expectClose(batchGrads.1, conv.weight.grad!.scalars, tolerance: 1e-13)
            expectClose(batchGrads.2, conv.bias!.grad!.scalars, tolerance: 1e-13)
            let direct = directConv2d(x, conv.weight, conv.bias, stride: 1, padding: 1, dilation: 1, groups: 1)
            expectClose(conv(x).scalars, direct, tolerance: 1e-13)
        }

        @Test(arguments: [0, 1])
        func largeWeightGradientsMatchADirectSum(_ index: Int) {
            // Above 1200 weights per group the weight gradient is accumulated transposed (cols·dYᵀ);
            // compare with the sum dW[o, c, ki, kj] = Σ dY[n, o, i, j]·x[n, c, iy, ix] written out.
            let conv = index == 0
                ? Conv2d(8, 24, kernelSize: 3, padding: 1, generator: Generator(seed: 31))
                : Conv2d(16, 64, kernelSize: [3, 2], stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2, generator: Generator(seed: 32))
            let (stride, padding, dilation, groups) = (conv.stride, conv.padding, conv.dilation, conv.groups)
            let x = randomTensor([3, conv.inChannels, 9, 8], seed: 33)
            let y = conv(x)
            let upstream = randomTensor(y.shape, seed: 34)
            (y * upstream).sum().backward()
            let (o, cg, kh, kw) = (conv.weight.shape[0], conv.weight.shape[1], conv.weight.shape[2], conv.weight.shape[3])
            let (oh, ow) = (y.shape[2], y.shape[3])
            var expected: [Double] = []
            for oc in 0..<o { for ci in 0..<cg { for ki in 0..<kh { for kj in 0..<kw {
                let channel = oc / (o / groups) * cg + ci
                var total = 0.0
                for n in 0..<3 { for i in 0..<oh { for j in 0..<ow {
                    let iy = i * stride.height - padding.height + ki * dilation.height
                    let ix = j * stride.width - padding.width + kj * dilation.width
                    guard iy >= 0, iy < 9, ix >= 0, ix < 8 else { continue }
                    total += upstream.scalar(at: n, oc, i, j) * x.scalar(at: n, channel, iy, ix)
                } } }
                expected.append(total)
            } } } }
            expectClose(conv.weight.grad!.scalars, expected, tolerance: 1e-12)
            let biasExpected = (0..<o).map { oc in (0..<3).reduce(0.0) { $0 + upstream[$1][oc].sum().item } }
            expectClose(conv.bias!.grad!.scalars, biasExpected, tolerance: 1e-12)
        }

        @Test func tiledPoolingDifferentiates() {
            // Windows that tile the input exactly take the backward pass that writes every value once.
            let x = randomTensor([2, 3, 6, 8], seed: 35)
            expectGradients([x]) { maxPool2d($0[0], kernelSize: 2) }
            expectGradients([x]) { maxPool2d($0[0], kernelSize: [3, 2]) }
            expectGradients([x]) { maxPool2d($0[0], kernelSize: [2, 4]) }
            // A NaN wins its window (as in ATen), and takes the gradient; the first of equal values otherwise.
            let nan = Tensor(scalars: [1, .nan, 3, 2, 4, 4, 4, 4], shape: [1, 2, 2, 2], requiresGrad: true)
            let pooled = MaxPool2d(2)(nan)
            #expect(pooled[0, 0].item.isNaN && pooled[0, 1].item == 4)
            pooled.sum().backward()
            #expect(nan.grad!.scalars == [0, 1, 0, 0, 1, 0, 0, 0])
        }

        @Test func poolingDifferentiates() {
            let x = randomTensor([2, 3, 7, 8], seed: 8)
            expectGradients([x]) { maxPool2d($0[0], kernelSize: 3, stride: 2, padding: 1) }
            expectGradients([x]) { maxPool2d($0[0], kernelSize: 2, stride: 1, dilation: 2, ceilMode: true) }
            expectGradients([x]) { avgPool2d($0[0], kernelSize: 3, stride: 2, padding: 1) }
            expectGradients([x]) { avgPool2d($0[0], kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false) }
            expectGradients([x]) { avgPool2d($0[0], kernelSize: [2, 3], divisorOverride: 4) }
            expectGradients([x]) { adaptiveAvgPool2d($0[0], outputSize: [3, 5]) }
            expectGradients([randomTensor([3, 5, 4], seed: 9)]) { adaptiveAvgPool2d($0[0], outputSize: 2) }
            expectGradients([x]) { Flatten()($0[0]) }
        }

        @Test func poolingValues() {
            let x = Tensor.arange(16).reshaped(1, 1, 4, 4)
            #expect(MaxPool2d(2)(x).scalars == [5, 7, 13, 15])
            #expect(AvgPool2d(2)(x).scalars == [2.5, 4.5, 10.5, 12.5])
            #expect(AdaptiveAvgPool2d(1)(x).scalars == [7.5])
            #expect(AdaptiveAvgPool2d([3, 3])(x).shape == [1, 1, 3, 3])
            // The first of equal values takes the gradient, as in PyTorch.
            let ties = Tensor.ones([1, 1, 2, 2], requiresGrad: true)
            MaxPool2d(2)(ties).sum().backward()
            #expect(ties.grad!.scalars == [1, 0, 0, 0])
            #expect(Flatten()(Tensor.zeros(8, 32, 7, 7)).shape == [8, 1568])
            #expect(Flatten(startDim: 0)(Tensor.zeros(2, 3)).shape == [6])
        }

        @Test func smallCNNTrains() {
            manualSeed(0)
            let model = Sequential(Conv2d(1, 4, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2), Flatten(), Linear(4 * 4 * 4, 2))
            let x = Tensor.randn(8, 1, 8, 8), labels = Tensor(scalars: (0..<8).map { Double($0 % 2) }, shape: [8])
            let optimizer = Adam(model.parameters, lr: 1e-2)
            let first = crossEntropy(model(x), labels).item
            for _ in 0..<30 {
                let loss = crossEntropy(model(x), labels)
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
            }
            #expect(crossEntropy(model(x), labels).item < first / 4)
        }

        @Test func defaultInitialisationIsPyTorchs() {
            // kaiming_uniform(a = √5) and the bias bound are both 1/√fanIn, fanIn = in/groups·kh·kw.
            let conv = Conv2d(8, 16, kernelSize: 3, groups: 2)
            let bound = 1 / Double(4 * 9).squareRoot()
            #expect(conv.weight.shape == [16, 4, 3, 3])
            #expect(conv.weight.scalars.allSatisfy { abs($0) <= bound } && conv.weight.scalars.map(abs).max()! > 0.9 * bound)
            #expect(conv.bias!.scalars.allSatisfy { abs($0) <= bound })
            let conv1 = Conv1d(3, 5, kernelSize: 4, bias: false)
            #expect(conv1.weight.shape == [5, 3, 4] && conv1.bias == nil)
            #expect(conv1.weight.scalars.allSatisfy { abs($0) <= 1 / 12.0.squareRoot() })
            #expect(Array(conv.stateDict().keys).sorted() == ["bias", "weight"])
            #expect(Conv1d(3, 5, kernelSize: 4, bias: false).stateDict().keys.sorted() == ["weight"])
        }

        @Test func modulesDescribeThemselves() {
            #expect(Conv2d(1, 16, kernelSize: 3, padding: 1).description == "Conv2d(1, 16, kernelSize: 3, padding: 1)")
            #expect(Conv2d(4, 8, kernelSize: [3, 5], stride: 2, groups: 2, bias: false).description
                    == "Conv2d(4, 8, kernelSize: [3, 5], stride: 2, groups: 2, bias: false)")
            #expect(Conv1d(4, 8, kernelSize: 3).description == "Conv1d(4, 8, kernelSize: 3)")
            #expect(MaxPool2d(2).description == "MaxPool2d(kernelSize: 2, stride: 2, padding: 0)")
        }
    }
}
