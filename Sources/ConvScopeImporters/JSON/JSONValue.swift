import ConvScopeCore
import Foundation

/// A parsed JSON document, as Keras' `model.to_json()` writes it.
enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// Parses `data` (by ``JSONFastParser``, or by `JSONSerialization` where that gives up);
  /// the error names the file and says what is wrong and where.
  static func parse(_ data: Data, fileName: String) throws(ConvScopeError) -> JSONValue {
    let parsed = data.withUnsafeBytes { raw in JSONFastParser.parse(raw.bindMemory(to: UInt8.self)) }
    if let parsed { return parsed }
    return try parsedByFoundation(data, fileName: fileName)
  }

  /// `data` as `JSONSerialization` reads it; its error, located, when it does not parse.
  static func parsedByFoundation(_ data: Data, fileName: String) throws(ConvScopeError) -> JSONValue {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
      throw ConvScopeError(file: fileName, message: "malformed JSON: \(detail ?? "the text does not parse as JSON")")
    }
    return JSONValue(object)
  }

  /// Converts what `JSONSerialization` returns.
  private init(_ object: Any) {
    switch object {
    case let string as String: self = .string(string)
    case let list as [Any]: self = .array(list.map(JSONValue.init))
    case let members as [String: Any]:
      var object = JSONObject()
      for (key, member) in members { object[key] = JSONValue(member) }
      self = .object(object)
    case let number as NSNumber:
      switch String(cString: number.objCType) {
      case "c", "B": self = .bool(number.boolValue)
      case "d", "f": self = .double(number.doubleValue)
      default: self = .int(number.intValue)
      }
    default: self = .null
    }
  }

  /// The member `key` of an object (`nil` for other kinds or a missing key).
  subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  var object: JSONObject? {
    if case .object(let members) = self { return members }
    return nil
  }

  var array: [JSONValue]? {
    if case .array(let elements) = self { return elements }
    return nil
  }

  var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// An integer, also from a real with no fraction (`6.0`).
  var int: Int? {
    switch self {
    case .int(let value): return value
    case .double(let value) where value.rounded() == value && abs(value) < 1e15: return Int(value)
    default: return nil
    }
  }

  var double: Double? {
    switch self {
    case .int(let value): return Double(value)
    case .double(let value): return value
    default: return nil
    }
  }

  var bool: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  var isNull: Bool { self == .null }

  /// A short description of the kind, for errors.
  var kindName: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .int, .double: "a number"
    case .string: "a string"
    case .array: "a list"
    case .object: "an object"
    }
  }
}
