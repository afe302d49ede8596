import assert from "node:assert/strict";
import { test } from "node:test";
import { LineExtractor, splitCsv, type Found, type LineShape } from "./extract.ts";

function read(lines: string[]): Array<[LineShape, Found[]]> {
  const extractor = new LineExtractor();
  return lines.map((line) => {
    const found: Found[] = [];
    return [extractor.read(line, found), found];
  });
}

const one = (line: string) => read([line])[0]!;

test("logsim's JSONL: generator and seq as top-level fields", () => {
  assert.deepEqual(one('{"timestamp":"t","generator":"gen","seq":42,"tags":[]}'), ["record", [{ generator: "gen", seq: 42 }]]);
  assert.deepEqual(one('{"seq":"7"}'), ["record", [{ generator: undefined, seq: 7 }]], "a seq kept as a string");
});

test("JSON with the original line embedded in a string, as Vector (message), Fluent Bit (log) and a dead-letter file (line) write it", () => {
  assert.deepEqual(one(JSON.stringify({ message: '{"generator":"api","seq":9,"level":"INFO"}', host: "h" })), ["record", [{ generator: "api", seq: 9 }]]);
  assert.deepEqual(one(JSON.stringify({ log: "2026-11-23T10:00:00Z INFO [svc] seq=11 msg=\"x\" generator=gen\n", stream: "stdout" })), ["record", [{ generator: "gen", seq: 11 }]]);
  assert.deepEqual(one(JSON.stringify({ reason: "json: invalid JSON", line: '{"generator":"gen","seq":15,"message":"cut' })), ["record", [{ generator: "gen", seq: 15 }]]);
  assert.deepEqual(one(JSON.stringify({ event: { original: '{"generator":"g2","seq":3}' } })), ["record", [{ generator: "g2", seq: 3 }]], "nested, as Filebeat's event.original");
});

test("text formats: logfmt, logsim's text and syslog structured data", () => {
  assert.deepEqual(one('time=t level=info msg="User logged in" generator=gen seq=1 event=x'), ["record", [{ generator: "gen", seq: 1 }]]);
  assert.deepEqual(one("2026-11-29T20:07:16.709Z INFO [auth] user=u-1 seq=12 msg=\"x\" generator=gen"), ["record", [{ generator: "gen", seq: 12 }]]);
  assert.deepEqual(one('<134>1 2026-11-29T20:07:19.466Z - auth - login [logsim@32473 generator="gen" seq="3" event="x"] User logged in'), ["record", [{ generator: "gen", seq: 3 }]]);
  assert.deepEqual(one("subseq=4 sequence=5 seq_no=6 x.seq=7"), ["none", []], "only a key named seq counts");
});

test("torn lines: a partial JSON record keeps its readable seq; two records run together give both", () => {
  assert.deepEqual(one('{"generator":"gen","seq":5,"message":"cut sh'), ["torn", [{ generator: "gen", seq: 5 }]]);
  assert.deepEqual(one('{"generator":"gen","seq":5}{"generator":"gen","seq":6}'), ["torn", [{ generator: "gen", seq: 5 }, { generator: "gen", seq: 6 }]]);
  assert.deepEqual(one('{"timestamp":"2026-11-29T20'), ["none", []], "cut before the seq");
  assert.deepEqual(one("\u0000\u0001garbage"), ["none", []]);
});

test("CSV under a header naming generator and seq; rows read by column", () => {
  const lines = ["timestamp,level,service,message,generator,seq,extra", '2026,INFO,auth,"Hello, ""world""",gen,1,"{""a"":1}"', "2026,INFO,auth,x,gen,2,"];
  assert.deepEqual(read(lines), [["header", []], ["record", [{ generator: "gen", seq: 1 }]], ["record", [{ generator: "gen", seq: 2 }]]]);
  assert.deepEqual(splitCsv('a,"b,c",,"d ""e"""'), ["a", "b,c", "", 'd "e"']);
});
