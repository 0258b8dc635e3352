#if Macros
  /// Caches the results of a function or method: each distinct argument list
  /// is computed once, and later calls with the same arguments return the
  /// cached result until it is evicted or expires.
  ///
  /// ```swift
  /// import CortadoMacros
  ///
  /// @Memoized(maximumCount: 1_000, timeToLive: .seconds(20))
  /// func fetchUser(id: Int) async throws -> User {
  ///     try await api.user(id)
  /// }
  ///
  /// let user = try await fetchUser(id: 42)   // calls the API
  /// let same = try await fetchUser(id: 42)   // cached
  /// print(fetchUserCache.statistics)         // hits, misses, loads
  /// fetchUserCache.removeAll()               // forget every result
  /// ```
  ///
  /// The Swift counterpart of Python's `functools.lru_cache` and cachetools'
  /// `@cached`/`@ttl_cache`, written into the function by a macro.
  ///
  /// ## Arguments
  /// - `maximumCount`: the most results kept (128 by default, like
  ///   `lru_cache`; `nil` for no limit). For an instance method of a class or
  ///   actor, this is per instance.
  /// - `timeToLive`: how long a result stays fresh (`nil`, the default, keeps
  ///   it until evicted).
  /// - `evictionPolicy`: which result leaves when the cache is full
  ///   (`.windowTinyLFU` by default; `.lru`, `.lfu`, `.fifo`, `.random(seed:)`).
  ///
  /// An invalid literal value is a compile-time error; any other invalid value
  /// stops the program with a message when the cache is made.
  ///
  /// ## What it writes
  /// The macro adds two peers and replaces the body:
  /// - `<name>Cache`, the `Cache` of the results, with the function's access
  ///   level: read its `count` and `statistics`, or call `removeAll()`. Its key
  ///   is the argument for one parameter, `MemoizationKey2`…`MemoizationKey4`
  ///   for two to four, and `MemoizationKey0` for none.
  /// - `__memoized_<name>`, a private copy of the function with the body as
  ///   written.
  /// - A new body that returns the cached result for the arguments and calls
  ///   `__memoized_<name>` on a miss.
  ///
  /// Because the original body calls the function by name, a recursive
  /// function (`fibonacci(n - 1)`) is memoized at every level.
  ///
  /// ## Who shares a cache
  /// - A global function or a `static`/`class` method: one cache (a global or
  ///   static `let`).
  /// - An instance method declared in the body of a class or actor: one cache
  ///   per instance, in a stored `let`, so that two instances never mix their
  ///   results (cachetools' default `methodkey` ignores `self` and does mix
  ///   them).
  /// - An instance method of a struct or enum, or one declared in an
  ///   extension: a per-instance stored cache is impossible there (copies of a
  ///   struct would share it, and an extension cannot add stored properties),
  ///   so one static cache is keyed by `self` and the arguments: equal values
  ///   share results. `Self` must then be `Hashable` and `Sendable`; the
  ///   compiler says so otherwise. Declare class and actor methods in the type's
  ///   body to get a cache per instance instead.
  ///
  /// ## Synchronous and asynchronous functions
  /// - An `async` function uses the cache's `loadValue(forKey:using:)`: concurrent
  ///   calls with the same arguments share one call of the body (no thundering
  ///   herd), and a failure reaches every caller waiting for that call but is not
  ///   cached. The body runs in a task of its own, so an instance method of a
  ///   class needs `Self: Sendable` (actors are); actor methods hop to the actor.
  ///   If the caller's task is cancelled while it waits for another caller's
  ///   call, it stops waiting; a function that cannot throw `CancellationError`
  ///   then computes its result itself, without the cache.
  /// - A synchronous function uses the cache's `value(forKey:orInsert:)`: atomic per
  ///   key, concurrent callers with the same arguments block until one call
  ///   finishes. An error reaches its caller only and is not cached. A function
  ///   that does not throw is called without `try`; typed throws is kept.
  ///
  /// ## Requirements
  /// Each parameter type must be `Hashable & Sendable`, and so must the result
  /// type be `Sendable`. The macro reports at compile time, with the reason and
  /// what to do instead: generic functions, `some` parameters or results,
  /// `inout`, variadic or unnamed (`_:`) parameters, more than four parameters,
  /// no result, `rethrows`, `@inlinable`, `mutating` methods, static methods of
  /// generic types, methods of generic structs and enums, local functions,
  /// protocol requirements, operators, and declarations that are not
  /// functions.
  ///
  /// Two overloads of one name in the same scope would both add
  /// `<name>Cache`: give them different names. A class whose memoized instance
  /// method is overridden by another memoized method would get two stored
  /// caches of the same name: memoize only one of them.
  @attached(peer, names: suffixed(Cache), prefixed(__memoized_))
  @attached(body)
  public macro Memoized(
    maximumCount: Int? = 128,
    timeToLive: Duration? = nil,
    evictionPolicy: EvictionPolicy = .default
  ) = #externalMacro(module: "CortadoMacrosPlugin", type: "MemoizedMacro")
#endif
