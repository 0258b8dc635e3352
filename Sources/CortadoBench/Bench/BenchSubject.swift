/// The operations a throughput run calls, implemented by every cache under
/// test. The run's loops are generic over this protocol and specialised for
/// each type, so no row pays for dynamic dispatch.
protocol BenchSubject: AnyObject, Sendable {
  /// The value for `key`, if present.
  func get(_ key: Int) -> Int?
  /// Stores `value` for `key`.
  func set(_ key: Int, _ value: Int)
  /// The value for `key`, computing it with a cheap loader when absent.
  func getOrLoad(_ key: Int) -> Int
}

/// The "cheap loader" of the `load` workload.
@inline(__always)
func cheapLoad(_ key: Int) -> Int { key &* 31 &+ 7 }
