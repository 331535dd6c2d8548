import ConvScopeCore
import ConvScopeReport

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Per-node metrics as a Netron attachment: a JSON file that recent Netron
/// versions read when it is opened while a model is shown, adding a Metrics
/// and a Metadata section to each node's sidebar. The format is Netron's own
/// (`source/view.js`, `metadata.Attachment`): `{"signature": "netron:attachment",
/// "metadata": [...], "metrics": [...]}`, each entry
/// `{"kind": "node", "target": NODE_NAME, "name": ..., "value": ...}`.
/// Targets are the model's node names, so the file fits the ONNX model it was
/// made from. How to load it: docs/html-dot-netron.md.
public enum NetronRenderer {
  /// `report` as a Netron attachment; ends with a newline.
  public static func render(_ report: Report) throws(ConvScopeError) -> String {
    var metadata: [Entry] = []
    var metrics: [Entry] = []
    for layer in report.visibleLayers {
      func entry(_ name: String, _ value: Value) -> Entry {
        Entry(kind: "node", target: layer.name, name: name, value: value)
      }
      metadata.append(entry("convscope.output_shape", .text(layer.outputShapeText)))
      if !layer.labelledShapeFormulas.isEmpty {
        metadata.append(entry("convscope.shape_formula", .text(layer.labelledShapeFormulas.joined(separator: "; "))))
      }
      if let formula = layer.paramFormula { metadata.append(entry("convscope.param_formula", .text(formula))) }
      guard layer.supported else {
        metadata.append(entry("convscope.note", .text(layer.warnings.joined(separator: "; "))))
        continue
      }
      metrics += [
        entry("macs", .integer(layer.macs)), entry("flops", .integer(layer.flops)),
        entry("parameters", .integer(layer.params)), entry("output_bytes", .integer(layer.activationBytes)),
        entry("macs_share", .text(NumberFormatting.percent(layer.macsShare))),
      ]
      if !layer.receptiveFieldText.isEmpty { metrics.append(entry("receptive_field", .text(layer.receptiveFieldText))) }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      let data = try encoder.encode(Attachment(metadata: metadata, metrics: metrics))
      return String(decoding: data, as: UTF8.self) + "\n"
    } catch {
      throw ConvScopeError(file: report.model.source, message: "cannot write the Netron attachment: \(error)")
    }
  }

  struct Attachment: Encodable {
    let signature = "netron:attachment"
    var metadata: [Entry]
    var metrics: [Entry]
  }

  struct Entry: Encodable {
    var kind: String
    var target: String
    var name: String
    var value: Value
  }

  enum Value: Encodable {
    case integer(Int)
    case text(String)

    func encode(to encoder: Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .integer(let value): try container.encode(value)
      case .text(let value): try container.encode(value)
      }
    }
  }
}
