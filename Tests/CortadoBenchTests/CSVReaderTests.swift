import Testing

@testable import CortadoBench

@Suite("CSV trace reader")
struct CSVReaderTests {
  @Test("the key column, a size column, quoted fields and a header")
  func columnsAndQuotes() throws {
    let lines = [
      "time,key,size",
      "1,a,100",
      "2,\"b,c\",200",
      "",
      "3,\"say \"\"hi\"\"\",300",
      "4,a, 7",
    ]
    let file = try TemporaryFile(lines.joined(separator: "\n"))
    let options = CSVOptions(keyColumn: 2, sizeColumn: 3, hasHeader: true)
    let requests = try readAll(try CSVTraceReader(path: file.path, options: options))
    #expect(
      requests == [
        TraceRequest(key: key("a"), size: 100),
        TraceRequest(key: key("b,c"), size: 200),
        TraceRequest(key: key("say \"hi\""), size: 300),
        TraceRequest(key: key("a"), size: 7),
      ])
  }

  @Test("the key may be the last column; sizes default to 1; other delimiters")
  func lastColumnAndDelimiter() throws {
    let file = try TemporaryFile("x\tk1\ny\tk2\r\n")
    let options = CSVOptions(keyColumn: 2, delimiter: 0x09)
    let requests = try readAll(try CSVTraceReader(path: file.path, options: options))
    #expect(requests == [TraceRequest(key: key("k1")), TraceRequest(key: key("k2"))])
  }

  @Test(
    "malformed lines are reported with their line numbers",
    arguments: [
      ("1,a,1\n2\n", 2),  // the key column is missing
      ("1,a,1\n2,b,1\n3,\"open,1\n", 3),  // unterminated quote
      ("1,\"a\"x,1\n", 1),  // text after a closing quote
      ("1,a,xyz\n", 1),  // size is not a number
      ("1,a,-5\n", 1),  // size is negative
      ("1,a,1\n\n1,,1\n", 3),  // empty key (line 2 is blank)
      ("1,a\n", 1),  // the size column is missing
      ("1,a,99999999999\n", 1),  // size beyond UInt32
    ])
  func malformed(text: String, line: Int) throws {
    let file = try TemporaryFile(text)
    let reader = try CSVTraceReader(path: file.path, options: CSVOptions(keyColumn: 2, sizeColumn: 3))
    let error = #expect(throws: TraceError.self) { try readAll(reader) }
    #expect(malformedLine(error) == line)
  }

  @Test("the error message names the file, the line and the column")
  func message() throws {
    let file = try TemporaryFile("a,b\nonly\n")
    let reader = try CSVTraceReader(path: file.path, options: CSVOptions(keyColumn: 2))
    let error = #expect(throws: TraceError.self) { try readAll(reader) }
    #expect(error?.description == "\(file.path):2: has 1 column, but column 2 is needed")
  }
}
