import { linesOfRecord } from './record-lines';

describe('linesOfRecord', () => {
  it.each([
    { name: 'one line without a newline', data: '{"a":1}', lines: ['{"a":1}'] },
    { name: 'one line with its newline, unchanged', data: '{"a":1}\r\n', lines: ['{"a":1}\r\n'] },
    { name: 'JSON Lines', data: '{"a":1}\n{"b":2}\n{"c":3}', lines: ['{"a":1}', '{"b":2}', '{"c":3}'] },
    {
      name: 'CRLF line ends and blank lines',
      data: '{"a":1}\r\n\r\n  \n{"b":2}\r\n',
      lines: ['{"a":1}', '{"b":2}'],
    },
    { name: 'only blank lines', data: '\n \n', lines: [] },
    { name: 'an empty record', data: '', lines: [] },
    {
      name: 'one pretty-printed document, unchanged',
      data: '{\n  "channel": "whatsapp",\n  "tags": {\n    "a": "b"\n  }\n}\n',
      lines: ['{\n  "channel": "whatsapp",\n  "tags": {\n    "a": "b"\n  }\n}\n'],
    },
    { name: 'lines that are not JSON', data: 'not json\nnor this', lines: ['not json', 'nor this'] },
    {
      name: 'JSON Lines with a broken line',
      data: '{"a":1}\n{"b":\n{"c":3}',
      lines: ['{"a":1}', '{"b":', '{"c":3}'],
    },
  ])('reads $name', ({ data, lines }) => {
    const result = linesOfRecord(Buffer.from(data));

    expect(result.map(String)).toEqual(lines);
  });

  it('keeps the bytes of each line exactly, when they are not valid UTF-8', () => {
    const data = Buffer.from([0x7b, 0xff, 0x7d, 0x0d, 0x0a, 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d]);

    const result = linesOfRecord(data);

    expect(result).toEqual([Buffer.from([0x7b, 0xff, 0x7d]), Buffer.from('{"a":1}')]);
  });
});
