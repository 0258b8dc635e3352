/// One cell of a simulation (a policy at a capacity), fed the trace in
/// batches, in order.
protocol Replayer: AnyObject {
  /// Hits so far.
  var hits: Int { get }
  /// Replays `batch`, whose first request is the trace's request number
  /// `firstIndex` (counting from 0).
  func replay(_ batch: UnsafeBufferPointer<TraceRequest>, firstIndex: Int)
}
