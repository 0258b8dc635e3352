import Testing

@Test func macrosTraitState() {
  #if Macros
    #expect(Bool(true), "built with the Macros trait")
  #else
    #expect(Bool(true), "built without the Macros trait: the macro tests are compiled out")
  #endif
}
