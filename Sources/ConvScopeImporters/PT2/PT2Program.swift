import ConvScopeCore

/// The parts of a serialized `ExportedProgram` (`torch/_export/serde/schema.py`) ConvScope
/// reads: the graph's nodes with their arguments, every value's dtype and sizes, the graph
/// signature (which inputs are parameters, buffers, constants or user inputs), the symbols'
/// ranges, and each node's module path. Payloads are never read.
struct PT2Program {
  /// A graph value's element type and sizes as the file records them.
  struct Value {
    var dataType: DataType
    var shape: Shape
  }

  /// A symbolic size (`SymIntArgument`): a literal or the name of a sym-int value.
  enum SymSize: Equatable {
    case literal(Int)
    case name(String)
  }

  /// One argument (`Argument`, a union): the kinds the mapped operators take, and `other`
  /// (its tag) for the rest (devices, layouts, memory formats).
  enum Argument {
    case noValue
    case tensor(String)
    case tensors([String])
    case optionalTensors([String?])
    case int(Int)
    case ints([Int])
    case double(Double)
    case doubles([Double])
    case bool(Bool)
    case bools([Bool])
    case string(String)
    case symInt(SymSize)
    case symInts([SymSize])
    case scalarType(Int)
    case other(String)
  }

  /// A node's argument with its schema name; `path` locates it for errors.
  struct NamedArgument {
    var name: String
    var value: Argument
    var path: PT2Path?
  }

  /// One call of an operator (`Node`).
  struct Node {
    /// The operator without `torch.ops.`: `aten.conv2d.default`.
    var target: String
    var name: String
    var inputs: [NamedArgument]
    var outputs: [Argument]
    /// The innermost module's dotted path (`layer1.0.conv1`) and class name.
    var modulePath: String?
    var moduleClass: String?
    var path: PT2Path?
  }

  /// What the graph signature says a graph input is.
  enum InputKind: Equatable {
    case parameter
    case buffer
    case constant
    case user
    /// A token, a custom object or a non-tensor constant input: not a tensor ConvScope reads.
    case ignored
  }

  var nodes: [Node] = []
  var values: [String: Value] = [:]
  /// Graph inputs in order, with their kind (from `signature.input_specs`).
  var inputs: [(name: String, kind: InputKind)] = []
  /// The user outputs (`signature.output_specs` of kind `user_output`).
  var outputs: [String] = []
  /// Each symbol's declared range (`range_constraints`), when bounded.
  var ranges: [String: (min: Int, max: Int?)] = [:]
  /// Where the program's graph lies in the document, for errors.
  var graphPath = "graph_module.graph"
}
