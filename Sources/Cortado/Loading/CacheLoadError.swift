/// Errors from loading reads.
public enum CacheLoadError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A batch loader returned no value for a key a caller was waiting for.
  case valueNotLoaded

  /// A loader asked the same cache to load a key it is itself loading (directly,
  /// or through a function it called): waiting would never end, so the inner
  /// call fails at once. The payload describes the key.
  case recursiveLoad(key: String)

  public var description: String {
    switch self {
    case .valueNotLoaded:
      return "CacheLoadError.valueNotLoaded: the batch loader returned no value for the key"
    case .recursiveLoad(let key):
      return """
        CacheLoadError.recursiveLoad: the loader of key \(key) asked the same cache to load that key again, \
        which would wait for itself forever; load the value without reading its own key
        """
    }
  }
}
