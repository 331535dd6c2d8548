import ConvScopeCore
import Foundation

/// Reads a language model's weights-file header (GGUF or safetensors) without reading its
/// tensor data: the file is memory-mapped and only the header's bytes are touched, so a
/// 7-billion-parameter file reads in milliseconds (docs/gguf-safetensors.md).
///
/// ```swift
/// let header = try LanguageModelHeaderReader.read(fileAt: "llama-2-7b.Q4_K_M.gguf")
/// print(header.shape?.layers ?? 0, header.tensors.count)
/// ```
public enum LanguageModelHeaderReader {
  /// The header format `prefix` (a file's first bytes) opens like: `GGUF` for GGUF; for
  /// safetensors, an 8-byte little-endian length below 2^56 (so its last byte is 0, which no
  /// text format's eighth byte is) then `{` (after optional blanks).
  public static func format(prefix: Data) -> LanguageModelHeader.HeaderFormat? {
    let bytes = [UInt8](prefix.prefix(16))
    if bytes.starts(with: Array("GGUF".utf8)) { return .gguf }
    guard bytes.count >= 9 else { return nil }
    let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    return length >= 2 && bytes[7] == 0 && bytes[8...].firstNonBlankByte == UInt8(ascii: "{") ? .safetensors : nil
  }

  /// Reads the header of the file at `path`; for safetensors, the `config.json` in the same
  /// folder too, when there is one.
  public static func read(fileAt path: String) throws(ConvScopeError) -> LanguageModelHeader {
    let (data, directory) = try ModelLoader.read(path: path)
    return try read(data: data, fileName: path, directory: directory)
  }

  /// Reads the header of `data` (a whole file, usually mapped); `fileName` is used in errors,
  /// `directory` is the folder whose `config.json` describes a safetensors file (`nil`: none).
  public static func read(data: Data, fileName: String, directory: URL?) throws(ConvScopeError)
    -> LanguageModelHeader
  {
    switch format(prefix: data.prefix(16)) {
    case .gguf:
      let header = try data.withUnsafeBytes { bytes in
        Result { () throws(ConvScopeError) in try GGUFHeader(bytes: bytes, fileName: fileName) }
      }.get()
      let (shape, reason) = header.transformerShape()
      return LanguageModelHeader(
        format: .gguf, shape: shape, unmappedReason: reason, tensors: header.tensors,
        metadata: header.metadata.map { ($0.key, $0.value.text) })
    case .safetensors:
      let header = try SafetensorsHeader(data: data, fileName: fileName)
      let (shape, reason) = configShape(directory: directory)
      return LanguageModelHeader(
        format: .safetensors, shape: shape, unmappedReason: reason, tensors: header.tensors,
        metadata: header.metadata)
    case nil:
      throw ConvScopeError(
        file: fileName, byteOffset: 0,
        message: "neither a GGUF file (magic 'GGUF') nor a safetensors file (an 8-byte length, then '{')")
    }
  }

  /// The shape the `config.json` in `directory` describes, or why there is none. Only that
  /// one file is read, and only when it resolves inside `directory` (a link out is refused).
  static func configShape(directory: URL?) -> (shape: TransformerShape?, unmappedReason: String?) {
    guard let directory else { return (nil, "no config.json: the file was not read from a folder") }
    let folder = directory.resolvingSymlinksInPath().standardizedFileURL
    let config = directory.appendingPathComponent("config.json")
    guard FileManager.default.fileExists(atPath: config.path) else {
      return (nil, "no config.json beside the file, which the architecture comes from")
    }
    let resolved = config.resolvingSymlinksInPath().standardizedFileURL
    guard resolved.deletingLastPathComponent().path == folder.path else {
      return (nil, "config.json links outside the model's folder; it is not read")
    }
    do {
      let data = try FileReading.read(path: resolved.path, name: "config.json")
      let limit = try ResourceLimits.headerBytes
      guard data.count <= limit else { return (nil, "config.json is larger than \(limit) bytes; it is not read") }
      return HuggingFaceConfig.shape(try JSONValue.parse(data, fileName: "config.json"))
    } catch {
      return (nil, "config.json cannot be read: \(error.description)")
    }
  }
}
