import Testing
@testable import TensorForge

extension EngineTests { @Suite struct ComparisonTests {
    let a = Tensor([1, 2, 3])
    let b = Tensor([3, 2, 1])

    @Test func comparisonsReturnMasks() {
        #expect(a.lt(b).scalars == [1, 0, 0])
        #expect(a.le(b).scalars == [1, 1, 0])
        #expect(a.gt(b).scalars == [0, 0, 1])
        #expect(a.ge(b).scalars == [0, 1, 1])
        #expect(a.eq(b).scalars == [0, 1, 0])
        #expect(a.ne(b).scalars == [1, 0, 1])
        #expect((a < b).scalars == [1, 0, 0])
        #expect((a <= b).scalars == [1, 1, 0])
        #expect((a > b).scalars == [0, 0, 1])
        #expect((a >= b).scalars == [0, 1, 1])
        #expect((a .== b).scalars == [0, 1, 0])
        #expect((a .!= b).scalars == [1, 0, 1])
        #expect((a > 1).scalars == [0, 1, 1])
        #expect((a .== 2).scalars == [0, 1, 0])
        #expect((2 < a).scalars == [0, 0, 1])
        #expect((2 >= a).scalars == [1, 1, 0])
        #expect(a.le(2).scalars == [1, 1, 0])
        // Broadcasting, and NaN compares unequal to everything.
        #expect((Tensor([[1], [3]]) > a).shape == [2, 3])
        #expect((Tensor([[1], [3]]) > a).scalars == [0, 0, 0, 1, 1, 0])
        #expect(Tensor([.nan]).eq(Tensor([.nan])).scalars == [0])
        #expect(Tensor([.nan]).ne(.nan).scalars == [1])
    }

    @Test func masksAreOutsideTheTape() {
        let x = Tensor([1, -1], requiresGrad: true)
        #expect(!(x > 0).requiresGrad)
        #expect(!x.eq(x).requiresGrad)
        // A mask used as a factor lets gradients through the other factor.
        (x * (x > 0)).sum().backward()
        #expect(x.grad!.scalars == [1, 0])
        #expect((x > 0).sum().item == 1)
    }

    @Test func logicOnMasks() {
        let p = Tensor([1, 1, 0, 0]), q = Tensor([1, 0, 1, 0])
        #expect((p & q).scalars == [1, 0, 0, 0])
        #expect((p | q).scalars == [1, 1, 1, 0])
        #expect((p ^ q).scalars == [0, 1, 1, 0])
        #expect((~p).scalars == [0, 0, 1, 1])
        #expect(Tensor([2, 0]).logicalAnd(Tensor([-1, 5])).scalars == [1, 0])  // non-zero is true
        #expect(Tensor([0, 0.5]).logicalNot().scalars == [1, 0])
    }

    @Test func closeness() {
        let x = Tensor([1, 2, .infinity, .nan])
        #expect(x.isClose(Tensor([1 + 1e-9, 2.1, .infinity, .nan])).scalars == [1, 0, 1, 0])
        #expect(x.isClose(Tensor([1, 2, .infinity, .nan]), equalNaN: true).scalars == [1, 1, 1, 1])
        #expect(x.isClose(Tensor([1, 2, -.infinity, 0])).scalars == [1, 1, 0, 0])
        #expect(Tensor([100, 0]).allClose(Tensor([100.0009, 1e-9])))        // rtol 1e-5 of 100, atol 1e-8
        #expect(!Tensor([100, 0]).allClose(Tensor([100.002, 0])))
        #expect(Tensor([1, 2]).allClose(Tensor([1.1, 2.1]), atol: 0.2))
        #expect(Tensor([[1, 1]]).allClose(Tensor([1])))                         // broadcasts
        #expect(!Tensor([1, .nan]).allClose(Tensor([1, .nan])))
        #expect(Tensor([1, .nan]).allClose(Tensor([1, .nan]), equalNaN: true))
        #expect(a.equal(Tensor([1, 2, 3])))
        #expect(!a.equal(Tensor([[1, 2, 3]])))
        #expect(!a.equal(b))
    }
} }
