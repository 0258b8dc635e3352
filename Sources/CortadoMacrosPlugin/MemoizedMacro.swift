#if Macros
  import SwiftSyntax
  import SwiftSyntaxMacros

  /// `@Memoized`: caches the results of a function or method in a Cortado
  /// `Cache`.
  ///
  /// Two roles:
  /// - **peer**: the cache (`<name>Cache`) and the original body, moved to a
  ///   private `__memoized_<name>` with the same signature;
  /// - **body**: the new body, which looks the arguments up in the cache and
  ///   calls `__memoized_<name>` on a miss.
  ///
  /// Both roles read the declaration the same way; only the peer role reports
  /// problems, so that each is reported once. On a problem the body role
  /// keeps the original body, so the only errors are the macro's own.
  public struct MemoizedMacro: PeerMacro, BodyMacro {
    public static func expansion(
      of node: AttributeSyntax,
      providingPeersOf declaration: some DeclSyntaxProtocol,
      in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
      switch MemoizedFunction.read(attribute: node, declaration: declaration, lexicalContext: context.lexicalContext) {
      case .success(let function):
        return [function.cacheDeclaration, function.originalBodyDeclaration]
      case .failure(let problems):
        for problem in problems.diagnostics { context.diagnose(problem) }
        return []
      }
    }

    public static func expansion(
      of node: AttributeSyntax,
      providingBodyFor declaration: some DeclSyntaxProtocol & WithOptionalCodeBlockSyntax,
      in context: some MacroExpansionContext
    ) throws -> [CodeBlockItemSyntax] {
      switch MemoizedFunction.read(attribute: node, declaration: declaration, lexicalContext: context.lexicalContext) {
      case .success(let function):
        return function.memoizedBody
      case .failure:
        return declaration.body.map { Array($0.statements) } ?? []
      }
    }
  }
#endif
