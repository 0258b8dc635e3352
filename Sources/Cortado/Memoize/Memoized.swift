/// An `async` function wrapped with a cache: each distinct argument is
/// computed once, concurrent calls with the same argument share one
/// computation, and results expire as configured.
///
/// The Swift counterpart of Python's `@cachetools.func.ttl_cache` and
/// `functools.lru_cache`, for async code:
///
/// ```swift
/// let fetchUser = Memoized(maximumCount: 128, timeToLive: .seconds(20)) { (id: Int) async throws -> User in
///     try await api.fetchUser(id)
/// }
/// let user = try await fetchUser(42)
/// print(fetchUser.statistics)      // cache_info()
/// fetchUser.removeAll()            // cache_clear()
/// ```
///
/// Functions of two to four `Hashable` arguments work too:
/// `Memoized { (a: String, b: Int) in ... }` is called as `f("x", 1)`.
///
/// Unlike Python's decorators, concurrent callers never run the function
/// twice for one argument (a thundering herd), and a failure is shared by the
/// callers waiting for it rather than retried once per caller. Failures are
/// not cached unless ``Freshness/failureTimeToLive`` is configured. Each
/// `Memoized` has its own cache: two instances never share results.
public final class Memoized<Input: Hashable & Sendable, Output: Sendable>: Sendable {
  /// The cache behind the function: inspect it, clear it, or write to it.
  public let cache: Cache<Input, Output>
  @usableFromInline let function: @Sendable (Input) async throws -> Output

  /// Wraps `function` with a cache of `cache`'s configuration.
  public init(cache: Cache<Input, Output>, _ function: @escaping @Sendable (Input) async throws -> Output) {
    self.cache = cache
    self.function = function
  }

  /// Wraps `function` with a cache configured by `configuration`.
  ///
  /// - Throws: ``CacheConfigurationError`` for an invalid configuration.
  public convenience init(
    configuration: Cache<Input, Output>.Configuration,
    _ function: @escaping @Sendable (Input) async throws -> Output
  ) throws(CacheConfigurationError) {
    self.init(cache: try Cache(configuration: configuration), function)
  }

  /// Wraps `function`, keeping at most `maximumCount` results (128 by
  /// default, like `lru_cache`; `nil` for no limit), each for `timeToLive`
  /// (forever when `nil`).
  ///
  /// An invalid argument stops the program with a message naming it.
  public convenience init(
    maximumCount: Int? = 128,
    timeToLive: Duration? = nil,
    evictionPolicy: EvictionPolicy = .default,
    _ function: @escaping @Sendable (Input) async throws -> Output
  ) {
    self.init(
      cache: _memoizationCache(
        function: "Memoized", maximumCount: maximumCount, timeToLive: timeToLive, evictionPolicy: evictionPolicy),
      function)
  }

  /// Returns the cached result for `input`, computing it on a miss.
  @inlinable
  public func callAsFunction(_ input: Input) async throws -> Output {
    try await cache.loadValue(forKey: input, using: function)
  }

  /// Hit, miss and load counters (Python's `cache_info()`).
  public var statistics: CacheStatistics { cache.statistics }

  /// Forgets every result (Python's `cache_clear()`, except that the
  /// statistics are kept; call `cache.resetStatistics()` for those).
  public func removeAll() { cache.removeAll() }
}

extension Memoized {
  /// Wraps a function of two arguments.
  public convenience init<A, B>(
    maximumCount: Int? = 128, timeToLive: Duration? = nil, evictionPolicy: EvictionPolicy = .default,
    _ function: @escaping @Sendable (A, B) async throws -> Output
  ) where Input == MemoizationKey2<A, B> {
    self.init(maximumCount: maximumCount, timeToLive: timeToLive, evictionPolicy: evictionPolicy) { key in
      try await function(key.first, key.second)
    }
  }

  /// Calls a two-argument memoized function.
  @inlinable
  public func callAsFunction<A, B>(_ a: A, _ b: B) async throws -> Output where Input == MemoizationKey2<A, B> {
    try await self(MemoizationKey2(a, b))
  }

  /// Wraps a function of three arguments.
  public convenience init<A, B, C>(
    maximumCount: Int? = 128, timeToLive: Duration? = nil, evictionPolicy: EvictionPolicy = .default,
    _ function: @escaping @Sendable (A, B, C) async throws -> Output
  ) where Input == MemoizationKey3<A, B, C> {
    self.init(maximumCount: maximumCount, timeToLive: timeToLive, evictionPolicy: evictionPolicy) { key in
      try await function(key.first, key.second, key.third)
    }
  }

  /// Calls a three-argument memoized function.
  @inlinable
  public func callAsFunction<A, B, C>(_ a: A, _ b: B, _ c: C) async throws -> Output
  where Input == MemoizationKey3<A, B, C> {
    try await self(MemoizationKey3(a, b, c))
  }

  /// Wraps a function of four arguments.
  public convenience init<A, B, C, D>(
    maximumCount: Int? = 128, timeToLive: Duration? = nil, evictionPolicy: EvictionPolicy = .default,
    _ function: @escaping @Sendable (A, B, C, D) async throws -> Output
  ) where Input == MemoizationKey4<A, B, C, D> {
    self.init(maximumCount: maximumCount, timeToLive: timeToLive, evictionPolicy: evictionPolicy) { key in
      try await function(key.first, key.second, key.third, key.fourth)
    }
  }

  /// Calls a four-argument memoized function.
  @inlinable
  public func callAsFunction<A, B, C, D>(_ a: A, _ b: B, _ c: C, _ d: D) async throws -> Output
  where Input == MemoizationKey4<A, B, C, D> {
    try await self(MemoizationKey4(a, b, c, d))
  }
}
