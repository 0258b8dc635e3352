import Cortado

/// Replays a trace through a real ``Cortado/Cache``, read-through: every
/// request is a get, and a miss inserts the key.
///
/// The cache has one stripe unless asked for more (so its policy orders every
/// entry, as a simulator's would) and no background sweeper (there is no expiry, and a
/// sweeper thread would only add noise).
final class CortadoReplayer: Replayer {
  private let cache: Cache<UInt64, UInt64>
  private(set) var hits = 0

  /// - Parameter weighted: when true, `capacity` bounds the total of the
  ///   requests' sizes rather than the number of entries.
  init(policy: EvictionPolicy, capacity: Int, weighted: Bool, stripes: Int = 1) throws {
    var configuration = Cache<UInt64, UInt64>.Configuration(evictionPolicy: policy)
    if weighted {
      configuration.maximumCost = capacity
      configuration.cost = { _, size in Int(size) }
    } else {
      configuration.maximumCount = capacity
    }
    configuration.stripeCount = stripes
    configuration.sweepsExpiredEntries = false
    cache = try Cache(configuration: configuration)
  }

  func replay(_ batch: UnsafeBufferPointer<TraceRequest>, firstIndex: Int) {
    var hits = 0
    for request in batch {
      if cache[request.key] != nil {
        hits += 1
      } else {
        cache[request.key] = UInt64(request.size)
      }
    }
    self.hits += hits
  }
}
