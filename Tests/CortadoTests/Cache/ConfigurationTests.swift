import Testing

@testable import Cortado

@Suite("Configuration")
struct ConfigurationTests {
  func error(_ configure: (inout Cache<Int, Int>.Configuration) -> Void) -> CacheConfigurationError? {
    var configuration = Cache<Int, Int>.Configuration()
    configure(&configuration)
    do {
      _ = try Cache(configuration: configuration)
      return nil
    } catch {
      return error
    }
  }

  @Test func invalidFieldsAreNamed() {
    #expect(error { $0.maximumCount = -1 }?.field == .maximumCount)
    #expect(error { $0.maximumCost = -5 }?.field == .maximumCost)
    #expect(error { $0.timeToLive = .zero }?.field == .timeToLive)
    #expect(error { $0.timeToLive = .seconds(-3) }?.field == .timeToLive)
    #expect(error { $0.timeToIdle = .zero }?.field == .timeToIdle)
    #expect(error { $0.freshness.refreshAfter = .zero }?.field == .refreshAfter)
    #expect(error { $0.freshness.staleIfError = .seconds(-1) }?.field == .staleIfError)
    #expect(error { $0.stripeCount = 0 }?.field == .stripeCount)
    #expect(error { $0.maximumCount = 0 } == nil, "zero means store nothing")
    #expect(error { _ in } == nil)
  }

  @Test func messagesSayWhatIsWrong() {
    let message = error { $0.maximumCount = -1 }?.description ?? ""
    #expect(message.contains("maximumCount"))
    #expect(message.contains("-1"))
  }

  @Test func stripeCountsAreChosenSensibly() {
    #expect(Cache<Int, Int>.Configuration(maximumCount: 10_000).resolvedStripeCount == 1)
    #expect(Cache<Int, Int>.Configuration(maximumCost: 1 << 30).resolvedStripeCount == 1)
    #expect(Cache<Int, Int>.Configuration(maximumCount: 100_000).resolvedStripeCount > 1)
    var configuration = Cache<Int, Int>.Configuration(maximumCount: 5)
    configuration.stripeCount = 3
    #expect(configuration.resolvedStripeCount == 4, "rounded up to a power of two")
  }

  @Test func theConvenienceInitialiserStopsWithTheFieldName() async {
    await #expect(processExitsWith: .failure) {
      _ = Cache<Int, Int>(maximumCount: -1)
    }
    await #expect(processExitsWith: .failure) {
      _ = Cache<Int, Int>(maximumCount: 10, timeToLive: .zero)
    }
  }

  @Test func aNegativeCostStopsTheProgram() async {
    await #expect(processExitsWith: .failure) {
      var configuration = Cache<Int, Int>.Configuration(maximumCost: 10)
      configuration.cost = { _, _ in -1 }
      let cache = try! Cache(configuration: configuration)
      cache[1] = 1
    }
  }
}
