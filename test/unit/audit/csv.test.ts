// CSV cells and rows, by table: RFC 4180 quoting, and formulas neutralised for spreadsheets.
import { expect } from 'chai';
import { csvCell, csvRow } from '../../../src/audit/csv.js';

const cells: { input: string | null | undefined; output: string }[] = [
  { input: 'plain', output: 'plain' },
  { input: '', output: '' },
  { input: null, output: '' },
  { input: undefined, output: '' },
  { input: 'a,b', output: '"a,b"' },
  { input: 'say "hi"', output: '"say ""hi"""' },
  { input: 'line1\nline2', output: '"line1\nline2"' },
  { input: 'line1\r\nline2', output: '"line1\r\nline2"' },
  { input: '=1+1', output: "'=1+1" },
  { input: '+1', output: "'+1" },
  { input: '-2', output: "'-2" },
  { input: '@SUM(A1)', output: "'@SUM(A1)" },
  { input: '\tcmd', output: "'\tcmd" },
  { input: '\rcmd', output: `"'\rcmd"` },
  { input: '=HYPERLINK("http://x","y")', output: `"'=HYPERLINK(""http://x"",""y"")"` },
  { input: 'a=b', output: 'a=b' },
  { input: "'quoted'", output: "'quoted'" },
  { input: '{"before":{"a":1},"after":{"a":2}}', output: '"{""before"":{""a"":1},""after"":{""a"":2}}"' },
];

describe('audit/csv: cells', () => {
  for (const { input, output } of cells) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => expect(csvCell(input)).to.equal(output));
  }
});

describe('audit/csv: rows', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvRow(['a', 'b,c', null, '=x'])).to.equal(`a,"b,c",,'=x\r\n`);
  });
});
