import { compileTemplates } from './compile-templates';
import { TemplateCompileError } from './errors';
import { TemplateName, defaultTemplateSources } from './template-sources';

describe('compileTemplates', () => {
  it('compiles the default templates into one template per name', () => {
    const templates = compileTemplates(defaultTemplateSources());

    expect(Object.keys(templates).sort()).toEqual(Object.values(TemplateName).sort());
    expect(templates.ses.name).toBe('ses');
  });

  it.each([
    ['an unclosed #if condition', '{\n"a": 1,\n#if($x\n}', 4, "got 'MAP_END'"],
    ['an unclosed method call', '{\n  "a": $!{x.y(}\n}', 2, "got 'CONTENT'"],
  ])('throws TemplateCompileError with the line for %s', (_what, source, line, why) => {
    const compile = () => compileTemplates({ ...defaultTemplateSources(), messaging: source });

    expect(compile).toThrow(TemplateCompileError);
    expect(compile).toThrow(
      expect.objectContaining({ name: 'TemplateCompileError', template: 'messaging', line }),
    );
    expect(compile).toThrow(
      new RegExp(
        `^Cannot compile template messaging, line ${line}: Expecting .*${why}\\. Expected Velocity Template Language; fix the template`,
      ),
    );
  });

  it('throws TemplateCompileError naming a template without source text', () => {
    const { whatsappStatus: _left, ...sources } = { ...defaultTemplateSources(), whatsappStatus: '' };
    const incomplete = { ...sources, [TemplateName.whatsappStatus]: undefined } as unknown as Parameters<
      typeof compileTemplates
    >[0];

    const compile = () => compileTemplates(incomplete);

    expect(compile).toThrow(
      'Cannot compile template whatsapp-status: no source text given (got undefined). Expected Velocity Template Language;',
    );
  });
});
