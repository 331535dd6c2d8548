import Testing

@testable import ConvScopeAnalysis

/// fvcore reads a general einsum's count from numpy's `einsum_path` printout (`%.3e`), halved
/// and floored (fvcore/nn/jit_handles.py `einsum_flop_jit`; numpy/_core/einsumfunc.py).
@Suite struct FvcoreEinsumTests {
  @Test func aGeneralEquationIsRoundedAsNumpyPrintsIt() {
    // MaxViT's attention: 1x64x2x49x32 by 1x64x2x49x32 → 64*2*49*49*32 = 9,834,496 MACs;
    // numpy: 2 * 9,834,496 = 19,668,992 FLOPs, printed 1.967e+07; fvcore: 19,670,000 / 2.
    #expect(FvcoreCounting.numpyEinsumFigure(macs: 9_834_496, equation: "BGHID,BGHJD->BGHIJ") == 9_835_000)
    // 2,458,500 FLOPs is a tie at four digits: printf rounds it to even, 2.458e+06.
    #expect(FvcoreCounting.numpyEinsumFigure(macs: 1_229_250, equation: "bij,bjk->bik") == 1_229_000)
    // No summed index: numpy counts one FLOP per product, fvcore halves it.
    #expect(FvcoreCounting.numpyEinsumFigure(macs: 1_000, equation: "ij,ik->ijk") == 500)
  }

  @Test func theTwoEquationsFvcoreKnowsAreExactMACs() {
    // `abc,abd->acd` and `abc,adc->adb`, whatever the letters.
    #expect(FvcoreCounting.numpyEinsumFigure(macs: 9_834_496, equation: "nct,ncp->ntp") == 9_834_496)
    #expect(FvcoreCounting.numpyEinsumFigure(macs: 9_834_496, equation: "xyz,xwz->xwy") == 9_834_496)
    #expect(FvcoreCounting.numpyEinsumFigure(macs: 12, equation: nil) == 12)
  }
}
