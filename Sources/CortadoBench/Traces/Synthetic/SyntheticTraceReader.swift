import Cortado

/// Generates a ``SyntheticSpec``'s requests on the fly (nothing is stored).
package final class SyntheticTraceReader: TraceReader {
  /// The specification being generated.
  package let spec: SyntheticSpec
  private var generator: _SplitMix64
  private let zipf: ZipfDistribution?
  private var index = 0
  private var nextScanKey: UInt64 = 1 << 40  // far above any hot key
  /// `phases`: the reader of the phase being generated, and its position.
  private var phase: (reader: SyntheticTraceReader, position: Int)?

  init(spec: SyntheticSpec) {
    self.spec = spec
    generator = _SplitMix64(seed: spec.seed)
    switch spec.kind {
    case .zipf, .scan, .shift: zipf = ZipfDistribution(count: spec.keys, exponent: spec.alpha)
    case .loop, .phases: zipf = nil
    }
    if let first = spec.phases.first { phase = (first.makeReader(), 0) }
  }

  package var fractionRead: Double? { Double(index) / Double(spec.length) }

  package func next() throws -> TraceRequest? {
    guard index < spec.length else { return nil }
    defer { index += 1 }
    switch spec.kind {
    case .zipf:
      return TraceRequest(key: UInt64(zipf!.sample(using: &generator) - 1))
    case .loop:
      return TraceRequest(key: UInt64(index % spec.keys))
    case .scan:
      // Cycles of `period` hot requests followed by `scanLength` new keys.
      let position = index % (spec.period + spec.scanLength)
      if position < spec.period {
        return TraceRequest(key: UInt64(zipf!.sample(using: &generator) - 1))
      }
      defer { nextScanKey += 1 }
      return TraceRequest(key: nextScanKey)
    case .shift:
      let offset = UInt64(index / spec.period) * UInt64(spec.step)
      return TraceRequest(key: offset + UInt64(zipf!.sample(using: &generator) - 1))
    case .phases:
      while let (reader, position) = phase {
        if var request = try reader.next() {
          request.key |= UInt64(position) << SyntheticSpec.phaseKeyShift
          return request
        }
        let following = position + 1
        phase = following < spec.phases.count ? (spec.phases[following].makeReader(), following) : nil
      }
      return nil
    }
  }
}
