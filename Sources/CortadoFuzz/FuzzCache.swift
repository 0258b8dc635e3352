#if Fuzz
  import Cortado
  import CortadoTestSupport

  /// The cache driven by the input: a policy, bounds and lifetimes from the
  /// first bytes, then one operation per byte pair, checked against the
  /// reference model and the cache's invariants after every step.
  func fuzzCache(_ bytes: [UInt8]) {
    var reader = ByteReader(bytes)
    let policies: [EvictionPolicy] = [.lru, .lfu, .fifo, .windowTinyLFU, .random(seed: 7)]
    let policy = policies[Int(reader.byte()) % policies.count]
    let bounds = reader.byte()
    let maximumCount: Int? = bounds == 255 ? nil : Int(bounds % 9)
    let lifetimes = reader.byte()
    let timeToLive: Duration? = lifetimes & 1 != 0 ? .milliseconds(100 + Int(lifetimes >> 1) * 10) : nil
    let timeToIdle: Duration? =
      lifetimes & 0x80 != 0 && timeToLive != nil ? .milliseconds(50 + Int(lifetimes & 0x3F) * 5) : nil
    let scenario = CacheModelCheck.Scenario(
      policy: policy, maximumCount: maximumCount ?? (timeToLive == nil ? 16 : nil),
      timeToLive: timeToLive, timeToIdle: timeToIdle)
    var operations: [CacheModelCheck.Operation] = []
    while !reader.isAtEnd && operations.count < FuzzLimits.cacheOperations {
      let choice = reader.byte()
      let argument = reader.byte()
      let key = Int(argument % 12)
      switch choice % 16 {
      case 12: operations.append(.insert(key))
      case 13: operations.append(.update(key))
      case 14: operations.append(.modify(key))
      case 15: operations.append(.setKeepingRemaining(key, milliseconds: Int(argument) * 8 - 200))
      case 0, 1, 2: operations.append(.get(key))
      case 3, 4: operations.append(.set(key))
      case 5: operations.append(.setWithLifetime(key, milliseconds: Int(argument) * 8 - 200))
      case 6: operations.append(.remove(key))
      case 7: operations.append(.contains(key))
      case 8: operations.append(.advance(milliseconds: Int(argument) * 4))
      case 9: operations.append(.compute(key))
      case 10: operations.append(argument < 16 ? .removeAll : .count)
      default: operations.append(.snapshot)
      }
    }
    if let failure = CacheModelCheck.run(operations, scenario) {
      fatalError("the cache disagrees with the model: \(failure)")
    }
  }
#endif

/// Bounds that keep each input quick: short sequences on a small cache find
/// the same bugs as long ones (the property tests shrink failures to a
/// handful of steps), at many more executions per second.
enum FuzzLimits {
  static let cacheOperations = 128
}
