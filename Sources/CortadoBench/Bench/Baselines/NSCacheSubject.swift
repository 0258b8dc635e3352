import Foundation

/// Foundation's `NSCache` as a Swift user would reach for it: `Int` keys and
/// values boxed in `NSNumber`, bounded by `countLimit`. It has no lifetime.
///
/// `NSCache` is documented as thread-safe but is not marked `Sendable`,
/// hence `@unchecked`. On Linux it evicts the newest entry when full and
/// ignores reads for ordering (see `docs/benchmarks.md`), so its hit ratio is
/// not comparable; it is here for its speed.
final class NSCacheSubject: BenchSubject, @unchecked Sendable {
  let cache = NSCache<NSNumber, NSNumber>()

  init(capacity: Int) {
    cache.countLimit = capacity
  }

  @inline(__always) func get(_ key: Int) -> Int? {
    cache.object(forKey: NSNumber(value: key))?.intValue
  }

  @inline(__always) func set(_ key: Int, _ value: Int) {
    cache.setObject(NSNumber(value: value), forKey: NSNumber(value: key))
  }

  @inline(__always) func getOrLoad(_ key: Int) -> Int {
    let boxedKey = NSNumber(value: key)
    if let value = cache.object(forKey: boxedKey) { return value.intValue }
    let value = cheapLoad(key)
    cache.setObject(NSNumber(value: value), forKey: boxedKey)
    return value
  }
}
