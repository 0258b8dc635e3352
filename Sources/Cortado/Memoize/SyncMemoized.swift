/// A synchronous function wrapped with a cache: each distinct argument is
/// computed once, concurrent calls with the same argument wait for one
/// computation, and results expire as configured.
///
/// The Swift counterpart of Python's `@cached`, `@ttl_cache` and
/// `functools.lru_cache` for ordinary (non-`async`) functions:
///
/// ```swift
/// let slugify = SyncMemoized(maximumCount: 1_000) { (title: String) -> String in
///     expensiveSlug(title)
/// }
/// let slug = slugify("Hello, World")     // no `try`: the function does not throw
/// ```
///
/// Callers of the same argument block their thread while one of them
/// computes (see ``Cache/value(forKey:orInsert:)``); in `async` code that may
/// wait on slow work, prefer ``Memoized``. If the function throws, the error
/// reaches that caller only and is not cached.
public final class SyncMemoized<Input: Hashable & Sendable, Output: Sendable, Failure: Error>: Sendable {
  /// The cache behind the function.
  public let cache: Cache<Input, Output>
  @usableFromInline let function: @Sendable (Input) throws(Failure) -> Output

  /// Wraps `function` with `cache`.
  public init(cache: Cache<Input, Output>, _ function: @escaping @Sendable (Input) throws(Failure) -> Output) {
    self.cache = cache
    self.function = function
  }

  /// Wraps `function` with a cache configured by `configuration`.
  ///
  /// - Throws: ``CacheConfigurationError`` for an invalid configuration.
  public convenience init(
    configuration: Cache<Input, Output>.Configuration,
    _ function: @escaping @Sendable (Input) throws(Failure) -> Output
  ) throws(CacheConfigurationError) {
    self.init(cache: try Cache(configuration: configuration), function)
  }

  /// Wraps `function`, keeping at most `maximumCount` results (128 by
  /// default; `nil` for no limit), each for `timeToLive` (forever when `nil`).
  ///
  /// An invalid argument stops the program with a message naming it.
  public convenience init(
    maximumCount: Int? = 128,
    timeToLive: Duration? = nil,
    evictionPolicy: EvictionPolicy = .default,
    _ function: @escaping @Sendable (Input) throws(Failure) -> Output
  ) {
    self.init(
      cache: _memoizationCache(
        function: "SyncMemoized", maximumCount: maximumCount, timeToLive: timeToLive, evictionPolicy: evictionPolicy),
      function)
  }

  /// Returns the cached result for `input`, computing it on a miss.
  @inlinable
  public func callAsFunction(_ input: Input) throws(Failure) -> Output {
    try cache.value(forKey: input, orInsert: { () throws(Failure) -> Output in try function(input) })
  }

  /// Hit and miss counters (Python's `cache_info()`).
  public var statistics: CacheStatistics { cache.statistics }

  /// Forgets every result (Python's `cache_clear()`).
  public func removeAll() { cache.removeAll() }
}

extension SyncMemoized {
  /// Wraps a function of two arguments.
  public convenience init<A, B>(
    maximumCount: Int? = 128, timeToLive: Duration? = nil, evictionPolicy: EvictionPolicy = .default,
    _ function: @escaping @Sendable (A, B) throws(Failure) -> Output
  ) where Input == MemoizationKey2<A, B> {
    self.init(maximumCount: maximumCount, timeToLive: timeToLive, evictionPolicy: evictionPolicy) {
      (key: Input) throws(Failure) -> Output in try function(key.first, key.second)
    }
  }

  /// Calls a two-argument memoized function.
  @inlinable
  public func callAsFunction<A, B>(_ a: A, _ b: B) throws(Failure) -> Output where Input == MemoizationKey2<A, B> {
    try self(MemoizationKey2(a, b))
  }

  /// Wraps a function of three arguments.
  public convenience init<A, B, C>(
    maximumCount: Int? = 128, timeToLive: Duration? = nil, evictionPolicy: EvictionPolicy = .default,
    _ function: @escaping @Sendable (A, B, C) throws(Failure) -> Output
  ) where Input == MemoizationKey3<A, B, C> {
    self.init(maximumCount: maximumCount, timeToLive: timeToLive, evictionPolicy: evictionPolicy) {
      (key: Input) throws(Failure) -> Output in try function(key.first, key.second, key.third)
    }
  }

  /// Calls a three-argument memoized function.
  @inlinable
  public func callAsFunction<A, B, C>(_ a: A, _ b: B, _ c: C) throws(Failure) -> Output
  where Input == MemoizationKey3<A, B, C> {
    try self(MemoizationKey3(a, b, c))
  }

  /// Wraps a function of four arguments.
  public convenience init<A, B, C, D>(
    maximumCount: Int? = 128, timeToLive: Duration? = nil, evictionPolicy: EvictionPolicy = .default,
    _ function: @escaping @Sendable (A, B, C, D) throws(Failure) -> Output
  ) where Input == MemoizationKey4<A, B, C, D> {
    self.init(maximumCount: maximumCount, timeToLive: timeToLive, evictionPolicy: evictionPolicy) {
      (key: Input) throws(Failure) -> Output in try function(key.first, key.second, key.third, key.fourth)
    }
  }

  /// Calls a four-argument memoized function.
  @inlinable
  public func callAsFunction<A, B, C, D>(_ a: A, _ b: B, _ c: C, _ d: D) throws(Failure) -> Output
  where Input == MemoizationKey4<A, B, C, D> {
    try self(MemoizationKey4(a, b, c, d))
  }
}
