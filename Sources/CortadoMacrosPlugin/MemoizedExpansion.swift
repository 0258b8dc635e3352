#if Macros
  import SwiftSyntax
  import SwiftSyntaxBuilder

  // What `@Memoized` writes. Names from Cortado are qualified by module
  // (`Cortado.Cache`, `Cortado._memoizationCache`) so that the user's own
  // `Cache` type, say, cannot capture them.

  extension MemoizedFunction {
    // MARK: Keys

    /// The parts of the cache key: `self` first when keyed by `self`, then
    /// the parameters, as (expression, type).
    private var keyParts: [(expression: String, type: String)] {
      var parts = parameters.map { (expression: $0.name, type: $0.type.trimmedDescription) }
      if case .keyedBySelf(let typeName) = storage {
        parts.insert((expression: "self", type: typeName), at: 0)
      }
      return parts
    }

    /// The key type and the expression that builds a key from `parts`:
    /// a constant for none, the value itself for one, `MemoizationKeyN` for
    /// two to four, and a nested key beyond (only `self` and 4 parameters).
    private static func key(of parts: [(expression: String, type: String)]) -> (expression: String, type: String) {
      switch parts.count {
      case 0:
        return ("Cortado.MemoizationKey0()", "Cortado.MemoizationKey0")
      case 1:
        return parts[0]
      case 2...4:
        let expressions = parts.map(\.expression).joined(separator: ", ")
        let types = parts.map(\.type).joined(separator: ", ")
        return (
          "Cortado.MemoizationKey\(parts.count)(\(expressions))", "Cortado.MemoizationKey\(parts.count)<\(types)>"
        )
      default:
        return key(of: [parts[0], key(of: Array(parts.dropFirst()))])
      }
    }

    private var key: (expression: String, type: String) { Self.key(of: keyParts) }

    // MARK: Peers

    /// The cache, a peer of the function: a global `let`, a `static let`, or
    /// a stored `let` of each instance.
    var cacheDeclaration: DeclSyntax {
      var modifiers: [String] = []
      if let accessLevel { modifiers.append(accessLevel) }
      var documentation = [
        "/// The cache of `\(displayName)`, added by `@Memoized`: read its `count`",
        "/// and `statistics`, or clear it with `removeAll()`.",
      ]
      switch storage {
      case .global:
        break
      case .instance:
        modifiers.append("nonisolated")
        documentation.append("/// One per instance.")
      case .staticMember:
        modifiers += ["nonisolated", "static"]
      case .keyedBySelf:
        modifiers += ["nonisolated", "static"]
        documentation.append("/// Shared by equal values: keyed by `self` and the arguments.")
      }
      let lines = documentation + availability.map(\.trimmedDescription)
      let type = "Cortado.Cache<\(key.type), \(resultType.trimmedDescription)>"
      let factoryArguments =
        ["function: \"\(displayName)\""]
        + arguments.map { $0.with(\.trailingComma, nil).trimmedDescription }
      let factory = "Cortado._memoizationCache(\(factoryArguments.joined(separator: ", ")))"
      let declaration = (modifiers + ["let \(cacheName): \(type) = \(factory)"]).joined(separator: " ")
      return "\(raw: (lines + [declaration]).joined(separator: "\n"))"
    }

    /// The function as written, renamed `__memoized_<name>` and private: the
    /// memoized body calls it on a miss.
    var originalBodyDeclaration: DeclSyntax {
      var function = declaration
      let removedAttributes: Set<String> = [
        "Memoized", "CortadoMacros.Memoized", "objc", "IBAction", "IBSegueAction", "_cdecl", "_silgen_name",
        "_spi", "_dynamicReplacement", "usableFromInline",
      ]
      function.attributes = AttributeListSyntax(
        declaration.attributes.compactMap { element -> AttributeListSyntax.Element? in
          guard case .attribute(let attribute) = element else {
            return element.trimmed.with(\.trailingTrivia, .newline)
          }
          let name = attribute.attributeName.trimmedDescription
          return removedAttributes.contains(name) ? nil : element.trimmed.with(\.trailingTrivia, .newline)
        }
      )
      // Keep what changes the meaning of the body (static, isolation,
      // ownership); drop access, overriding and dispatch.
      var modifiers = [DeclModifierSyntax(name: .keyword(.private, trailingTrivia: .space))]
      for modifier in declaration.modifiers {
        switch modifier.name.tokenKind {
        case .keyword(.static), .keyword(.class):
          modifiers.append(DeclModifierSyntax(name: .keyword(.static, trailingTrivia: .space)))
        case .keyword(.nonisolated), .keyword(.borrowing), .keyword(.consuming), .keyword(.__consuming):
          modifiers.append(modifier.trimmed.with(\.trailingTrivia, .space))
        default:
          break
        }
      }
      function.modifiers = DeclModifierListSyntax(modifiers)
      function.funcKeyword = function.funcKeyword.with(\.leadingTrivia, [])
      function.name = .identifier(bodyName)
      if let body = declaration.body {
        function.body = Outdenter.outdent(body)
      }
      function.leadingTrivia = "/// The body of `\(displayName)` as written, which `@Memoized` calls on a miss.\n"
      function.trailingTrivia = []
      return DeclSyntax(function)
    }

    // MARK: The new body

    /// The memoized body: look the arguments up in the cache, calling the
    /// original body on a miss.
    var memoizedBody: [CodeBlockItemSyntax] {
      let cache: String
      let callee: String
      switch storage {
      case .global:
        (cache, callee) = (cacheName, bodyName)
      case .instance:
        (cache, callee) = ("self.\(cacheName)", "self.\(bodyName)")
      case .staticMember, .keyedBySelf:
        (cache, callee) = ("Self.\(cacheName)", "self.\(bodyName)")
      }
      let argumentList = parameters.map { parameter in
        (parameter.label.map { "\($0): " } ?? "") + parameter.name
      }
      let call = "\(callee)(\(argumentList.joined(separator: ", ")))"
      let key = key.expression

      let body: CodeBlockItemListSyntax
      if isAsync {
        // `loadValue` shares one call among concurrent callers. It runs the
        // loader in a task of its own, so the loader is `@Sendable` and calls
        // the original body through `self`.
        switch throwing {
        case .untyped:
          body = """
            return try await \(raw: cache).loadValue(forKey: \(raw: key)) { _ in
                try await \(raw: call)
            }
            """
        case .none:
          // `loadValue` throws only `CancellationError`, when this task is
          // cancelled while it waits for another caller's call.
          body = """
            do {
                return try await \(raw: cache).loadValue(forKey: \(raw: key)) { _ in
                    await \(raw: call)
                }
            } catch _ {
                // Cancelled while waiting: this function cannot throw, so it computes without the cache.
                return await \(raw: call)
            }
            """
        case .typed(let failure):
          body = """
            do {
                return try await \(raw: cache).loadValue(forKey: \(raw: key)) { _ in
                    try await \(raw: call)
                }
            } catch let failure as \(raw: failure.trimmedDescription) {
                throw failure
            } catch _ {
                // Cancelled while waiting: this function throws only \(raw: failure.trimmedDescription), so it computes without the cache.
                return try await \(raw: call)
            }
            """
        }
      } else {
        // `value(forKey:orInsert:)` (its closure trails) is atomic per key:
        // concurrent callers wait for one call. Its typed throws passes the
        // function's own on: none, `any Error`, or the closure's spelled `E`.
        switch throwing {
        case .none:
          body = """
            return \(raw: cache).value(forKey: \(raw: key)) {
                \(raw: call)
            }
            """
        case .untyped:
          body = """
            return try \(raw: cache).value(forKey: \(raw: key)) {
                try \(raw: call)
            }
            """
        case .typed(let failure):
          body = """
            return try \(raw: cache).value(forKey: \(raw: key)) { () throws(\(raw: failure.trimmedDescription)) -> \(raw: resultType.trimmedDescription) in
                try \(raw: call)
            }
            """
        }
      }
      return Array(body)
    }
  }

  /// Moves a member's body left by the member's own indentation, so that the
  /// copied body reads well wherever the expansion is shown (the expansion is
  /// indented again where it is inserted). Only whitespace trivia after a
  /// newline changes; nothing inside a string literal is touched.
  private final class Outdenter: SyntaxRewriter {
    private let width: Int

    private init(width: Int) {
      self.width = width
      super.init(viewMode: .sourceAccurate)
    }

    /// `body` outdented by the indentation of its closing brace.
    static func outdent(_ body: CodeBlockSyntax) -> CodeBlockSyntax {
      let pieces = Array(body.rightBrace.leadingTrivia)
      guard let newline = pieces.lastIndex(where: \.isNewline), newline + 1 < pieces.count,
        case .spaces(let width) = pieces[newline + 1], width > 0
      else { return body }
      return Outdenter(width: width).rewrite(body).cast(CodeBlockSyntax.self)
    }

    override func visit(_ node: StringLiteralExprSyntax) -> ExprSyntax {
      let outdented = node.with(\.openingPounds, node.openingPounds.map(outdent))
        .with(\.openingQuote, outdent(node.openingQuote))
      return ExprSyntax(outdented)
    }

    override func visit(_ token: TokenSyntax) -> TokenSyntax {
      outdent(token)
    }

    private func outdent(_ token: TokenSyntax) -> TokenSyntax {
      var pieces: [TriviaPiece] = []
      var afterNewline = false
      for piece in token.leadingTrivia {
        if afterNewline, case .spaces(let count) = piece {
          if count > width { pieces.append(.spaces(count - width)) }
        } else {
          pieces.append(piece)
        }
        afterNewline = piece.isNewline
      }
      return token.with(\.leadingTrivia, Trivia(pieces: pieces))
    }
  }
#endif
