import ConvScopeCore
import Dispatch
import Foundation

/// The skimmed elements of a JSON document (``JSONFastParser/parse(_:skimmingElementsAt:)``),
/// read when asked for. A reader that asks for them in order (a Keras model's layers, emitted in
/// file order) gets each batch of ``batchSize`` read ahead on another thread while it works on
/// the batch before, and the batch it is done with dropped there too; an element asked for out
/// of order is read on its own. Used from one thread.
final class SkimmedElements {
  /// How many elements are read ahead at a time: a few hundred layers' trees, a megabyte or two.
  static let batchSize = 256

  private let data: Data
  private let skimmed: JSONFastParser.Skimmed
  /// Whether batches are read ahead: with more than one processor, and enough elements.
  private let readsAhead: Bool
  /// The batch at hand.
  private var current: (number: Int, batch: Batch)?
  /// The batch read ahead, and the group it leaves when read.
  private var ahead: (number: Int, batch: Batch, read: DispatchGroup)?

  /// The `skimmed` elements of `data`, the document they were skimmed from; batches are read
  /// ahead when `readsAhead` says so, by default where ``ParallelRows`` would use a second thread.
  init(data: Data, skimmed: JSONFastParser.Skimmed, readsAhead: Bool? = nil) {
    self.data = data
    self.skimmed = skimmed
    self.readsAhead = readsAhead ?? (ParallelRows.workers(for: skimmed.ranges.count) > 1)
  }

  var count: Int { skimmed.ranges.count }

  /// The element at `index`, read; `nil` where it no longer reads.
  func element(at index: Int) -> JSONValue? {
    let number = index / Self.batchSize
    if let current, current.number == number { return current.batch.values[index - number * Self.batchSize] }
    guard readsAhead, number == (current?.number ?? -1) + 1 else {
      return Self.read(skimmed.ranges[index...index], of: data, skimmed.depth)[0]
    }
    let next: Batch
    if let ahead, ahead.number == number {
      ahead.read.wait()
      next = ahead.batch
    } else {
      next = Batch()
      next.values = Self.read(ranges(ofBatch: number), of: data, skimmed.depth)
    }
    let done = current?.batch
    current = (number, next)
    ahead = nil
    let following = ranges(ofBatch: number + 1)
    if !following.isEmpty {
      let batch = Batch()
      batch.dropped = done
      let read = DispatchGroup()
      let (data, ranges, depth) = (data, following, skimmed.depth)
      DispatchQueue.global().async(group: read) {
        batch.dropped = nil
        batch.values = Self.read(ranges, of: data, depth)
        Self.release(ranges, of: data)
      }
      ahead = (number + 1, batch, read)
    }
    return next.values[index - number * Self.batchSize]
  }

  /// The ranges of batch `number`.
  private func ranges(ofBatch number: Int) -> ArraySlice<Range<Int>> {
    let start = min(number * Self.batchSize, count)
    return skimmed.ranges[start..<min(start + Self.batchSize, count)]
  }

  /// Hands back the pages of a mapped file that hold the elements at `ranges`, read into their
  /// trees (``FileMappings``): a reader in order never reads them again (one out of order reads
  /// them from the file again). The page the next element starts in stays.
  private static func release(_ ranges: ArraySlice<Range<Int>>, of data: Data) {
    guard let first = ranges.first, let last = ranges.last else { return }
    FileMappings.release(first.lowerBound..<last.upperBound, of: data)
  }

  /// The elements at `ranges` of `data`, read at nesting depth `depth`.
  private static func read(_ ranges: ArraySlice<Range<Int>>, of data: Data, _ depth: Int) -> [JSONValue?] {
    data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      return ranges.map { JSONFastParser.element(in: bytes, at: $0, depth: depth) }
    }
  }

  /// One batch's elements, written by the thread that reads them before it leaves the batch's
  /// group and read by the reader after it has waited for the group; and the reader's previous
  /// batch, dropped on that thread.
  private final class Batch: @unchecked Sendable {
    var values: [JSONValue?] = []
    var dropped: Batch?
  }
}
