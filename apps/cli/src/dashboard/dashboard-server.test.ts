import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { engagementDashboard } from '@engagement-db/dashboards';
import { type QueryEngine, openQueryEngine } from '@engagement-db/sql';
import { comparable, fillLake, rowsOfVisual, tempFolder } from '../../test/dashboard-lake';
import { type DashboardServer, requestBodyLimitBytes, startDashboardServer } from './dashboard-server';

const appRoot = path.join(__dirname, '..', '..');
const assetsDirectory = path.join(appRoot, 'dist', 'dashboard');

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One request with Node's own client, so that every header (Host included) is as the test says. */
function request(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const sent = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        // A connection of its own: a pooled one the server is closing would fail the next request.
        agent: false,
        // A Host of '' sends none, as an HTTP/1.0 client may.
        setHost: options.headers?.['host'] === undefined,
        headers: Object.fromEntries(
          Object.entries(options.headers ?? {}).filter(([, value]) => value !== ''),
        ),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    sent.on('error', reject);
    sent.end(options.body);
  });
}

function postFilters(url: string, apiPath: string, filters: unknown, headers: Record<string, string> = {}) {
  return request(url, {
    method: 'POST',
    path: apiPath,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ filters }),
  });
}

describe('startDashboardServer', () => {
  let lake: string;
  let engine: QueryEngine;
  let server: DashboardServer;

  beforeAll(async () => {
    execFileSync(process.execPath, ['build.mjs'], { cwd: appRoot, stdio: 'pipe' });
    lake = tempFolder('dashboard-server');
    await fillLake(lake, 3000);
    engine = await openQueryEngine({ lake });
    server = await startDashboardServer({ lake, dashboard: engagementDashboard, port: 0, assetsDirectory });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    engine?.close();
    fs.rmSync(lake, { recursive: true, force: true });
  });

  describe('the page', () => {
    it('serves the page with a content security policy that allows nothing inline and nothing from elsewhere', async () => {
      const page = await request(server.url, { path: '/?sheet=sms' });

      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['content-security-policy']).not.toContain('unsafe');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.text).toContain('<script src="/assets/dashboard.js" defer></script>');
      expect(page.text).not.toMatch(/<script>|<style|style=/);
    });

    it.each([
      ['dashboard.js', 'text/javascript; charset=utf-8'],
      ['dashboard.css', 'text/css; charset=utf-8'],
      ['favicon.svg', 'image/svg+xml'],
    ])('serves the built %s from memory, with its entity tag', async (name, type) => {
      const asset = await request(server.url, { path: `/assets/${name}` });
      const again = await request(server.url, {
        path: `/assets/${name}`,
        headers: { 'if-none-match': String(asset.headers.etag) },
      });

      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toBe(type);
      expect(asset.text).toBe(fs.readFileSync(path.join(assetsDirectory, name), 'utf8'));
      expect(again.status).toBe(304);
    });

    it.each([
      '/assets/../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/engagement-db.js',
      '/assets/dashboard.js.map',
      '/assets/',
      '/../../../../etc/passwd',
      '/package.json',
      '//etc/passwd',
      '/api/sheets',
    ])('answers %s with 404 JSON and no file', async (requested) => {
      const answer = await request(server.url, { path: requested });

      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.json().error.kind).toBe('not-found');
      expect(answer.text).not.toContain('root:');
    });
  });

  describe('who may ask', () => {
    it.each(['evil.example', 'evil.example:80', '127.0.0.1:1', 'localhost.evil.example', ''])(
      'refuses the Host %s with 403 (a page rebinding its own name to 127.0.0.1)',
      async (host) => {
        const answer = await request(server.url, { path: '/api/lake', headers: { host } });

        expect(answer.status).toBe(403);
        expect(answer.json().error).toEqual({
          kind: 'wrong-host',
          message: expect.stringContaining(server.url),
        });
      },
    );

    it('answers the Host names of loopback: localhost and 127.0.0.1 with the port', async () => {
      const port = new URL(server.url).port;
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
        expect((await request(server.url, { path: '/api/lake', headers: { host } })).status).toBe(200);
      }
    });

    it('refuses a post from another origin, and a body that is not JSON by its type', async () => {
      const crossOrigin = await postFilters(
        server.url,
        '/api/sheets/email',
        {},
        { origin: 'https://evil.example' },
      );
      const textPlain = await request(server.url, {
        method: 'POST',
        path: '/api/sheets/email',
        headers: { 'content-type': 'text/plain' },
        body: '{"filters":{}}',
      });

      expect(crossOrigin.status).toBe(403);
      expect(crossOrigin.json().error.kind).toBe('cross-origin');
      expect(textPlain.status).toBe(415);
      expect(textPlain.json().error.kind).toBe('unsupported-media-type');
    });

    it.each([
      ['GET', '/api/sheets/email', 'POST'],
      ['DELETE', '/api/sheets/email/visuals/delivered', 'POST'],
      ['POST', '/api/lake', 'GET'],
      ['PUT', '/', 'GET, HEAD'],
      ['POST', '/api/sheets/email/filters/campaign/options', 'GET'],
    ])('answers %s %s with 405 and the methods allowed', async (method, requested, allowed) => {
      const answer = await request(server.url, {
        method,
        path: requested,
        body: method === 'GET' ? undefined : '{}',
      });

      expect(answer.status).toBe(405);
      expect(answer.headers['allow']).toBe(allowed);
    });
  });

  describe('the data', () => {
    it('says what the lake holds: its version, its ingests and its rows', async () => {
      const status = (await request(server.url, { path: '/api/lake' })).json();
      const counted = await engine.query(
        'SELECT (SELECT count(*) FROM "engagementdb-events-table") AS "events", (SELECT count(*) FROM "engagementdb-conversations-table") AS "conversations"',
      );

      expect(status).toEqual({
        lake,
        version: expect.stringMatching(/^[0-9a-f]{16}$/),
        ingests: 2,
        state: 'ready',
        rows: counted.ok ? counted.value.rows[0] : 'the count failed',
      });
    });

    it.each(engagementDashboard.sheets.map((sheet) => sheet.id))(
      'answers every KPI, chart and table of the %s sheet with the rows its own query gives, in its order',
      async (sheetId) => {
        const sheet = engagementDashboard.sheets.find((s) => s.id === sheetId)!;
        const answer = await postFilters(server.url, `/api/sheets/${sheetId}`, {});
        const body = answer.json();

        expect(answer.status).toBe(200);
        expect(answer.headers['cache-control']).toBe('no-store');
        for (const visual of [...sheet.kpis, ...sheet.visuals]) {
          expect([visual.id, comparable(body.visuals[visual.id].rows)]).toEqual([
            visual.id,
            comparable(await rowsOfVisual(engine, sheetId, visual.id)),
          ]);
        }
        expect(Object.keys(body.filters)).toEqual(sheet.filters.map((f) => f.id));
      },
      // Every visual's own query, one by one: some twenty statements.
      120_000,
    );

    it('answers one visual under a filter with the rows of its query under that filter', async () => {
      const filters = {
        date: { from: '2025-03-03', to: '2025-03-06' },
        country: ['US', 'MX'],
        carrier: ['T-Mobile USA'],
      };

      const answer = await postFilters(server.url, '/api/sheets/sms/visuals/success-rate', filters);

      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({
        version: expect.any(String),
        rows: comparable(await rowsOfVisual(engine, 'sms', 'success-rate', filters)).map((row) => ({
          'success-rate': expect.closeTo(row['success-rate'] as number, 9),
        })),
        unappliedFilters: ['carrier'],
      });
    });

    it('lists what a filter offers from the lake', async () => {
      const countries = await request(server.url, { path: '/api/sheets/sms/filters/country/options' });
      const dates = await request(server.url, { path: '/api/sheets/sms/filters/date/options' });
      const inLake = await engine.query(
        'SELECT DISTINCT iso_country_code AS value FROM sms_conversion_rates_view WHERE iso_country_code IS NOT NULL ORDER BY 1',
      );

      expect(countries.json().rows).toEqual(inLake.ok ? inLake.value.rows : 'the query failed');
      expect(dates.json().rows).toEqual([{ from: '2025-03-01', to: '2025-03-14' }]);
    });

    it.each([
      ['a quote and a comment', ["x' OR '1'='1' --"]],
      ['a statement', ['"; DROP VIEW sms_message_status; --']],
      ['placeholders and a file', ['?', "') UNION SELECT * FROM read_text('/etc/passwd') --"]],
      ['control characters', ['\u0000\n\r\t', '\\']],
    ])('binds %s in a filter value as text: nothing matches, nothing runs', async (_, values) => {
      const answer = await postFilters(server.url, '/api/sheets/sms', {
        country: values,
        'sending-number': values,
      });
      const messages = answer.json().visuals['messages'].rows;
      const stillThere = await rowsOfVisual(engine, 'sms', 'messages');

      expect(answer.status).toBe(200);
      expect(messages).toEqual(
        await rowsOfVisual(engine, 'sms', 'messages', { country: values, 'sending-number': values }),
      );
      expect(messages).toEqual([{ messages: null }]);
      expect(stillThere[0]['messages']).toBeGreaterThan(0);
    });
  });

  describe('what it refuses', () => {
    it.each([
      ['/api/sheets/fax', 404, 'unknown-sheet'],
      ['/api/sheets/email/visuals/delivery-ratio', 404, 'unknown-visual'],
      ['/api/sheets/%ZZ/visuals/x', 404, 'unknown-sheet'],
      ['/api/sheets/__proto__', 404, 'unknown-sheet'],
      ['/api/sheets/email/visuals/constructor', 404, 'unknown-visual'],
    ])('answers %s with %i %s', async (requested, status, kind) => {
      const answer = await postFilters(server.url, requested, {});

      expect(answer.status).toBe(status);
      expect(answer.json().error).toEqual({ kind, message: expect.any(String) });
    });

    it.each([
      ['an unknown filter', { price: ['1'] }, 'unknown-filter', '$.price'],
      ['a day that is not one', { date: { from: '2025-02-30' } }, 'bad-filter-value', '$.date.from'],
      ['SQL as a day', { date: { to: "2025-01-01' OR 1=1" } }, 'bad-filter-value', '$.date.to'],
      ['a range backwards', { date: { from: '2025-03-09', to: '2025-03-01' } }, 'bad-filter-value', '$.date'],
      ['values that are not text', { country: [1, 2] }, 'bad-filter-value', '$.country[0]'],
      [
        'too many values',
        { country: Array.from({ length: 1001 }, (_, i) => `C${i}`) },
        'bad-filter-value',
        '$.country',
      ],
    ])('answers %s with 400 and where it is', async (_, filters, kind, where) => {
      const answer = await postFilters(server.url, '/api/sheets/sms', filters);

      expect(answer.status).toBe(400);
      expect(answer.json().error).toEqual({ kind, message: expect.any(String), path: where });
    });

    it.each([
      ['not JSON', '{"filters":'],
      ['not an object', '[1,2]'],
      ['SQL', '{"sql":"SELECT * FROM read_text(\'/etc/passwd\')"}'],
    ])('answers a body that is %s with 400', async (_, body) => {
      const answer = await request(server.url, {
        method: 'POST',
        path: '/api/sheets/email',
        headers: { 'content-type': 'application/json' },
        body,
      });

      expect(answer.status).toBe(400);
      expect(answer.json().error.kind).toBe('bad-request');
    });

    it('refuses a body over the limit by its length, and a chunked one while it streams, with 413', async () => {
      const huge = Buffer.alloc(requestBodyLimitBytes + 1, 'a');
      const declared = await request(server.url, {
        method: 'POST',
        path: '/api/sheets/email',
        headers: { 'content-type': 'application/json', 'content-length': String(huge.length) },
        body: huge,
      });
      const chunked = await request(server.url, {
        method: 'POST',
        path: '/api/sheets/email',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: Buffer.concat([Buffer.from('{"filters":{"campaign":["'), huge, Buffer.from('"]}}')]),
      });

      expect([declared.status, declared.json().error.kind]).toEqual([413, 'too-large']);
      expect([chunked.status, chunked.json().error.kind]).toEqual([413, 'too-large']);
      expect((await request(server.url, { path: '/api/lake' })).status).toBe(200);
    });
  });

  describe('as the lake changes', () => {
    it('shows a lake that does not exist yet as missing, then its data once it is filled, without a restart', async () => {
      const parent = tempFolder('dashboard-later');
      const later = path.join(parent, 'lake');
      const watching = await startDashboardServer({
        lake: later,
        dashboard: engagementDashboard,
        port: 0,
        assetsDirectory,
      });
      try {
        const before = (await request(watching.url, { path: '/api/lake' })).json();
        const sheetBefore = await postFilters(watching.url, '/api/sheets/voice', {});
        await fillLake(later, 400);
        await new Promise((resolve) => setTimeout(resolve, 300)); // the version is read at most every 250 ms
        const after = (await request(watching.url, { path: '/api/lake' })).json();
        const sheetAfter = (await postFilters(watching.url, '/api/sheets/voice', {})).json();

        expect(before).toEqual({
          lake: later,
          version: 'none',
          ingests: 0,
          state: 'missing',
          message: expect.stringContaining('no lake'),
        });
        expect([sheetBefore.status, sheetBefore.json().error.kind]).toEqual([503, 'no-lake']);
        expect(after).toMatchObject({
          version: expect.stringMatching(/^[0-9a-f]{16}$/),
          ingests: 2,
          state: 'ready',
        });
        expect(sheetAfter.visuals['calls'].rows[0]['calls']).toBeGreaterThan(0);
      } finally {
        await watching.close();
        fs.rmSync(parent, { recursive: true, force: true });
      }
    }, 60_000);

    it('shows an empty lake as empty, and a lake that is a file as broken, with the reason', async () => {
      const empty = tempFolder('dashboard-empty');
      const file = path.join(empty, 'not-a-lake');
      fs.writeFileSync(file, 'text');
      const servers = await Promise.all(
        [empty, file].map((at) =>
          startDashboardServer({ lake: at, dashboard: engagementDashboard, port: 0, assetsDirectory }),
        ),
      );
      try {
        const [emptyStatus, fileStatus] = await Promise.all(
          servers.map(async (each) => (await request(each.url, { path: '/api/lake' })).json()),
        );

        expect(emptyStatus).toMatchObject({ state: 'empty', rows: { events: 0, conversations: 0 } });
        expect(fileStatus).toMatchObject({
          state: 'broken',
          message: expect.stringContaining('it is a file'),
        });
      } finally {
        await Promise.all(servers.map((each) => each.close()));
        fs.rmSync(empty, { recursive: true, force: true });
      }
    });

    it('gives a new version and new numbers once another ingest commits', async () => {
      const before = (await request(server.url, { path: '/api/lake' })).json();
      const sheetBefore = (await postFilters(server.url, '/api/sheets/email', {})).json();

      await fillLake(lake, 500, new Date('2025-03-16T12:00:00Z'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = (await request(server.url, { path: '/api/lake' })).json();
      const sheetAfter = (await postFilters(server.url, '/api/sheets/email', {})).json();

      expect(after.version).not.toBe(before.version);
      expect(after.ingests).toBe(before.ingests + 2);
      expect(sheetAfter.version).toBe(after.version);
      expect(sheetAfter.visuals['emails-sent'].rows).toEqual(
        await rowsOfVisual(engine, 'email', 'emails-sent'),
      );
      expect(sheetAfter.visuals['emails-sent'].rows[0]['emails-sent']).toBeGreaterThan(
        sheetBefore.visuals['emails-sent'].rows[0]['emails-sent'],
      );
    }, 60_000);
  });
});
