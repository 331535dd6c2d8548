/// A JSON object's members, in the file's order, looked up by key.
///
/// Most objects in a model file are small (a Keras layer's `config` has about fifteen keys,
/// nearly all of them short enough to be stored, and compared, inline), so a small object is
/// searched in place: no hash of every key as it is read, no hash table per object. An object
/// with more than ``indexedCount`` members (a safetensors header, a `.pt2` table) also keeps a
/// hash index of its keys, built with it, so no lookup is a scan of thousands.
struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
  typealias Member = (key: String, value: JSONValue)

  /// Past this many members an object keeps a hash index of its keys.
  static let indexedCount = 16

  private var members: [Member]
  /// Each key's position in ``members``, for objects of more than ``indexedCount`` members.
  private var positions: [String: Int]?

  /// `members` as one object, or `nil` when a key repeats (where `JSONSerialization` must decide).
  init?(uniqueMembers members: [Member]) {
    self.members = members
    if members.count > Self.indexedCount {
      var positions = [String: Int](minimumCapacity: members.count)
      for (position, member) in members.enumerated() {
        guard positions.updateValue(position, forKey: member.key) == nil else { return nil }
      }
      self.positions = positions
    } else {
      for i in members.indices {
        for j in members.indices.prefix(i) where members[j].key == members[i].key { return nil }
      }
    }
  }

  init(dictionaryLiteral elements: (String, JSONValue)...) {
    self.init()
    for (key, value) in elements { self[key] = value }
  }

  init() {
    members = []
  }

  var count: Int { members.count }
  var isEmpty: Bool { members.isEmpty }
  var keys: [String] { members.map(\.key) }
  var values: [JSONValue] { members.map(\.value) }

  /// The member `key`'s value; setting one replaces it, or adds it at the end.
  subscript(key: String) -> JSONValue? {
    get { position(of: key).map { members[$0].value } }
    set {
      switch (position(of: key), newValue) {
      case (let position?, let value?):
        members[position].value = value
      case (let position?, nil):
        members.remove(at: position)
        reindex()
      case (nil, let value?):
        members.append((key, value))
        if positions != nil {
          positions?[key] = members.count - 1
        } else if members.count > Self.indexedCount {
          reindex()
        }
      case (nil, nil):
        break
      }
    }
  }

  func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

  /// Equal as dictionaries are: the same keys, each with an equal value, in any order.
  static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.count == rhs.count else { return false }
    // A loop, not `allSatisfy`: documents nest 512 deep, and each level is a frame of this.
    for member in lhs.members where rhs[member.key] != member.value { return false }
    return true
  }

  private func position(of key: String) -> Int? {
    if let positions { return positions[key] }
    return members.firstIndex { $0.key == key }
  }

  private mutating func reindex() {
    guard members.count > Self.indexedCount else {
      positions = nil
      return
    }
    var positions = [String: Int](minimumCapacity: members.count)
    for (position, member) in members.enumerated() { positions[member.key] = position }
    self.positions = positions
  }
}
