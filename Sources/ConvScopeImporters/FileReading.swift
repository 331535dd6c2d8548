import ConvScopeCore
import Foundation

/// Reads model files and says in plain words why one cannot be read: never a Foundation
/// error domain or code, and an empty file is called empty.
package enum FileReading {
  /// The type bits of what `path` names (`S_IFREG`, `S_IFDIR`, ...), following symbolic
  /// links; nil when it cannot be examined (no such file, no permission). One `stat` call,
  /// where `FileManager`'s first use builds its shared instance (about 50 µs of a run).
  package static func fileType(_ path: String) -> mode_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & S_IFMT
  }

  /// The folder holding the file at `path`, as a file URL (``ModelImporter``'s `directory`). A
  /// relative path is made absolute here, with `getcwd`: `URL(fileURLWithPath:)` does it through
  /// `FileManager`, about 700,000 instructions, a tenth of a small model's run.
  package static func folder(of path: String) -> URL {
    var absolute = path
    if !path.hasPrefix("/"), let directory = getcwd(nil, 0) {
      absolute = String(cString: directory) + "/" + path
      free(directory)
    }
    return URL(fileURLWithPath: absolute).deletingLastPathComponent()
  }

  /// The last path component of `path` without its extension: `resnet18` for
  /// `zoo/resnet18.onnx` and `cnn.mlpackage/`, `.hidden` for itself; empty when nothing is left.
  /// Plain string work, where `URL(fileURLWithPath:)` would first make the path absolute.
  package static func baseName(of path: String) -> String {
    let last = path.split(separator: "/").last.map(String.init) ?? ""
    let stem = last.lastIndex(of: ".").map { last[..<$0] }.map(String.init) ?? last
    return stem.isEmpty ? last : stem
  }

  /// The bytes of the file at `path`: a regular file is memory-mapped; anything else (a
  /// device such as `/dev/null`, a pipe such as `<(cat model.onnx)`), and a regular file that
  /// reports no size (as `/proc` files do), is read to its end,
  /// up to ``ResourceLimits/standardInputBytes``. Errors name the file `name` (the path by default).
  package static func read(path: String, name: String? = nil) throws(ConvScopeError) -> Data {
    let name = name ?? path
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw systemRefusal(name)
    }
    let type = info.st_mode & S_IFMT
    if type == S_IFDIR { throw ConvScopeError(file: name, message: "is a directory, not a model file") }
    do {
      if type == S_IFREG, let data = try mapped(path: path, name: name) { return data }
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

  /// The regular file at `path`, mapped read-only (its size taken from the open file, so a
  /// file that grows or shrinks meanwhile is mapped as it is now); nil when it reports no size
  /// or is no longer a regular file, for the caller to read it as a stream. Opened without
  /// blocking, as `Data(contentsOf:)` opens it (a path swapped for a pipe since it was looked
  /// at must not hang the open), which does the same through a `URL` whose path it rebuilds:
  /// about 100 µs of a small model's run.
  private static func mapped(path: String, name: String) throws(ConvScopeError) -> Data? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw systemRefusal(name) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw systemRefusal(name)
    }
    let size = Int(info.st_size)
    guard info.st_mode & S_IFMT == S_IFREG, size > 0 else { return nil }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      throw systemRefusal(name)
    }
    FileMappings.register(base, count: size)
    return Data(
      bytesNoCopy: base, count: size,
      deallocator: .custom { base, count in
        FileMappings.forget(base)
        munmap(base, count)
      })
  }

  /// The error for a system call on file `name` that failed, in the words of its `errno`.
  private static func systemRefusal(_ name: String) -> ConvScopeError {
    ConvScopeError(file: name, message: "cannot read the file: \(posixText(errno))")
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
