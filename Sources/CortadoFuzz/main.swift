// The libFuzzer harness: one executable, several targets, chosen with the
// environment variable CORTADO_FUZZ_TARGET (resp, envelope, invalidation,
// traces, cache). Built only with the `Fuzz` trait and `-sanitize=fuzzer`
// (see docs/reliability.md and .ci/run for the command); without the trait it
// says how to build it.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

#if Fuzz
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @_silgen_name("LLVMFuzzerRunDriver")
  func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
  ) -> Int32

  let targetName = getenv("CORTADO_FUZZ_TARGET").map { String(cString: $0) } ?? ""
  guard let target = FuzzTarget(rawValue: targetName) else {
    print("Set CORTADO_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
    exit(2)
  }
  selectedTarget = target
  var argc = CommandLine.argc
  var argv = CommandLine.unsafeArgv
  exit(
    LLVMFuzzerRunDriver(&argc, &argv) { data, size in
      let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
      selectedTarget.run(bytes)
      return 0
    })
#else
  print(
    """
    cortado-fuzz is built with the Fuzz trait and libFuzzer:
      swift build -c release --traits Redis,Fuzz --scratch-path .build-fuzz \\
        -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld -Xswiftc -DCORTADO_INTERNAL_CHECKS --product cortado-fuzz
      CORTADO_FUZZ_TARGET=resp .build-fuzz/release/cortado-fuzz Fuzz/Corpus/resp
    """)
#endif
