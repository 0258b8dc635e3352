import Testing

// Outside `#if Redis` on purpose: the target always has at least one test, and the
// test log says whether the Redis client was built at all.
@Suite("CortadoRedis trait")
struct TraitStatusTests {
  @Test("records whether the Redis trait is enabled")
  func traitStatus() {
    #if Redis
      let status = "ON: the Redis client is built and tested"
    #else
      let status = "OFF: CortadoRedis is an empty module; enable it with --traits Redis"
    #endif
    print("CortadoRedis: trait `Redis` is \(status)")
    #expect(!status.isEmpty)
  }
}
