import Testing

@testable import ConvScopeImporters

/// The read-ahead of a run of records predicts the next records' starts from lengths that
/// repeat, as far ahead as they have repeated, and asks for each predicted start once.
@Suite struct RecordPrefetchTests {
  static let margin = RecordPrefetch.margin
  static let span = RecordPrefetch.span

  /// Feeds records of `lengths` from offset `first`, and returns every record's start and all
  /// the ranges asked for.
  static func run(_ lengths: [Int], from first: Int = 0, limit: Int = 1 << 40) -> (starts: [Int], asked: [Range<Int>]) {
    var prefetch = RecordPrefetch()
    var starts: [Int] = []
    var asked: [Range<Int>] = []
    var start = first
    for length in lengths {
      starts.append(start)
      asked += prefetch.record(start: start, length: length, slow: true, limit: limit)
      start += length
    }
    return (starts, asked)
  }

  /// Whether a record's header (its first 64 bytes) at `start` lies in one range asked for.
  static func covered(_ start: Int, by asked: [Range<Int>]) -> Bool {
    asked.contains { $0.lowerBound <= start && start + 64 <= $0.upperBound }
  }

  /// Records of 20,000 and 50,000 bytes alternating from offset 100: period 2.
  @Test func repeatingLengthsPredictTheNextStarts() {
    let lengths = (0..<8).map { $0 % 2 == 0 ? 20_000 : 50_000 }
    let (starts, asked) = Self.run(lengths, from: 100)
    // Five records show the period (three repeat the ones two before): records 6 and 7 are
    // asked for (5 is read next); each record after it asks for two more, up to 13.
    var predicted = starts[5]
    var expected: [Range<Int>] = []
    for index in 5...13 {
      if index > 5 { expected.append((predicted - Self.margin)..<(predicted + Self.span + Self.margin)) }
      predicted += index % 2 == 0 ? 20_000 : 50_000
    }
    #expect(asked == expected)
  }

  @Test func aLongPeriodCountsOnceFourLengthsRepeat() {
    // A layer of eight records, all large and of different lengths: the layer after it is
    // predicted from its fourth record on, not before.
    let layer = (0..<8).map { 100_000 + 10_000 * $0 }
    #expect(Self.run(layer + layer.prefix(3)).asked.isEmpty)
    let (starts, asked) = Self.run(layer + layer.prefix(4))
    // Four repeat, so four ahead: record 12 is read next; 13, 14 and 15 are asked for, at
    // the starts the lengths of records 4 to 6 give.
    var start = starts[11] + layer[3]
    var expected: [Range<Int>] = []
    for index in 4...6 {
      start += layer[index]
      expected.append((start - Self.margin)..<(start + Self.span + Self.margin))
    }
    #expect(asked == expected)
  }

  @Test func everyHeaderIsAskedForThoughLengthsDrift() {
    // A transformer's layers: a name grows a digit every few layers, and lengths by a byte.
    var lengths: [Int] = []
    for layer in 0..<12 { lengths += [2_359_330 + layer / 4, 9_284 + layer / 4, 700 + layer / 4] }
    let (starts, asked) = Self.run(lengths)
    // Once two layers and a record of the third are read, every later header is asked for.
    for (index, start) in starts.enumerated() where index >= 8 {
      #expect(Self.covered(start, by: asked), "record \(index)")
    }
    #expect(!Self.covered(starts[2], by: asked))
  }

  @Test func aNewStretchWithTheSamePeriodIsPredictedAfresh() {
    // ViT-B/16's initializers: one stretch of three records per layer, then another of
    // three different lengths per layer. What the first stretch predicted past its end is
    // wrong; the second stretch's own predictions must still be asked for.
    let lengths =
      Array(repeating: [2_359_372, 12_339, 3_100], count: 4).flatMap { $0 }
      + Array(repeating: [7_077_920, 9_437_216, 9_437_216], count: 6).flatMap { $0 }
    let (starts, asked) = Self.run(lengths)
    // Six records of the second stretch show its period; the seventh is read next.
    for index in (12 + 7)..<starts.count { #expect(Self.covered(starts[index], by: asked), "record \(index)") }
  }

  @Test func noPredictionWhenWarmIrregularOrInterrupted() {
    var warm = RecordPrefetch()
    var start = 0
    for _ in 0..<6 {
      #expect(warm.record(start: start, length: 500, slow: false, limit: 1 << 30).isEmpty)
      start += 500
    }
    #expect(Self.run((0..<8).map { 50_000 + 1_000 * $0 }).asked.isEmpty)
    // Four equal lengths show period 1; a record that does not follow the last begins a new run.
    var interrupted = RecordPrefetch()
    var asked: [Range<Int>] = []
    for start in stride(from: 0, to: 200_000, by: 50_000) {
      asked += interrupted.record(start: start, length: 50_000, slow: true, limit: 1 << 30)
    }
    #expect(!asked.isEmpty)
    #expect(interrupted.record(start: 900_000, length: 50_000, slow: true, limit: 1 << 30).isEmpty)
  }

  @Test func predictionsStopAtTheLimit() {
    // Four records repeat with period 1 (three ahead): 80,000 is read next; 100,000 and
    // 120,000 are asked for, the last up to the run's end at 122,000.
    let asked = Self.run([20_000, 20_000, 20_000, 20_000], limit: 122_000).asked
    #expect(
      asked == [(100_000 - Self.margin)..<(100_000 + Self.span + Self.margin), (120_000 - Self.margin)..<122_000])
  }

  @Test func nearbyStartsAreAskedForInOneRange() {
    // A large record and two small ones after it: the small ones and the next large
    // record's header are one range.
    let lengths = (0..<15).map { $0 % 3 == 0 ? 100_000 : 300 }
    let (starts, asked) = Self.run(lengths)
    for index in 8..<starts.count { #expect(Self.covered(starts[index], by: asked), "record \(index)") }
    // No byte is asked for twice.
    for (earlier, later) in zip(asked, asked.dropFirst()) { #expect(earlier.upperBound <= later.lowerBound) }
    #expect(asked.count < starts.count - 8 + RecordPrefetch.horizon)
  }

  @Test func aClusterOfSmallRecordsIsReadAheadAsOneBlock() {
    // Irregular small records (no period): the first asks for the 64 KiB after it, starting
    // at the page after the next record's first bytes; those within it ask for nothing more.
    let lengths = [1_900, 3_500, 900, 7_000, 2_600, 12_000, 30_000, 41_000, 52_000, 1_500]
    let (starts, asked) = Self.run(lengths, from: 10_000)
    let first = starts[1]
    let block = ((first + Self.margin + 4_095) / 4_096 * 4_096)..<(first + RecordPrefetch.block)
    #expect(asked.first == block)
    for index in 2..<7 { #expect(block.contains(starts[index] + 64), "record \(index)") }
    // Records 1 to 6 start inside the block; the large ones after it ask for nothing; the
    // small one at the end asks for the block after it.
    #expect(asked.count == 2)
    #expect(asked.last?.upperBound == starts[9] + lengths[9] + RecordPrefetch.block)
  }
}
