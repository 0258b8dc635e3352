import Testing

@testable import Cortado

/// The admission guard on its own: a victim that outbids warm candidates for
/// too long is displaced; cold candidates and a changing victim reset nothing
/// that matters.
@Suite("Component: the admission guard")
struct AdmissionGuardTests {
  @Test func aStubbornVictimIsDisplacedAfterTheLimit() {
    var guardian = _AdmissionGuard()
    guardian.configure(maximum: 300)
    #expect(guardian.limit == 300)
    var admitted = (1..<300).map { _ in guardian.admitsLoser(candidateFrequency: 6, victim: 4) }
    #expect(!admitted.contains(true))
    admitted = [guardian.admitsLoser(candidateFrequency: 15, victim: 4)]
    #expect(admitted == [true])
    admitted = [guardian.admitsLoser(candidateFrequency: 15, victim: 4)]
    #expect(admitted == [false], "the count starts again")
  }

  @Test func coldCandidatesDoNotCount() {
    var guardian = _AdmissionGuard()
    guardian.configure(maximum: 10)
    #expect(guardian.limit == _TinyLFUConstants.minimumVictimRejections)
    let admitted = (0..<1_000).map { _ in guardian.admitsLoser(candidateFrequency: 5, victim: 1) }
    #expect(!admitted.contains(true))
    #expect(guardian.rejections == 0)
  }

  @Test func aNewVictimStartsANewCount() {
    var guardian = _AdmissionGuard()
    guardian.configure(maximum: 200)
    for _ in 0..<199 { _ = guardian.admitsLoser(candidateFrequency: 9, victim: 1) }
    let admitted = guardian.admitsLoser(candidateFrequency: 9, victim: 2)
    #expect(!admitted)
    #expect(guardian.rejections == 1)
  }
}
