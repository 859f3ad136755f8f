import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileTemplates } from './compile-templates';
import { TemplateCompileError } from './errors';
import { TemplateName, defaultTemplateSources, loadTemplateDirectory } from './template-sources';

describe('compileTemplates', () => {
  it('compiles the default templates into one template per name', () => {
    const { templates, notices } = compileTemplates(defaultTemplateSources());

    expect(Object.keys(templates).sort()).toEqual(Object.values(TemplateName).sort());
    expect(templates.ses).toMatchObject({
      name: 'ses',
      file: expect.stringMatching(/ses\.vm$/),
      engine: 'compiled',
    });
    expect(notices).toEqual([]);
  });

  it.each([
    ['an unclosed #if condition', '{\n"a": 1,\n#if($x\n}', 4, 1, '}', "got 'MAP_END'"],
    ['an unclosed method call', '{\n  "a": $!{x.y(}\n}', 2, 14, '  "a": $!{x.y(}', "got 'CONTENT'"],
    [
      'a #foreach without a list',
      'abc\n  #foreach($a in )\n#end',
      2,
      18,
      '  #foreach($a in )',
      "got 'CLOSE_PARENTHESIS'",
    ],
    [
      'a comparison without its right side',
      '{\n  #if( $a == )\n  #end\n}',
      2,
      14,
      '  #if( $a == )',
      "got 'CLOSE_PARENTHESIS'",
    ],
    ['a #set cut short', '{\n}\n#set($a = ', 3, 11, '#set($a = ', 'got the end of the template'],
  ])(
    'throws TemplateCompileError with the line, column and source line for %s',
    (_what, source, line, column, sourceLine, why) => {
      const compile = () => compileTemplates({ ...defaultTemplateSources(), messaging: source });

      expect(compile).toThrow(TemplateCompileError);
      expect(compile).toThrow(
        expect.objectContaining({
          name: 'TemplateCompileError',
          template: 'messaging',
          file: 'messaging.vm',
          line,
          column,
          sourceLine,
        }),
      );
      const gutter = String(line).padStart(5);
      expect(compile).toThrow(
        `Cannot compile template messaging (messaging.vm), line ${line}, column ${column}: Expecting `,
      );
      expect(compile).toThrow(
        `${why}.\n${gutter} | ${sourceLine}\n${' '.repeat(gutter.length)} | ${' '.repeat(column - 1)}^\n` +
          'Expected Velocity Template Language; fix the template',
      );
    },
  );

  it('names the file of a template read from a folder', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-templates-'));
    try {
      for (const [name, source] of Object.entries(defaultTemplateSources()))
        fs.writeFileSync(path.join(folder, `${name}.vm`), source);
      fs.writeFileSync(path.join(folder, 'whatsapp-status.vm'), '{\n\t"channel": "whatsapp",\n\t#if($x\n}\n');

      const compile = () => compileTemplates(loadTemplateDirectory(folder));

      expect(compile).toThrow(
        expect.objectContaining({ file: path.join(folder, 'whatsapp-status.vm'), line: 4, column: 1 }),
      );
      expect(compile).toThrow(
        `Cannot compile template whatsapp-status (${path.join(folder, 'whatsapp-status.vm')}), line 4, column 1:`,
      );
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('keeps tabs under the caret, so it lines up with the source line', () => {
    const compile = () =>
      compileTemplates({ ...defaultTemplateSources(), ses: '{\n\t\t#if( $a == )\n#end\n}' });

    expect(compile).toThrow(`\n    2 | \t\t#if( $a == )\n      | \t\t${' '.repeat(11)}^\n`);
  });

  it('throws TemplateCompileError naming a template without source text', () => {
    const { whatsappStatus: _left, ...sources } = { ...defaultTemplateSources(), whatsappStatus: '' };
    const incomplete = { ...sources, [TemplateName.whatsappStatus]: undefined } as unknown as Parameters<
      typeof compileTemplates
    >[0];

    const compile = () => compileTemplates(incomplete);

    expect(compile).toThrow(
      'Cannot compile template whatsapp-status (whatsapp-status.vm): no source text given (got undefined).\nExpected Velocity Template Language;',
    );
  });
});
