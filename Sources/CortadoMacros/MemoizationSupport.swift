#if Macros
/// The key of a memoized function without parameters: it has one result.
public struct MemoizationKey0: Hashable, Sendable {
  /// The one key.
  @inlinable
  public init() {}
}

/// Makes the cache of a `@Memoized` function: code that `@Memoized` writes
/// calls this; there is no need to call it yourself.
///
/// The macro passes on only the arguments it was given, so the defaults here
/// are the macro's: at most 128 results, kept until evicted, by the default
/// policy. An invalid value (a negative `maximumCount`, a `timeToLive` that
/// is not positive) stops the program with a message naming `function` and
/// the argument when the cache is made: on first use for a global or static
/// cache, when the instance is initialized for a per-instance one. Literal
/// values, which the macro can see, are reported at compile time instead.
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
    fatalError("@Memoized on \(function): \(error)")
  }
}
#endif
