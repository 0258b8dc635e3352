/// One request of a trace: which object is asked for, and how big it is.
///
/// Keys are 64-bit: block numbers and object ids are used as they are, and
/// string keys (text and CSV traces) are reduced with ``StableHash`` so that
/// every reader yields the same compact request whatever the format.
package struct TraceRequest: Sendable, Hashable {
  /// The object's identity.
  package var key: UInt64
  /// The object's size in bytes, or 1 for formats that carry no sizes.
  package var size: UInt32

  /// Creates a request.
  package init(key: UInt64, size: UInt32 = 1) {
    self.key = key
    self.size = size
  }
}
