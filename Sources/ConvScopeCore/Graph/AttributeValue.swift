/// A node attribute, as in ONNX's `AttributeProto`.
public indirect enum AttributeValue: Hashable, Sendable {
  case int(Int)
  case float(Double)
  case string(String)
  case ints([Int])
  case floats([Double])
  case strings([String])
  case tensor(ConstantTensor)
  case graph(Graph)
  case graphs([Graph])
  /// An attribute that refers to one of the enclosing function's attributes.
  case reference(String)

  /// A short name of the kind, for error messages.
  public var kindName: String {
    switch self {
    case .int: "int"
    case .float: "float"
    case .string: "string"
    case .ints: "ints"
    case .floats: "floats"
    case .strings: "strings"
    case .tensor: "tensor"
    case .graph: "graph"
    case .graphs: "graphs"
    case .reference: "reference"
    }
  }
}
