#if Macros
  import SwiftCompilerPlugin
  import SwiftSyntaxMacros

  /// The compiler plugin that provides Cortado's macros.
  @main
  struct CortadoMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [MemoizedMacro.self]
  }
#else
  // Without the `Macros` trait the plugin is an empty executable: the macro
  // target still has to build, but swift-syntax is not needed.
  @main
  enum CortadoMacrosPluginStandIn {
    static func main() {}
  }
#endif
