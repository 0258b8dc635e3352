/// The reference row: a plain `[Int: Int]`, filled before the run and then
/// only read, with no lock, no bound and no clock. No cache can look a key
/// up faster, so the other rows' hit costs are quoted as multiples of this
/// one, and its two-thread reads are the ceiling of read scaling.
///
/// The dictionary is a `let`, so reads need no exclusivity check, and it is
/// never written during a run (which is what makes the `@unchecked Sendable`
/// sound when several threads read it).
final class ReferenceDictionarySubject: BenchSubject, @unchecked Sendable {
  let storage: [Int: Int]

  /// Fills keys `0..<count` (value = key), with no reserved capacity, as a
  /// user would.
  init(count: Int) {
    var storage: [Int: Int] = [:]
    for key in 0..<count { storage[key] = key }
    self.storage = storage
  }

  @inline(__always) func get(_ key: Int) -> Int? { storage[key] }
  func set(_ key: Int, _ value: Int) { preconditionFailure("the reference dictionary is read-only") }
  func getOrLoad(_ key: Int) -> Int { storage[key] ?? cheapLoad(key) }
}
