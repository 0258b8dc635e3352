/// Makes the cache of a memoized function: the one factory behind
/// ``Memoized``'s and ``SyncMemoized``'s convenience initialisers and the code
/// that `@Memoized` (CortadoMacros) writes. There is no need to call it
/// yourself.
///
/// The defaults are the macro's: at most 128 results, kept until evicted, by
/// the default policy. An invalid value (a negative `maximumCount`, a
/// `timeToLive` that is not positive) stops the program with a message
/// naming `function` and the argument when the cache is made: these are
/// programming errors, like an out-of-range index. Literal values the macro
/// can see are reported at compile time instead.
///
/// - Parameter function: The memoized function's name, for the message.
public func _memoizationCache<Key: Hashable & Sendable, Value: Sendable>(
  function: StaticString,
  maximumCount: Int? = 128,
  timeToLive: Duration? = nil,
  evictionPolicy: EvictionPolicy = .default
) -> Cache<Key, Value> {
  let configuration = Cache<Key, Value>.Configuration(
    maximumCount: maximumCount, timeToLive: timeToLive, evictionPolicy: evictionPolicy
  )
  do {
    return try Cache(configuration: configuration)
  } catch {
    fatalError("memoized \(function): \(error)")
  }
}
