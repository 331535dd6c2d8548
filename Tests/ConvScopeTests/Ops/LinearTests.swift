import ConvScope
import Testing

@Suite struct LinearTests {
  // MARK: Gemm

  @Test func classifierLayerAsPyTorchExportsIt() throws {
    // nn.Linear(512, 1000): A 1x512, B 1000x512 with transB = 1, C 1000.
    let weight = ConstantTensor(dataType: .float32, dims: [1000, 512])
    let bias = ConstantTensor(dataType: .float32, dims: [1000])
    let out = try OpTesting.infer(
      "Gemm", [[1, 512], [1000, 512], [1000]], ["transB": .int(1)], constants: [1: weight, 2: bias])
    #expect(out.outputs[0].shape == [1, 1000])
    #expect(out.cost == Cost(macs: 1 * 1000 * 512, adds: 1 * 1000))
    #expect(out.inputRoles[1] == .weight && out.inputRoles[2] == .bias)
    #expect(out.paramFormula == "512*1000+1000 = 513000")
  }

  @Test func gemmScalesCostMultiplies() throws {
    // alpha and beta other than 1 multiply each of the M*N = 12 outputs.
    let out = try OpTesting.infer("Gemm", [[3, 5], [5, 4], [1, 4]], ["alpha": .float(0.5), "beta": .float(2)])
    #expect(out.cost == Cost(macs: 3 * 4 * 5, adds: 12, multiplies: 2 * 12))
    #expect(out.paramFormula == nil)  // B is not a constant here
  }

  @Test func gemmErrorsNameTheShapes() {
    do {
      _ = try OpTesting.infer("Gemm", [[2, 3], [4, 5]])
      Issue.record("expected an inner-dimension error")
    } catch let error as OpError {
      #expect(error.message.contains("2x3") && error.message.contains("4x5"), "\(error.message)")
    } catch {
      Issue.record("unexpected \(error)")
    }
    #expect(throws: OpError.self) { try OpTesting.infer("Gemm", [[2, 3], [3, 4], [3]]) }
    #expect(throws: OpError.self) { try OpTesting.infer("Gemm", [[2, 3, 1], [3, 4]]) }
  }

  /// Multiplies A' by B' one multiply-accumulate at a time, as the ONNX spec's
  /// `Y = alpha * A' * B' + beta * C` reads, and counts what it did.
  private func naiveGemm(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, a: [Int], b: [Int])
    -> (rows: Int, columns: Int, macs: Int)
  {
    var macs = 0
    var rows = 0
    var columns = 0
    for i in 0..<m {
      for j in 0..<n {
        for l in 0..<k {
          let (ar, ac) = transA ? (l, i) : (i, l)
          let (br, bc) = transB ? (j, l) : (l, j)
          precondition(ar < a[0] && ac < a[1] && br < b[0] && bc < b[1])
          macs += 1
        }
        rows = max(rows, i + 1)
        columns = max(columns, j + 1)
      }
    }
    return (rows, columns, macs)
  }

  @Test func gemmMatchesABruteForceCountOn40RandomConfigurations() throws {
    var rng = SeededGenerator(state: 2024)
    for _ in 0..<40 {
      let (m, n, k) = (
        Int.random(in: 1...6, using: &rng), Int.random(in: 1...6, using: &rng), Int.random(in: 1...6, using: &rng)
      )
      let transA = Bool.random(using: &rng)
      let transB = Bool.random(using: &rng)
      let a = transA ? [k, m] : [m, k]
      let b = transB ? [n, k] : [k, n]
      let biases: [[Int]?] = [nil, [n], [1, n], [m, n], [m, 1], [], [1]]
      let c = biases[Int.random(in: 0..<biases.count, using: &rng)]
      let attributes: [String: AttributeValue] = ["transA": .int(transA ? 1 : 0), "transB": .int(transB ? 1 : 0)]
      let out = try OpTesting.infer("Gemm", [Shape(a), Shape(b)] + (c.map { [Shape($0)] } ?? []), attributes)
      let naive = naiveGemm(m: m, n: n, k: k, transA: transA, transB: transB, a: a, b: b)
      #expect(
        out.outputs[0].shape == Shape([naive.rows, naive.columns]), "A \(a) B \(b) transA \(transA) transB \(transB)")
      #expect(out.cost.macs == naive.macs)
      #expect(out.cost.adds == (c == nil ? 0 : naive.rows * naive.columns))
    }
  }

  // MARK: MatMul

  @Test func attentionScoresProduct() throws {
    let out = try OpTesting.infer("MatMul", [[1, 12, 128, 64], [1, 12, 64, 128]])
    #expect(out.outputs[0].shape == [1, 12, 128, 128])
    #expect(out.cost == Cost(macs: 12 * 128 * 128 * 64))
  }

  @Test func oneDimensionalOperandsArePromotedThenDropped() throws {
    // Vector · vector: a scalar, K MACs.
    let dot = try OpTesting.infer("MatMul", [[3], [3]])
    #expect(dot.outputs[0].shape == [])
    #expect(dot.cost.macs == 3)
    // Vector x batched matrices: [3] → [1,3]; result [2,1,4] → drop the 1 → [2,4].
    let left = try OpTesting.infer("MatMul", [[3], [2, 3, 4]])
    #expect(left.outputs[0].shape == [2, 4])
    #expect(left.cost.macs == 2 * 4 * 3)
    // Batched matrices x vector: [2,5,3] x [3] → [2,5].
    #expect(try OpTesting.shape("MatMul", [[2, 5, 3], [3]]) == [2, 5])
  }

  @Test func matmulWeightAndErrors() throws {
    let weight = ConstantTensor(dataType: .float32, dims: [768, 3072])
    let out = try OpTesting.infer("MatMul", [[1, 128, 768], [768, 3072]], constants: [1: weight])
    #expect(out.outputs[0].shape == [1, 128, 3072])
    #expect(out.paramFormula == "768*3072 = 2359296")
    #expect(out.inputRoles[1] == .weight)
    do {
      _ = try OpTesting.infer("MatMul", [[2, 3, 4], [5, 6]])
      Issue.record("expected an inner-dimension error")
    } catch let error as OpError {
      #expect(error.message.contains("2x3x4") && error.message.contains("5x6"), "\(error.message)")
    } catch {
      Issue.record("unexpected \(error)")
    }
    #expect(throws: OpError.self) { try OpTesting.infer("MatMul", [[2, 3, 4], [3, 4, 5]]) }  // batch 2 vs 3
    #expect(throws: OpError.self) { try OpTesting.infer("MatMul", [[], [3]]) }
  }

  @Test func quantizedMatMuls() throws {
    let integer = try OpTesting.infer("MatMulInteger", [[4, 3], [3, 2]], types: [.uint8, .int8])
    #expect(integer.outputs[0].dataType == .int32)
    #expect(integer.cost.macs == 4 * 2 * 3)
    let qlinear = try OpTesting.infer(
      "QLinearMatMul", [[4, 3], [], [], [3, 2], [], [], [], []],
      types: [.uint8, .float32, .uint8, .uint8, .float32, .uint8, .float32, .uint8])
    #expect(qlinear.outputs[0].shape == [4, 2])
    #expect(qlinear.outputs[0].dataType == .uint8)
    #expect(qlinear.inputRoles[3] == .weight && qlinear.inputRoles[1] == .quantization)
  }

  /// numpy `matmul`, written out: promote 1-D operands, broadcast the batch dims, and run
  /// every multiply-accumulate of every output element, counting them.
  private func naiveMatMul(_ a: [Int], _ b: [Int]) -> (shape: [Int], macs: Int) {
    let a2 = a.count == 1 ? [1] + a : a
    let b2 = b.count == 1 ? b + [1] : b
    let (m, k, n) = (a2[a2.count - 2], a2[a2.count - 1], b2[b2.count - 1])
    let aBatch = Array(a2.dropLast(2))
    let bBatch = Array(b2.dropLast(2))
    let rank = max(aBatch.count, bBatch.count)
    let padA = Array(repeating: 1, count: rank - aBatch.count) + aBatch
    let padB = Array(repeating: 1, count: rank - bBatch.count) + bBatch
    let batch = zip(padA, padB).map { max($0, $1) }
    var macs = 0
    var index = Array(repeating: 0, count: rank)
    for _ in 0..<batch.reduce(1, *) {
      let aIndex = zip(index, padA).map { $1 == 1 ? 0 : $0 }
      let bIndex = zip(index, padB).map { $1 == 1 ? 0 : $0 }
      for i in 0..<m {
        for j in 0..<n {
          for l in 0..<k {
            precondition(zip(aIndex, padA).allSatisfy { $0 < $1 } && i < m && l < k)
            precondition(zip(bIndex, padB).allSatisfy { $0 < $1 } && l < b2[b2.count - 2] && j < n)
            macs += 1
          }
        }
      }
      var axis = rank - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < batch[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return (batch + (a.count > 1 ? [m] : []) + (b.count > 1 ? [n] : []), macs)
  }

  @Test func matmulMatchesABruteForceCountOn40RandomConfigurations() throws {
    var rng = SeededGenerator(state: 7)
    for _ in 0..<40 {
      let (m, n, k) = (
        Int.random(in: 1...4, using: &rng), Int.random(in: 1...4, using: &rng), Int.random(in: 1...4, using: &rng)
      )
      let batch = (0..<Int.random(in: 0...2, using: &rng)).map { _ in Int.random(in: 2...3, using: &rng) }
      func operandBatch(_ rng: inout SeededGenerator) -> [Int] {
        let kept = Array(batch.suffix(Int.random(in: 0...batch.count, using: &rng)))
        return kept.map { Bool.random(using: &rng) ? $0 : 1 }
      }
      let aVector = Int.random(in: 0..<5, using: &rng) == 0
      let bVector = Int.random(in: 0..<5, using: &rng) == 0
      let a = aVector ? [k] : operandBatch(&rng) + [m, k]
      let b = bVector ? [k] : operandBatch(&rng) + [k, n]
      let out = try OpTesting.infer("MatMul", [Shape(a), Shape(b)])
      let naive = naiveMatMul(a, b)
      #expect(out.outputs[0].shape == Shape(naive.shape), "A \(a) B \(b)")
      #expect(out.cost.macs == naive.macs, "A \(a) B \(b)")
    }
  }
}
