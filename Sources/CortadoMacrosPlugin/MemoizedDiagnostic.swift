#if Macros
  import SwiftDiagnostics

  /// The errors `@Memoized` reports, each with the reason and what to do
  /// instead.
  enum MemoizedDiagnostic: DiagnosticMessage {
    case notAFunction(kind: String)
    case operatorFunction(name: String)
    case noBody(name: String)
    case localFunction(name: String)
    case protocolRequirement(name: String)
    case generic(name: String)
    case opaqueParameter(name: String, parameter: String)
    case inoutParameter(name: String, parameter: String)
    case variadicParameter(name: String, parameter: String)
    case unnamedParameter(name: String)
    case tooManyParameters(name: String, count: Int)
    case noResult(name: String)
    case opaqueResult(name: String)
    case rethrowsFunction(name: String)
    case inlinable(name: String, attribute: String)
    case mutating(name: String)
    case staticInGenericType(name: String, type: String)
    case valueTypeMethodInGenericType(name: String, type: String)
    case negativeMaximumCount
    case nonPositiveTimeToLive

    var message: String {
      switch self {
      case .notAFunction(let kind):
        return "'@Memoized' can only be attached to a function or method, not to \(kind); "
          + "to cache other values, use a 'Cache' directly"
      case .operatorFunction(let name):
        return "'@Memoized' cannot memoize the operator '\(name)': its cache would need a name derived from it; "
          + "memoize a named function and call it from the operator"
      case .noBody(let name):
        return "'@Memoized' needs the body of '\(name)' to cache its results; add a body"
      case .localFunction(let name):
        return "'@Memoized' cannot memoize the local function '\(name)': its cache would be created anew, "
          + "empty, at every call of the enclosing function; move it to the file or a type"
      case .protocolRequirement(let name):
        return "'@Memoized' cannot memoize the protocol requirement '\(name)': a protocol has no storage for a cache; "
          + "memoize the method in each conforming type"
      case .generic(let name):
        return "'@Memoized' cannot memoize the generic function '\(name)': its cache holds one key type and "
          + "one value type; write a non-generic function for each type, or memoize a non-generic function that it calls"
      case .opaqueParameter(let name, let parameter):
        return "'@Memoized' cannot memoize '\(name)': the parameter '\(parameter)' has an opaque 'some' type, "
          + "which makes the function generic; use a concrete Hashable type"
      case .inoutParameter(let name, let parameter):
        return "'@Memoized' cannot memoize '\(name)': the 'inout' parameter '\(parameter)' would not be changed when "
          + "a cached result is returned; return the new value instead"
      case .variadicParameter(let name, let parameter):
        return "'@Memoized' cannot memoize '\(name)': the variadic parameter '\(parameter)' cannot be a cache key; "
          + "take an array instead"
      case .unnamedParameter(let name):
        return "'@Memoized' cannot memoize '\(name)': a parameter named '_' cannot be part of the cache key; "
          + "give it a name, such as '_ value: Int'"
      case .tooManyParameters(let name, let count):
        return "'@Memoized' supports functions of at most 4 parameters, and '\(name)' has \(count); "
          + "group some of them in a Hashable struct"
      case .noResult(let name):
        return "'@Memoized' cannot memoize '\(name)': it returns nothing, so there is nothing to cache; "
          + "return the value to cache"
      case .opaqueResult(let name):
        return "'@Memoized' cannot memoize '\(name)': a cache cannot hold an opaque 'some' result; "
          + "return a concrete type or an existential 'any' type"
      case .rethrowsFunction(let name):
        return
          "'@Memoized' cannot memoize the 'rethrows' function '\(name)': its closure parameter cannot be a cache key; "
          + "use 'throws' and Hashable parameters"
      case .inlinable(let name, let attribute):
        return "'@Memoized' cannot memoize the '\(attribute)' function '\(name)': its new body uses the private "
          + "original body, which inlinable code cannot see; remove '\(attribute)'"
      case .mutating(let name):
        return "'@Memoized' cannot memoize the 'mutating' method '\(name)': a cached result would skip its changes to "
          + "'self'; make it non-mutating"
      case .staticInGenericType(let name, let type):
        return
          "'@Memoized' cannot memoize the static method '\(name)' of the generic type '\(type)': Swift has no static "
          + "stored properties in generic types, so there is nowhere to keep its cache; memoize a global function "
          + "that it calls"
      case .valueTypeMethodInGenericType(let name, let type):
        return "'@Memoized' cannot memoize the method '\(name)' of the generic type '\(type)': a struct or enum keeps "
          + "the cache of its methods in a static stored property, keyed by 'self', and Swift has none in generic "
          + "types; memoize a global function that takes 'self' as a parameter"
      case .negativeMaximumCount:
        return "'maximumCount' must not be negative; use nil for no limit"
      case .nonPositiveTimeToLive:
        return "'timeToLive' must be positive; use nil to keep results until they are evicted"
      }
    }

    var diagnosticID: MessageID {
      let id: String
      switch self {
      case .notAFunction: id = "notAFunction"
      case .operatorFunction: id = "operatorFunction"
      case .noBody: id = "noBody"
      case .localFunction: id = "localFunction"
      case .protocolRequirement: id = "protocolRequirement"
      case .generic: id = "generic"
      case .opaqueParameter: id = "opaqueParameter"
      case .inoutParameter: id = "inoutParameter"
      case .variadicParameter: id = "variadicParameter"
      case .unnamedParameter: id = "unnamedParameter"
      case .tooManyParameters: id = "tooManyParameters"
      case .noResult: id = "noResult"
      case .opaqueResult: id = "opaqueResult"
      case .rethrowsFunction: id = "rethrowsFunction"
      case .inlinable: id = "inlinable"
      case .mutating: id = "mutating"
      case .staticInGenericType: id = "staticInGenericType"
      case .valueTypeMethodInGenericType: id = "valueTypeMethodInGenericType"
      case .negativeMaximumCount: id = "negativeMaximumCount"
      case .nonPositiveTimeToLive: id = "nonPositiveTimeToLive"
      }
      return MessageID(domain: "CortadoMacros.Memoized", id: id)
    }

    var severity: DiagnosticSeverity { .error }
  }
#endif
