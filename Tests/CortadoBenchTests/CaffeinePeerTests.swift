import Foundation
import Testing

@testable import CortadoBench

/// The tour's optional Caffeine row: only with a jar, and a clear answer
/// when something is missing or the replayer misbehaves.
@Suite("The tour's Caffeine row")
struct CaffeinePeerTests {
  @Test func theReplayersJSONBecomesResults() throws {
    let json = #"[{"policy":"caffeine","capacity":100,"requests":2000,"hitRatio":0.25,"runs":[0.25,0.24,0.26]}]"#
    let results = try CaffeinePeer.decode(Data(json.utf8))
    #expect(
      results == [SimulationResult(policy: "caffeine", isOptimal: false, capacity: 100, requests: 2_000, hits: 500)])
  }

  @Test(arguments: ["not json", #"{"capacity": 1}"#, #"[{"capacity":1,"requests":10,"hitRatio":1.5}]"#])
  func malformedOutputIsAnError(_ text: String) {
    #expect(throws: CaffeinePeerError.self) { try CaffeinePeer.decode(Data(text.utf8)) }
  }

  @Test func missingFilesAreNamed() throws {
    let jar = #expect(throws: CaffeinePeerError.self) { try CaffeinePeer(jar: "/nonexistent.jar") }
    #expect(jar?.description.contains("apt-get install -y libcaffeine-java") == true)
    let existing = try TemporaryFile("", suffix: ".jar")
    let replayer = #expect(throws: CaffeinePeerError.self) {
      try CaffeinePeer(jar: existing.path, replayer: "/nonexistent/CaffeineReplay.java")
    }
    #expect(replayer?.description.contains("package's root") == true)
  }
}
