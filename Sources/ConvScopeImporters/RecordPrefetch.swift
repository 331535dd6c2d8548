/// Reads ahead, in parallel, the records of a long run that a structure reader must otherwise
/// visit one after the other: where each record starts is known only once the one before it
/// has been read (a protobuf `repeated` field of tensors: each tensor's header gives its
/// payload's length, and so the next header's offset).
///
/// On a cold page cache each of those dependent reads waits for the disk (37–47 µs for a 4 KiB
/// read on the development VM of the README's speed table), one at a time, while the disk
/// serves a dozen reads at once almost as fast as one. Networks repeat themselves (a
/// transformer's layers, a CNN stage's blocks), and so do their tensors' record lengths: once
/// the last lengths repeat those `p` records before them, the next records' starts are
/// predicted by that period and their first bytes are asked of the kernel
/// (`posix_fadvise(WILLNEED)`), which reads them into the page cache without waiting. The
/// chain then finds them there, or already on their way.
///
/// Where no period predicts, small records come in clusters (a layer's biases and norms between
/// two weights): after a record of at most ``smallRecord`` bytes, the next ``block`` bytes are
/// asked for as one read, beside the chain's own read of the next record's first page, and
/// the next block once the chain is half-way through it.
///
/// A wrong guess costs a page or two read into the page cache, never the process's memory:
/// nothing is copied, and the reader still reads every record where the chain says it is.
/// While the file's reads come from the page cache (a warm run) nothing is predicted at all.
struct RecordPrefetch {
  /// How many records are asked for ahead of the chain, at most. On the development VM,
  /// 16 beat 8 and 32 (and beat asking twice as far ahead as have
  /// repeated) on all five exports of `Benchmarks/compare-tools.sh`.
  static let horizon = 16
  /// The longest period looked for, in records.
  static let longestPeriod = 16
  /// Lengths that differ by this many bytes or fewer repeat (names grow a digit:
  /// `layer_9` to `layer_10`).
  static let tolerance = 16
  /// Bytes read ahead from a predicted start: its header, and the small records after it.
  static let span = 4096
  /// Lengths kept at most: the periods looked for need only the last `2 * longestPeriod`.
  static let kept = 4096
  /// Bytes read before a predicted start, for the lengths that drifted within the tolerance.
  static let margin = 256
  /// A record this short or shorter is read ahead of by ``block`` bytes when no period
  /// predicts what follows it.
  static let smallRecord = 16 << 10
  static let block = 64 << 10

  /// The lengths of the run's records so far, in order.
  private var lengths: [Int] = []
  /// Where the run's next record starts (the end of the last one recorded).
  private var end = 0
  /// The period the last predictions used, and the index of the last record predicted
  /// with it (predictions are not asked for twice while the period holds).
  private var period = 0
  private var predictedThrough = 0
  /// The end of the last range asked for: ranges are not asked for twice.
  private var askedThrough = 0
  /// The length the period predicts for the next record: when the record differs, the
  /// predictions made with it were wrong past that record, and are made again.
  private var expectedLength = 0

  /// Records that the record at `start` is `length` bytes long, and returns the byte ranges
  /// to read ahead: none while `slow` is false (a warm run), nor while the run shows no period
  /// and the record is not small. A record that does not start where the last one ended
  /// begins a new run.
  ///
  /// A period `p` counts once the last `min(max(p, 3), 4)` lengths repeat the ones `p` before
  /// them (three for a period of up to three records, four past it: a transformer's layer of
  /// ten records is predicted from the fourth record of its second layer),
  /// and predicts as many records ahead as have repeated so far (up to ``horizon``): a short
  /// accidental repeat asks for little, and every wrong guess delays the reads the chain waits
  /// for behind it.
  mutating func record(start: Int, length: Int, slow: Bool, limit: Int) -> [Range<Int>] {
    if start != end || lengths.isEmpty {
      lengths.removeAll(keepingCapacity: true)
      period = 0
    }
    if lengths.count >= Self.kept {
      let dropped = lengths.count - 2 * Self.longestPeriod
      lengths.removeFirst(dropped)
      predictedThrough -= dropped
    }
    lengths.append(length)
    end = start + length
    if period != 0, abs(length - expectedLength) > Self.tolerance { period = 0 }
    guard slow else { return [] }
    var ranges = predictedRanges(limit: limit)
    if ranges.isEmpty, length <= Self.smallRecord {
      let lower = max(askedThrough, SparseFileCopy.pageBoundary(atOrAfter: end + Self.margin))
      let upper = min(limit, end + Self.block)
      if upper - lower >= Self.block / 2 || (upper == limit && lower < upper) {
        ranges.append(lower..<upper)
        askedThrough = upper
      }
    }
    return ranges
  }

  /// The ranges of the records the period predicts, up to as many ahead as have repeated.
  private mutating func predictedRanges(limit: Int) -> [Range<Int>] {
    guard let (found, repeated) = repeatingPeriod() else { return [] }
    let last = lengths.count - 1
    if found != period {  // a new period, or the last one mispredicted: ask again
      period = found
      predictedThrough = last
      askedThrough = 0
    }
    let horizon = min(Self.horizon, repeated)
    var ranges: [Range<Int>] = []
    // Record `last + 1` starts at `end`, exactly; the ones after it where the period says.
    var predictedStart = end
    for index in (last + 1)...(last + horizon) {
      let predictedLength = lengths[index - period * ((index - last - 1) / period + 1)]
      if index > predictedThrough, index > last + 1 {
        let lower = max(askedThrough, predictedStart - Self.margin)
        let upper = min(limit, predictedStart + min(predictedLength, Self.span) + Self.margin)
        if lower < upper {
          if let previous = ranges.last, previous.upperBound >= lower {
            ranges[ranges.count - 1] = previous.lowerBound..<upper
          } else {
            ranges.append(lower..<upper)
          }
          askedThrough = upper
        }
      }
      predictedStart += predictedLength
      if predictedStart >= limit { break }
    }
    predictedThrough = max(predictedThrough, last + horizon)
    expectedLength = lengths[last + 1 - period]
    return ranges
  }

  /// The shortest period `p` whose last `min(max(p, 3), 4)` lengths repeat the ones `p` before them,
  /// with how many trailing lengths repeat so; or nil.
  private func repeatingPeriod() -> (period: Int, repeated: Int)? {
    let count = lengths.count
    guard count >= 4 else { return nil }
    let enough = max(Self.horizon, Self.longestPeriod)
    for candidate in 1...min(Self.longestPeriod, count - 3) {
      var repeated = 0
      while repeated < enough, repeated + candidate < count,
        abs(lengths[count - 1 - repeated] - lengths[count - 1 - repeated - candidate]) <= Self.tolerance
      {
        repeated += 1
      }
      if repeated >= min(max(candidate, 3), 4) { return (candidate, repeated) }
    }
    return nil
  }
}
