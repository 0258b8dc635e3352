/// A binary max-heap of `UInt32`, the largest on top.
struct MaxHeap {
  private(set) var elements: [UInt32] = []

  var count: Int { elements.count }
  var top: UInt32? { elements.first }

  mutating func push(_ element: UInt32) {
    elements.append(element)
    var child = elements.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard elements[parent] < elements[child] else { break }
      elements.swapAt(parent, child)
      child = parent
    }
  }

  @discardableResult
  mutating func popTop() -> UInt32? {
    guard let top = elements.first else { return nil }
    let last = elements.removeLast()
    if !elements.isEmpty {
      elements[0] = last
      siftDown(from: 0)
    }
    return top
  }

  /// Keeps only the elements that satisfy `isIncluded`, in O(n).
  mutating func filter(_ isIncluded: (UInt32) -> Bool) {
    elements = elements.filter(isIncluded)
    var index = elements.count / 2
    while index > 0 {
      index -= 1
      siftDown(from: index)
    }
  }

  private mutating func siftDown(from start: Int) {
    var parent = start
    let count = elements.count
    while true {
      let left = 2 * parent + 1
      guard left < count else { return }
      var largest = left
      if left + 1 < count && elements[left + 1] > elements[left] { largest = left + 1 }
      guard elements[largest] > elements[parent] else { return }
      elements.swapAt(largest, parent)
      parent = largest
    }
  }
}
