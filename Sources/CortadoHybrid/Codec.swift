import Foundation

/// Turns values into bytes and back for the shared store.
///
/// A codec works for any `Codable` type, so one codec value can serve every
/// ``HybridCache``. Its ``identifier`` is written into each envelope: a value
/// written by another codec is a miss, not a decoding attempt.
///
/// ```swift
/// struct PropertyListCodec: HybridValueCodec {
///     var identifier: UInt8 { 2 }
///     func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
///         Array(try PropertyListEncoder().encode(value))
///     }
///     func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
///         try PropertyListDecoder().decode(type, from: Data(bytes))
///     }
/// }
/// ```
public protocol HybridValueCodec: Sendable {
  /// A number from 1 to 127 naming the encoding. ``JSONValueCodec`` uses 1.
  var identifier: UInt8 { get }

  /// Encodes `value`. An error here is a programming error and is thrown to
  /// the caller of the write.
  func encode<T: Encodable>(_ value: T) throws -> [UInt8]

  /// Decodes a value of `type`. An error here makes the read a miss.
  func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T
}

/// The default codec: JSON through Foundation's `JSONEncoder` and
/// `JSONDecoder`.
///
/// ```swift
/// let codec = JSONValueCodec(
///     makeEncoder: { let encoder = JSONEncoder(); encoder.dateEncodingStrategy = .iso8601; return encoder },
///     makeDecoder: { let decoder = JSONDecoder(); decoder.dateDecodingStrategy = .iso8601; return decoder })
/// ```
public struct JSONValueCodec: HybridValueCodec {
  /// `1`.
  public var identifier: UInt8 { 1 }

  // Coders are made per call: they are classes and not `Sendable`.
  private let makeEncoder: @Sendable () -> JSONEncoder
  private let makeDecoder: @Sendable () -> JSONDecoder

  /// Creates a codec with default `JSONEncoder` and `JSONDecoder` settings.
  public init() {
    self.init(makeEncoder: { JSONEncoder() }, makeDecoder: { JSONDecoder() })
  }

  /// Creates a codec from factories of configured coders (date strategies,
  /// key strategies, ...). Every instance sharing a store must use compatible
  /// settings.
  public init(makeEncoder: @escaping @Sendable () -> JSONEncoder, makeDecoder: @escaping @Sendable () -> JSONDecoder) {
    self.makeEncoder = makeEncoder
    self.makeDecoder = makeDecoder
  }

  /// Encodes `value` as JSON.
  public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    Array(try makeEncoder().encode(value))
  }

  /// Decodes a value of `type` from JSON.
  public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
    try makeDecoder().decode(type, from: Data(bytes))
  }
}
