extension Cache {
  /// Checks every internal invariant of every stripe and stops the program
  /// with a description of the first one broken.
  ///
  /// For tests (`@_spi(Testing) import Cortado`): Cortado's own suite calls it
  /// after every step of its randomised tests, and so does the fuzzer. O(n);
  /// takes each stripe's lock in turn. The checks are compiled in debug
  /// builds and when `CORTADO_INTERNAL_CHECKS` is defined
  /// (`-Xswiftc -DCORTADO_INTERNAL_CHECKS`); otherwise this does nothing.
  @_spi(Testing)
  public func _checkInvariants() {
    #if DEBUG || CORTADO_INTERNAL_CHECKS
      core.forEachShard { shard, _ in shard.pointee.checkInvariants() }
    #endif
  }
}
