import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultTemplateSources } from '@engagement-db/mapper';
import { CliError } from './cli-error';
import { accountIdOf, defaultMappingWorkers, lakeOf, mapperOf, tableOf } from './shared-options';

describe('tableOf', () => {
  it.each([
    [{}, 'events'],
    [{ table: 'conversations' }, 'conversations'],
    [{ stream: 'conversations' }, 'conversations'],
    [{ table: 'events', stream: 'conversations' }, 'events'],
  ])('takes the table of %p', (options, table) => {
    expect(tableOf(options)).toBe(table);
  });

  it.each([
    [{ table: 'clicks' }, '--table is "clicks", expected events or conversations.'],
    [{ stream: 'chats' }, '--stream is "chats", expected events or conversations.'],
  ])('refuses %p with a CliError', (options, message) => {
    expect(() => tableOf(options)).toThrow(new CliError(message));
  });
});

describe('accountIdOf and mapperOf', () => {
  const sms = JSON.stringify({
    eventType: 'TEXT_DELIVERED',
    eventTimestamp: 1741966205377,
    messageId: 'm-1',
  });

  it.each([
    [{ accountId: '111' }, { AWS_ACCOUNT_ID: '222' }, '111'],
    [{}, { AWS_ACCOUNT_ID: '222' }, '222'],
    [{}, { AWS_ACCOUNT_ID: '' }, undefined],
  ])('take the account id of %p with the environment %p', (options, env, accountId) => {
    const mapped = mapperOf(options, env).map('events', sms);

    expect(accountIdOf(options, env)).toBe(accountId);
    expect(mapped).toMatchObject({ ok: true, value: [{ accountId: accountId ?? null }] });
  });

  it('says once which templates of the folder are interpreted rather than compiled, and why', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-templates-'));
    try {
      for (const [name, source] of Object.entries(defaultTemplateSources()))
        fs.writeFileSync(path.join(folder, `${name}.vm`), source);
      fs.writeFileSync(
        path.join(folder, 'messaging.vm'),
        `#macro(twice $v)$v$v#end\n${defaultTemplateSources().messaging}`,
      );
      let stderr = '';

      const mapped = mapperOf({ templates: folder }, {}, { write: (text: string) => (stderr += text) }).map(
        'events',
        sms,
      );

      expect(stderr).toBe(
        `engagement-db: template messaging (${path.join(path.resolve(folder), 'messaging.vm')}) is interpreted, not compiled: #macro (line 1, column 1)\n`,
      );
      expect(mapped).toMatchObject({ ok: true, value: [{ channel: 'text' }] });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a templates folder without templates with a CliError naming the folder', () => {
    const folder = path.join(__dirname, 'no-such-templates');

    expect(() => mapperOf({ templates: folder }, {})).toThrow(
      expect.objectContaining({
        name: 'CliError',
        message: expect.stringMatching(`^--templates ${folder}: Cannot load template`),
      }),
    );
  });
});

describe('lakeOf', () => {
  it('takes --lake, then ENGAGEMENT_DB_LAKE of the given environment, then ./engagement-lake', () => {
    expect(lakeOf({ lake: 'a' }, { ENGAGEMENT_DB_LAKE: 'b' })).toBe(path.resolve('a'));
    expect(lakeOf({}, { ENGAGEMENT_DB_LAKE: 'b' })).toBe(path.resolve('b'));
    expect(lakeOf({}, {})).toBe(path.resolve('engagement-lake'));
  });
});

describe('defaultMappingWorkers', () => {
  it.each([
    [0, 1],
    [2, 2],
    [2, 16],
  ])('gives %i mapping workers when there are %i cores', (workers, cores) => {
    expect(defaultMappingWorkers(cores)).toBe(workers);
  });
});
