#if Macros
@_exported import Cortado
#endif
