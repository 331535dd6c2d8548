import ConvScopeReport

/// The activations of a report's rows (the graph inputs and what the rows write), each name
/// numbered once, so that the passes over the rows (``Liveness``, ``ReceptiveFieldPass``) index
/// arrays by tensor instead of hashing names at every step. Two rows naming the same tensor
/// get the same number, as a dictionary keyed by name would; a name no row writes and no input
/// is (a weight, a value the file stores) gets none: neither pass follows it.
///
/// For graph input `x` and rows `[conv: x, w -> y]`, `[relu: y -> z]`: `x` is 0, `y` 1, `z` 2;
/// row 0 reads `[0, -1]` and writes `[1]`.
struct RowTensors {
  /// How many distinct tensors are numbered.
  let count: Int
  /// The number of each graph input, in order.
  let graphInputs: [Int]
  /// The numbers of the graph outputs that are numbered.
  let graphOutputs: [Int]
  /// Row `i` reads `reads[readStart[i] ..< readStart[i + 1]]` (`LayerRow/inputs`, in order; -1
  /// for a name not numbered).
  private let reads: [Int]
  private let readStart: [Int]
  /// Row `i` writes `writes[writeStart[i] ..< writeStart[i + 1]]` (`LayerRow/outputs`, in order).
  private let writes: [Int]
  private let writeStart: [Int]

  init(rows: [LayerRow], inputs: [TensorSummary], outputs: [String]) {
    var numbers: [String: Int] = [:]
    numbers.reserveCapacity(rows.count + inputs.count)
    var count = 0
    // One hash a name, new or not.
    func number(_ name: String) -> Int { Self.claim(&numbers[name, default: -1], next: &count) }
    graphInputs = inputs.map { number($0.name) }
    var writes: [Int] = []
    var writeStart = [0]
    writeStart.reserveCapacity(rows.count + 1)
    for index in rows.indices {
      for output in rows[index].outputs { writes.append(number(output.name)) }
      writeStart.append(writes.count)
    }
    var reads: [Int] = []
    var readStart = [0]
    readStart.reserveCapacity(rows.count + 1)
    for index in rows.indices {
      for name in rows[index].inputs { reads.append(numbers[name] ?? -1) }
      readStart.append(reads.count)
    }
    (self.writes, self.writeStart, self.reads, self.readStart) = (writes, writeStart, reads, readStart)
    graphOutputs = outputs.compactMap { numbers[$0] }
    self.count = count
  }

  /// The numbers of the tensors row `row` reads, in the order of its `inputs` (-1 for one not numbered).
  func reads(of row: Int) -> ArraySlice<Int> { reads[readStart[row]..<readStart[row + 1]] }

  /// The numbers of the tensors row `row` writes, in the order of its `outputs`.
  func writes(of row: Int) -> ArraySlice<Int> { writes[writeStart[row]..<writeStart[row + 1]] }

  /// `slot`, given the number `next` (then counted) where it is still unset (-1).
  private static func claim(_ slot: inout Int, next: inout Int) -> Int {
    if slot < 0 {
      slot = next
      next += 1
    }
    return slot
  }
}
