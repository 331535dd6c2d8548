/// One operation in the graph, with ONNX semantics: `opType` and attribute
/// names are ONNX's, whatever format the model came from.
public struct Node: Hashable, Sendable {
  /// The layer name shown to the user (unique within a graph after import).
  public var name: String
  /// The ONNX op type: `Conv`, `MaxPool`, `Gemm`...
  public var opType: String
  /// The operator domain; `""` is the default ONNX domain.
  public var domain: String
  /// Input tensor names, in ONNX's positional order; `""` marks an omitted optional input.
  public var inputs: [String]
  /// Output tensor names.
  public var outputs: [String]
  /// Attributes by ONNX name.
  public var attributes: [String: AttributeValue]
  /// The source-format layer this node came from, when one layer became several nodes
  /// (a Keras Conv2D with `activation="relu"`), used to group rows.
  public var sourceLayer: String?
  /// A remark to print as a footnote under the table (native specs' `note:`).
  public var note: String?
  /// Where a text format wrote the layer this node came from, so that an analysis error
  /// points at the line (specs and prototxt set it; binary formats have none).
  public var position: SourcePosition?

  public init(
    name: String, opType: String, domain: String = "", inputs: [String], outputs: [String],
    attributes: [String: AttributeValue] = [:], sourceLayer: String? = nil, note: String? = nil
  ) {
    self.name = name
    self.opType = opType
    self.domain = domain
    self.inputs = inputs
    self.outputs = outputs
    self.attributes = attributes
    self.sourceLayer = sourceLayer
    self.note = note
  }
}

/// A 1-based line and column in a text model file, and where the file wrote the fields an
/// attribute came from, so that an error about an attribute points at what the user wrote.
public struct SourcePosition: Hashable, Sendable {
  public var line: Int
  public var column: Int
  /// By ONNX attribute name (`kernel_shape`): the source's own key (`kernel`) and its position.
  public var fields: [String: SourceField]

  public init(line: Int, column: Int, fields: [String: SourceField] = [:]) {
    self.line = line
    self.column = column
    self.fields = fields
  }
}

/// A key as a text model file wrote it, and where.
public struct SourceField: Hashable, Sendable {
  public var key: String
  public var line: Int
  public var column: Int

  public init(key: String, line: Int, column: Int) {
    self.key = key
    self.line = line
    self.column = column
  }
}
