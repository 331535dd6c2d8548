import ConvScopeCore

/// Reads a ``PT2Program`` out of the parsed JSON, checking the schema as it goes: every
/// member it needs must be there with the right kind, and sizes and symbol ranges must be sane.
enum PT2ProgramReader {
  /// The largest size one dim may declare; past it the archive is taken as damaged.
  static let largestDim = 1 << 40

  static func read(_ document: PT2JSON) throws(ConvScopeError) -> PT2Program {
    var program = PT2Program()
    let module = try document.member("graph_module")
    let graph = try module.member("graph")
    program.graphPath = graph.path
    for (name, meta) in try graph.member("tensor_values").members() {
      program.values[name] = try value(meta)
    }
    for node in try graph.member("nodes").elements() { program.nodes.append(try self.node(node)) }
    let signature = try module.member("signature")
    for spec in try signature.member("input_specs").elements() {
      program.inputs.append(try input(spec))
    }
    for spec in try signature.member("output_specs").elements() {
      let (tag, body) = try spec.union()
      guard tag == "user_output", case .tensor(let name) = try argument(try body.member("arg")) else { continue }
      program.outputs.append(name)
    }
    if let ranges = document.optional("range_constraints") {
      for (symbol, range) in try ranges.members() {
        let low = try range.member("min_val").int()
        let high = try range.optional("max_val")?.int()
        guard low >= 0, high.map({ $0 >= low }) ?? true else {
          throw range.error("symbol \(symbol) has the range [\(low), \(high.map(String.init) ?? "inf")]")
        }
        program.ranges[symbol] = (low, high)
      }
    }
    return program
  }

  /// A `TensorMeta`: dtype and sizes.
  private static func value(_ meta: PT2JSON) throws(ConvScopeError) -> PT2Program.Value {
    let code = try meta.member("dtype").int()
    guard let dataType = dataTypes[code] else {
      throw meta.error("unknown dtype code \(code)", at: meta.path + ".dtype")
    }
    var dims: [Dim] = []
    for size in try meta.member("sizes").elements() { dims.append(try dim(size)) }
    return PT2Program.Value(dataType: dataType, shape: Shape(dims))
  }

  /// A `SymInt`: a literal size, or an expression (`Symbol('s77', ...)`, `s0`) whose bare
  /// symbol becomes a named dim; a compound expression (`2*s0`) an unknown one.
  static func dim(_ size: PT2JSON) throws(ConvScopeError) -> Dim {
    let (tag, body) = try size.union()
    switch tag {
    case "as_int":
      let value = try body.int()
      guard value >= 0, value <= largestDim else { throw body.error("a size of \(value) is out of range") }
      return .fixed(value)
    case "as_expr":
      return symbol(in: try body.member("expr_str").string()).map(Dim.symbolic) ?? .unknown
    default:
      throw size.error("expected as_int or as_expr, found \(tag)")
    }
  }

  /// The symbol an expression names when it is a bare symbol.
  static func symbol(in expression: String) -> String? {
    var text = Substring(expression)
    if text.hasPrefix("Symbol('") {
      text = text.dropFirst(8).prefix(while: { $0 != "'" })
    }
    guard let first = text.first, first.isLetter, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
      return nil
    }
    return String(text)
  }

  private static func node(_ json: PT2JSON) throws(ConvScopeError) -> PT2Program.Node {
    var target = try json.member("target").string()
    if target.hasPrefix("torch.ops.") { target.removeFirst(10) }
    var inputs: [PT2Program.NamedArgument] = []
    for input in try json.member("inputs").elements() {
      let arg = try input.member("arg")
      inputs.append(.init(name: try input.member("name").string(), value: try argument(arg), path: arg.location))
    }
    var outputs: [PT2Program.Argument] = []
    for output in try json.member("outputs").elements() { outputs.append(try argument(output)) }
    var node = PT2Program.Node(
      target: target, name: try json.optional("name")?.string() ?? "", inputs: inputs, outputs: outputs,
      path: json.location
    )
    // "key,path,class;key,path,class": the last entry is the innermost module.
    if let stack = try json.optional("metadata")?.optional("nn_module_stack")?.string(),
      let innermost = stack.split(separator: ";").last
    {
      let fields = innermost.split(separator: ",", omittingEmptySubsequences: false)
      if fields.count >= 3 {
        node.modulePath = fields[1].isEmpty ? nil : String(fields[1])
        node.moduleClass = fields[fields.count - 1].split(separator: ".").last.map(String.init)
      }
    }
    return node
  }

  /// A graph input spec (`InputSpec`, a union).
  private static func input(_ spec: PT2JSON) throws(ConvScopeError) -> (name: String, kind: PT2Program.InputKind) {
    let (tag, body) = try spec.union()
    let kinds: [String: PT2Program.InputKind] = [
      "parameter": .parameter, "buffer": .buffer, "tensor_constant": .constant, "user_input": .user,
    ]
    guard let kind = kinds[tag] else { return ("", .ignored) }
    let arg = try body.member("arg")
    if kind == .user {
      guard case .tensor(let name) = try argument(arg) else { return ("", .ignored) }
      return (name, kind)
    }
    return (try arg.member("name").string(), kind)
  }

  /// An `Argument` union.
  static func argument(_ json: PT2JSON) throws(ConvScopeError) -> PT2Program.Argument {
    let (tag, body) = try json.union()
    switch tag {
    case "as_none": return .noValue
    case "as_tensor": return .tensor(try body.member("name").string())
    case "as_tensors":
      var names: [String] = []
      for element in try body.elements() { names.append(try element.member("name").string()) }
      return .tensors(names)
    case "as_optional_tensors":
      var names: [String?] = []
      for element in try body.elements() {
        let (kind, value) = try element.union()
        names.append(kind == "as_tensor" ? try value.member("name").string() : nil)
      }
      return .optionalTensors(names)
    case "as_int": return .int(try body.int())
    case "as_ints": return .ints(try body.elements().map { (item) throws(ConvScopeError) in try item.int() })
    case "as_float": return .double(try body.double())
    case "as_floats": return .doubles(try body.elements().map { (item) throws(ConvScopeError) in try item.double() })
    case "as_bool": return .bool(try body.bool())
    case "as_bools": return .bools(try body.elements().map { (item) throws(ConvScopeError) in try item.bool() })
    case "as_string": return .string(try body.string())
    case "as_scalar_type": return .scalarType(try body.int())
    case "as_sym_int": return .symInt(try symSize(body))
    case "as_sym_ints": return .symInts(try body.elements().map { (item) throws(ConvScopeError) in try symSize(item) })
    default: return .other(tag)
    }
  }

  private static func symSize(_ json: PT2JSON) throws(ConvScopeError) -> PT2Program.SymSize {
    let (tag, body) = try json.union()
    return tag == "as_int" ? .literal(try body.int()) : .name(try body.string())
  }

  /// torch's `ScalarType` codes (`schema.py`).
  static let dataTypes: [Int: DataType] = [
    1: .uint8, 2: .int8, 3: .int16, 4: .int32, 5: .int64, 6: .float16, 7: .float32, 8: .float64, 10: .complex64,
    11: .complex128, 12: .bool, 13: .bfloat16, 28: .uint16, 29: .float8e4m3fn, 30: .float8e5m2, 31: .float8e4m3fnuz,
    32: .float8e5m2fnuz, 33: .float8e8m0, 34: .uint32, 35: .uint64,
  ]
}
