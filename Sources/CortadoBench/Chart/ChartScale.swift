#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Musl)
  @preconcurrency import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Maps data values to pixels along one axis.
struct ChartScale {
  let lower: Double
  let upper: Double
  let pixelLower: Double
  let pixelUpper: Double
  /// Logarithmic (capacities spanning a decade or more read better so).
  let isLogarithmic: Bool

  func pixel(_ value: Double) -> Double {
    let span: Double
    let offset: Double
    if isLogarithmic {
      span = log(upper) - log(lower)
      offset = log(max(value, lower)) - log(lower)
    } else {
      span = upper - lower
      offset = value - lower
    }
    let share = span > 0 ? offset / span : 0.5
    return pixelLower + share * (pixelUpper - pixelLower)
  }

  /// The x scale for capacities: logarithmic when the largest is at least
  /// ten times the smallest.
  static func capacities(_ values: [Int], from: Double, to: Double) -> ChartScale {
    let lower = Double(values.min() ?? 1)
    let upper = Double(values.max() ?? 1)
    let logarithmic = lower > 0 && upper / lower >= 10
    if logarithmic {
      // A little room on both sides, so end points do not sit on the frame.
      let pad = (log(upper) - log(lower)) * 0.04
      return ChartScale(
        lower: exp(log(lower) - pad), upper: exp(log(upper) + pad), pixelLower: from, pixelUpper: to,
        isLogarithmic: true)
    }
    let pad = max(1, (upper - lower) * 0.04)
    return ChartScale(
      lower: max(0, lower - pad), upper: upper + pad, pixelLower: from, pixelUpper: to, isLogarithmic: false)
  }

  /// A hit-ratio ceiling rounded up to the next 10%, and its tick step.
  static func ratioCeiling(_ maximum: Double) -> (ceiling: Double, step: Double) {
    let ceiling = min(1, max(0.1, (maximum * 10 + 0.0001).rounded(.up) / 10))
    let step = ceiling <= 0.3 ? 0.05 : (ceiling <= 0.6 ? 0.1 : 0.2)
    return (ceiling, step)
  }
}
