import Cortado

/// A Cortado `Cache<Int, Int>` under test, built as a user would build it
/// (automatic striping, background sweeper on when it has a lifetime).
final class CortadoSubject: BenchSubject {
  let cache: Cache<Int, Int>

  init(capacity: Int, policy: EvictionPolicy, timeToLive: Duration?, coarseClock: Bool) {
    var configuration = Cache<Int, Int>.Configuration(
      maximumCount: capacity, timeToLive: timeToLive, evictionPolicy: policy)
    if coarseClock { configuration.setClock(CoarseClock()) }
    do {
      cache = try Cache(configuration: configuration)
    } catch {
      fatalError("invalid benchmark configuration: \(error)")
    }
  }

  /// The subject for one of Cortado's rows.
  convenience init(_ implementation: BenchImplementation, capacity: Int, timeToLive: Duration) {
    switch implementation {
    case .cortadoLRU: self.init(capacity: capacity, policy: .lru, timeToLive: timeToLive, coarseClock: false)
    case .cortadoCoarse:
      self.init(capacity: capacity, policy: .windowTinyLFU, timeToLive: timeToLive, coarseClock: true)
    case .cortadoNoTTL: self.init(capacity: capacity, policy: .windowTinyLFU, timeToLive: nil, coarseClock: false)
    case .cortadoLRUNoTTL: self.init(capacity: capacity, policy: .lru, timeToLive: nil, coarseClock: false)
    default: self.init(capacity: capacity, policy: .windowTinyLFU, timeToLive: timeToLive, coarseClock: false)
    }
  }

  @inline(__always) func get(_ key: Int) -> Int? { cache[key] }
  @inline(__always) func set(_ key: Int, _ value: Int) { cache[key] = value }
  @inline(__always) func getOrLoad(_ key: Int) -> Int { cache.value(forKey: key, orInsert: { cheapLoad(key) }) }
}
