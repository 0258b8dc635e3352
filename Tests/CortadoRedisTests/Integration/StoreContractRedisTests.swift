#if Redis
  import CortadoHybrid
  import CortadoHybridTesting
  import CortadoRedis
  import Testing

  /// The store contract against `RedisStore` on a real `redis-server`: the same
  /// checks the in-memory store passes (`CortadoHybridTests`), so the two
  /// cannot drift apart.
  @Suite(
    "RemoteCacheStore contract: RedisStore", .serialized,
    .enabled(if: RedisTestEnvironment.isAvailable, RedisTestEnvironment.skipMessage))
  struct StoreContractRedisTests {
    @Test(arguments: [RedisInvalidationConfiguration.Mode.tracking, .pubSub])
    func redisStoreKeepsTheContract(mode: RedisInvalidationConfiguration.Mode) async throws {
      try await withRedisServer { server, clients in
        func store(_ name: String) async throws -> RedisStore {
          var configuration = server.configuration()
          configuration.clientName = name
          configuration.invalidation.mode = mode
          let client = try await clients.make(
            try RedisStore.clientConfiguration(configuration, namespace: "contract"), start: false)
          let store = try RedisStore(client: client)
          store.start()
          try await store.waitUntilConnected(timeout: .seconds(10))
          return store
        }
        let subject = RemoteCacheStoreContract.Subject(
          writer: try await store("writer"), observer: try await store("observer"), keyPrefix: "contract:")
        try await RemoteCacheStoreContract.check(subject)
      }
    }

    @Test("a HybridCache refuses a RedisStore made for another namespace, naming both")
    func aCacheRefusesAStoreOfAnotherNamespace() throws {
      let store = try RedisStore(configuration: RedisClientConfiguration(port: 1), namespace: "orders")
      #expect(store.trackedPrefixes == ["orders:"])
      let error = #expect(throws: HybridCacheConfigurationError.self) {
        _ = try HybridCache<String>(store: store, configuration: HybridCacheConfiguration(namespace: "users"))
      }
      #expect(error?.field == "namespace")
      #expect(error?.message.contains("\"orders:\"") == true)
      _ = try HybridCache<String>(store: store, configuration: HybridCacheConfiguration(namespace: "orders"))
    }
  }
#endif
