#if Macros
  import SwiftDiagnostics
  import SwiftSyntax

  /// A function `@Memoized` can memoize, as read from its declaration and the
  /// declarations around it.
  struct MemoizedFunction {
    /// Whether and how the function throws.
    enum Throwing {
      case none
      /// `throws` or `throws(any Error)`.
      case untyped
      /// `throws(E)` for a concrete `E`.
      case typed(TypeSyntax)
    }

    /// Where the cache lives, which decides who shares it.
    enum Storage {
      /// A global function: a global `let`.
      case global
      /// A `static` or `class` method: a `static let` of the type.
      case staticMember
      /// An instance method declared in the body of a class or actor: a stored
      /// `let` of each instance, so that two instances never share results.
      case instance
      /// An instance method of a struct or enum, or one declared in an
      /// extension, where a stored property per instance is impossible (struct
      /// copies would share it; extensions cannot add one): a `static let`
      /// whose key includes `self`, so `Self` must be `Hashable & Sendable`.
      /// `typeName` spells `Self` for the static cache's type.
      case keyedBySelf(typeName: String)
    }

    /// One parameter of the function.
    struct Parameter {
      /// The argument label, or `nil` for `_`.
      var label: String?
      /// The name the body uses.
      var name: String
      /// The type, without ownership specifiers such as `borrowing`.
      var type: TypeSyntax
    }

    /// The declaration as written.
    var declaration: FunctionDeclSyntax
    /// The function's base name without backticks, which the names of the
    /// macro's peers start from.
    var baseName: String
    /// The full name, such as `fetchUser(id:)`.
    var displayName: String
    var parameters: [Parameter]
    var resultType: TypeSyntax
    var isAsync: Bool
    var throwing: Throwing
    var storage: Storage
    /// The function's access modifier (`open` becomes `public`), given to the
    /// cache too; `nil` for the default.
    var accessLevel: String?
    /// The function's `@available` attributes, copied to the cache.
    var availability: [AttributeSyntax]
    /// The macro's arguments, passed on to the cache's factory.
    var arguments: LabeledExprListSyntax

    /// The name of the cache peer: `fetchUserCache`.
    var cacheName: String { baseName + "Cache" }
    /// The name of the peer holding the original body: `__memoized_fetchUser`.
    var bodyName: String { "__memoized_" + baseName }
  }

  // MARK: - Reading the declaration

  extension MemoizedFunction {
    /// Why a declaration cannot be memoized.
    struct Problems: Error {
      var diagnostics: [Diagnostic]
    }

    /// Reads `declaration` for the attribute `attribute`, or returns every
    /// reason it cannot be memoized.
    static func read(
      attribute: AttributeSyntax,
      declaration: some DeclSyntaxProtocol,
      lexicalContext: [Syntax]
    ) -> Result<MemoizedFunction, Problems> {
      var problems: [Diagnostic] = []
      func report(_ node: any SyntaxProtocol, _ message: MemoizedDiagnostic) {
        problems.append(Diagnostic(node: Syntax(fromProtocol: node), message: message))
      }

      let arguments = attribute.arguments?.as(LabeledExprListSyntax.self) ?? []
      checkArguments(arguments, report: report)

      guard let function = declaration.as(FunctionDeclSyntax.self) else {
        report(attribute, .notAFunction(kind: describe(declaration)))
        return .failure(Problems(diagnostics: problems))
      }

      let name = function.name
      switch name.tokenKind {
      case .binaryOperator, .prefixOperator, .postfixOperator:
        report(name, .operatorFunction(name: name.text))
        return .failure(Problems(diagnostics: problems))
      default:
        break
      }
      let baseName = name.identifier?.name ?? name.text
      let parameterList = Array(function.signature.parameterClause.parameters)
      let labels = parameterList.map { ($0.firstName.identifier?.name ?? $0.firstName.text) + ":" }
      let displayName = baseName + "(" + labels.joined() + ")"

      // Where the cache goes.
      let storage = readStorage(
        function: function, displayName: displayName, lexicalContext: lexicalContext, report: report
      )

      if function.body == nil, !(lexicalContext.first?.is(ProtocolDeclSyntax.self) ?? false) {
        report(name, .noBody(name: displayName))
      }
      if let generics = function.genericParameterClause {
        report(generics, .generic(name: displayName))
      } else if let whereClause = function.genericWhereClause {
        report(whereClause, .generic(name: displayName))
      }
      for element in function.attributes {
        guard case .attribute(let other) = element else { continue }
        let otherName = other.attributeName.trimmedDescription
        if ["inlinable", "_alwaysEmitIntoClient"].contains(otherName) {
          report(other, .inlinable(name: displayName, attribute: "@" + otherName))
        }
      }

      // Parameters.
      var parameters: [Parameter] = []
      for parameter in parameterList {
        let parameterName = parameter.secondName ?? parameter.firstName
        let shownName = parameterName.text
        var type = parameter.type
        if let attributed = type.as(AttributedTypeSyntax.self) {
          var kept = TypeSpecifierListSyntax()
          for specifier in attributed.specifiers {
            let text = specifier.trimmedDescription
            if text == "inout" {
              report(specifier, .inoutParameter(name: displayName, parameter: shownName))
            } else if !["borrowing", "consuming", "__shared", "__owned", "sending"].contains(text) {
              kept.append(specifier)
            }
          }
          if kept.isEmpty && attributed.attributes.isEmpty {
            type = attributed.baseType.trimmed
          } else {
            type = TypeSyntax(attributed.with(\.specifiers, kept).trimmed)
          }
        }
        if containsSome(type) {
          report(parameter.type, .opaqueParameter(name: displayName, parameter: shownName))
        }
        if let ellipsis = parameter.ellipsis {
          report(ellipsis, .variadicParameter(name: displayName, parameter: shownName))
        }
        if parameterName.tokenKind == .wildcard {
          report(parameter, .unnamedParameter(name: displayName))
        }
        let label = parameter.firstName.tokenKind == .wildcard ? nil : parameter.firstName.text
        parameters.append(Parameter(label: label, name: parameterName.text, type: optionalForIUO(type).trimmed))
      }
      if parameters.count > 4 {
        report(function.signature.parameterClause, .tooManyParameters(name: displayName, count: parameters.count))
      }

      // Result and effects.
      var resultType: TypeSyntax?
      if let returnClause = function.signature.returnClause {
        let type = returnClause.type
        if ["Void", "()", "Swift.Void"].contains(type.trimmedDescription) {
          report(returnClause, .noResult(name: displayName))
        } else if containsSome(type) {
          report(type, .opaqueResult(name: displayName))
        } else {
          resultType = optionalForIUO(type).trimmed
        }
      } else {
        report(name, .noResult(name: displayName))
      }
      let effects = function.signature.effectSpecifiers
      let isAsync = effects?.asyncSpecifier?.tokenKind == .keyword(.async)
      var throwing = Throwing.none
      if let throwsClause = effects?.throwsClause {
        if throwsClause.throwsSpecifier.tokenKind == .keyword(.rethrows) {
          report(throwsClause.throwsSpecifier, .rethrowsFunction(name: displayName))
        } else if let type = throwsClause.type {
          switch type.trimmedDescription {
          case "Never", "Swift.Never": throwing = .none
          case "any Error", "Error", "any Swift.Error", "Swift.Error": throwing = .untyped
          default: throwing = .typed(type.trimmed)
          }
        } else {
          throwing = .untyped
        }
      }

      guard problems.isEmpty, let storage, let resultType else { return .failure(Problems(diagnostics: problems)) }

      var accessLevel: String?
      for modifier in function.modifiers where modifier.detail == nil {
        switch modifier.name.tokenKind {
        case .keyword(.open): accessLevel = "public"
        case .keyword(.public), .keyword(.package), .keyword(.internal), .keyword(.fileprivate), .keyword(.private):
          accessLevel = modifier.name.text
        default: break
        }
      }
      let availability = function.attributes.compactMap { element -> AttributeSyntax? in
        guard case .attribute(let attribute) = element,
          attribute.attributeName.trimmedDescription == "available"
        else { return nil }
        return attribute.trimmed
      }

      return .success(
        MemoizedFunction(
          declaration: function,
          baseName: baseName,
          displayName: displayName,
          parameters: parameters,
          resultType: resultType,
          isAsync: isAsync,
          throwing: throwing,
          storage: storage,
          accessLevel: accessLevel,
          availability: availability,
          arguments: arguments
        )
      )
    }

    /// Decides where the cache of `function` lives from the declarations
    /// around it; `nil` after reporting a problem.
    private static func readStorage(
      function: FunctionDeclSyntax,
      displayName: String,
      lexicalContext: [Syntax],
      report: (any SyntaxProtocol, MemoizedDiagnostic) -> Void
    ) -> Storage? {
      guard let enclosing = lexicalContext.first else { return .global }
      let isStatic = function.modifiers.contains {
        $0.name.tokenKind == .keyword(.static) || $0.name.tokenKind == .keyword(.class)
      }
      let isMutating = function.modifiers.first { $0.name.tokenKind == .keyword(.mutating) }

      // The innermost type, its name, and whether it or a type around it is
      // generic (then it can have no static stored property).
      let typeName: String
      let isClassOrActor: Bool
      let isExtension: Bool
      if let type = enclosing.as(ClassDeclSyntax.self) {
        (typeName, isClassOrActor, isExtension) = (type.name.text, true, false)
      } else if let type = enclosing.as(ActorDeclSyntax.self) {
        (typeName, isClassOrActor, isExtension) = (type.name.text, true, false)
      } else if let type = enclosing.as(StructDeclSyntax.self) {
        (typeName, isClassOrActor, isExtension) = (type.name.text, false, false)
      } else if let type = enclosing.as(EnumDeclSyntax.self) {
        (typeName, isClassOrActor, isExtension) = (type.name.text, false, false)
      } else if let type = enclosing.as(ExtensionDeclSyntax.self) {
        (typeName, isClassOrActor, isExtension) = (type.extendedType.trimmedDescription, false, true)
      } else if enclosing.is(ProtocolDeclSyntax.self) {
        report(function.name, .protocolRequirement(name: displayName))
        return nil
      } else {
        // A function, closure, accessor or initializer: a local function.
        report(function.name, .localFunction(name: displayName))
        return nil
      }
      let isGeneric = lexicalContext.contains { context in
        if let type = context.asProtocol(WithGenericParametersSyntax.self), type.genericParameterClause != nil {
          return true
        }
        return false
      }

      if isStatic {
        if isGeneric,
          let modifier = function.modifiers.first(where: {
            $0.name.tokenKind == .keyword(.static) || $0.name.tokenKind == .keyword(.class)
          })
        {
          report(modifier, .staticInGenericType(name: displayName, type: typeName))
          return nil
        }
        return .staticMember
      }
      if let isMutating {
        report(isMutating, .mutating(name: displayName))
        return nil
      }
      if isClassOrActor { return .instance }
      if isGeneric && !isExtension {
        report(function.name, .valueTypeMethodInGenericType(name: displayName, type: typeName))
        return nil
      }
      return .keyedBySelf(typeName: typeName)
    }

    /// Reports literal arguments that are sure to be invalid at run time.
    private static func checkArguments(
      _ arguments: LabeledExprListSyntax,
      report: (any SyntaxProtocol, MemoizedDiagnostic) -> Void
    ) {
      for argument in arguments {
        switch argument.label?.text {
        case "maximumCount":
          if let value = integerLiteralValue(argument.expression), value < 0 {
            report(argument.expression, .negativeMaximumCount)
          }
        case "timeToLive":
          if isNonPositiveDurationLiteral(argument.expression) {
            report(argument.expression, .nonPositiveTimeToLive)
          }
        default:
          break
        }
      }
    }

    /// The value of an integer literal, possibly negated; `nil` for other
    /// expressions.
    private static func integerLiteralValue(_ expression: ExprSyntax) -> Int? {
      if let literal = expression.as(IntegerLiteralExprSyntax.self) {
        return Int(literal.literal.text.filter { $0 != "_" })
      }
      if let prefix = expression.as(PrefixOperatorExprSyntax.self), prefix.operator.text == "-",
        let value = integerLiteralValue(prefix.expression)
      {
        return -value
      }
      return nil
    }

    /// The value of a number literal, possibly negated.
    private static func numberLiteralValue(_ expression: ExprSyntax) -> Double? {
      if let literal = expression.as(FloatLiteralExprSyntax.self) {
        return Double(literal.literal.text.filter { $0 != "_" })
      }
      if let value = integerLiteralValue(expression) { return Double(value) }
      if let prefix = expression.as(PrefixOperatorExprSyntax.self), prefix.operator.text == "-",
        let value = numberLiteralValue(prefix.expression)
      {
        return -value
      }
      return nil
    }

    /// Whether `expression` is `.zero`, or `.seconds(n)` and the like with a
    /// literal `n <= 0`.
    private static func isNonPositiveDurationLiteral(_ expression: ExprSyntax) -> Bool {
      func isDurationBase(_ base: ExprSyntax?) -> Bool {
        guard let base else { return true }
        return ["Duration", "Swift.Duration"].contains(base.trimmedDescription)
      }
      if let member = expression.as(MemberAccessExprSyntax.self) {
        return member.declName.baseName.text == "zero" && isDurationBase(member.base)
      }
      guard let call = expression.as(FunctionCallExprSyntax.self),
        let member = call.calledExpression.as(MemberAccessExprSyntax.self), isDurationBase(member.base),
        ["seconds", "milliseconds", "microseconds", "nanoseconds"].contains(member.declName.baseName.text),
        call.arguments.count == 1, let argument = call.arguments.first,
        let value = numberLiteralValue(argument.expression)
      else { return false }
      return value <= 0
    }

    /// Whether `type` contains an opaque `some` type.
    private static func containsSome(_ type: TypeSyntax) -> Bool {
      final class Finder: SyntaxVisitor {
        var found = false
        override func visit(_ node: SomeOrAnyTypeSyntax) -> SyntaxVisitorContinueKind {
          if node.someOrAnySpecifier.tokenKind == .keyword(.some) { found = true }
          return .visitChildren
        }
      }
      let finder = Finder(viewMode: .sourceAccurate)
      finder.walk(type)
      return finder.found
    }

    /// `T?` for `T!`, which cannot be a generic argument.
    private static func optionalForIUO(_ type: TypeSyntax) -> TypeSyntax {
      guard let iuo = type.as(ImplicitlyUnwrappedOptionalTypeSyntax.self) else { return type }
      return TypeSyntax(OptionalTypeSyntax(wrappedType: iuo.wrappedType.trimmed))
    }

    /// A short description of a declaration that is not a function.
    private static func describe(_ declaration: some DeclSyntaxProtocol) -> String {
      switch declaration.kind {
      case .variableDecl: return "a property"
      case .initializerDecl: return "an initializer"
      case .subscriptDecl: return "a subscript"
      case .classDecl, .structDecl, .enumDecl, .actorDecl, .protocolDecl: return "a type"
      case .extensionDecl: return "an extension"
      default: return "this declaration"
      }
    }
  }
#endif
