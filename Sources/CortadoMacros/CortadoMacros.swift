#if Macros
  // The `@Memoized` macro comes with the cache it writes: importing
  // CortadoMacros imports Cortado.
  @_exported import Cortado
#endif
