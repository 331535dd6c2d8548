import ConvScopeCore
import Foundation

/// Reads model files and says in plain words why one cannot be read: never a Foundation
/// error domain or code, and an empty file is called empty.
package enum FileReading {
  /// The bytes of the file at `path`: a regular file is memory-mapped; anything else (a
  /// device such as `/dev/null`, a pipe such as `<(cat model.onnx)`) is read to its end,
  /// up to ``ResourceLimits/standardInputBytes``. Errors name the file `name` (the path by default).
  package static func read(path: String, name: String? = nil) throws(ConvScopeError) -> Data {
    let name = name ?? path
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw ConvScopeError(file: name, message: "cannot read the file: \(posixText(errno))")
    }
    let type = info.st_mode & S_IFMT
    if type == S_IFDIR { throw ConvScopeError(file: name, message: "is a directory, not a model file") }
    do {
      if type == S_IFREG { return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) }
      guard let handle = FileHandle(forReadingAtPath: path) else {
        throw CocoaError(.fileReadNoPermission)
      }
      defer { try? handle.close() }
      let limit = try ResourceLimits.standardInputBytes
      var data = Data()
      while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
        guard chunk.count <= limit - data.count else {
          throw ConvScopeError(
            file: name,
            message:
              "holds more than \(NumberFormatting.grouped(limit)) bytes, the limit for standard input and other streams "
              + "(\(ResourceLimits.standardInputVariable) raises it)")
        }
        data.append(chunk)
      }
      return data
    } catch let error as ConvScopeError {
      throw error
    } catch {
      throw ConvScopeError(file: name, message: "cannot read the file: \(describe(error))")
    }
  }

  /// What went wrong, as a person would say it: "permission denied", "no such file or directory".
  package static func describe(_ error: any Error) -> String {
    let error = error as NSError
    if error.domain == NSPOSIXErrorDomain { return posixText(Int32(error.code)) }
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return posixText(Int32(underlying.code))
    }
    switch CocoaError.Code(rawValue: error.code) {
    case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
    case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
    case .fileWriteVolumeReadOnly: return "read-only file system"
    case .fileWriteOutOfSpace: return "no space left on the device"
    case .fileReadTooLarge: return "the file is too large to read"
    case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "the text is not valid UTF-8"
    default: return "the system refused it (code \(error.code))"
    }
  }

  /// The system's words for an `errno` code, lower-cased to sit inside a sentence.
  package static func posixText(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    return text.prefix(1).lowercased() + text.dropFirst()
  }
}
