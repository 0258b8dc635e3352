/// `a + b`, stopping at the type's bounds instead of trapping.
///
/// For sums of numbers that come from outside: statistics summed over costs
/// (user input), lifetimes read from a server or from another process's
/// envelope. Swift traps on overflow, and none of these inputs may crash the
/// process. Shared by every module of the package.
@inlinable @inline(__always)
package func _saturatingAdd<T: FixedWidthInteger & SignedInteger>(_ a: T, _ b: T) -> T {
  let (sum, overflow) = a.addingReportingOverflow(b)
  guard overflow else { return sum }
  return b > 0 ? .max : .min
}
