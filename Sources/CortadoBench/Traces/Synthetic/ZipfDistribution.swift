import Cortado

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Zipf-distributed ranks `1...count`: rank `k` is drawn with probability
/// proportional to `1 / k^exponent`.
///
/// Uses rejection-inversion sampling (Hörmann & Derflinger, 1996): constant
/// memory and O(1) expected time per draw for any key space, where an
/// inverse-CDF table would need 8 bytes per key. About 1.1 uniforms per draw.
package struct ZipfDistribution: Sendable {
  /// The number of ranks.
  package let count: Int
  /// The skew: 0 is uniform, 0.99 is YCSB's default, larger is more skewed.
  package let exponent: Double
  private let hIntegralX1: Double
  private let hIntegralCount: Double
  private let squeeze: Double

  /// Creates the distribution over `1...count`.
  package init(count: Int, exponent: Double) {
    precondition(count >= 1 && exponent >= 0)
    self.count = count
    self.exponent = exponent
    hIntegralX1 = Self.hIntegral(1.5, exponent) - 1
    hIntegralCount = Self.hIntegral(Double(count) + 0.5, exponent)
    squeeze = 2 - Self.hIntegralInverse(Self.hIntegral(2.5, exponent) - Self.h(2, exponent), exponent)
  }

  /// Draws a rank in `1...count`.
  package func sample(using generator: inout _SplitMix64) -> Int {
    while true {
      let u = hIntegralCount + generator.nextUnit() * (hIntegralX1 - hIntegralCount)
      let x = Self.hIntegralInverse(u, exponent)
      var k = x < Double(count) ? Int(x + 0.5) : count
      if k < 1 { k = 1 } else if k > count { k = count }
      // Accept at once inside the squeeze; otherwise test against the exact
      // hat (this rejects rarely).
      if Double(k) - x <= squeeze || u >= Self.hIntegral(Double(k) + 0.5, exponent) - Self.h(Double(k), exponent) {
        return k
      }
    }
  }

  /// `1 / x^exponent`.
  private static func h(_ x: Double, _ exponent: Double) -> Double {
    exp(-exponent * log(x))
  }

  /// An antiderivative of `h`: `(x^(1-e) - 1) / (1-e)`, or `log x` at `e = 1`.
  private static func hIntegral(_ x: Double, _ exponent: Double) -> Double {
    let logX = log(x)
    return helper2((1 - exponent) * logX) * logX
  }

  private static func hIntegralInverse(_ x: Double, _ exponent: Double) -> Double {
    var t = x * (1 - exponent)
    if t < -1 { t = -1 }  // rounding near the domain's edge
    return exp(helper1(t) * x)
  }

  /// `log(1 + x) / x`, stable near 0.
  private static func helper1(_ x: Double) -> Double {
    abs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
  }

  /// `(e^x - 1) / x`, stable near 0.
  private static func helper2(_ x: Double) -> Double {
    abs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3.0) * (1 + 0.25 * x))
  }
}
