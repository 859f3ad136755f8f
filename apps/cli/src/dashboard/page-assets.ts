import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DashboardAssetsError } from './errors';

/** A file the dashboard serves, held in memory: its body, type and entity tag. */
export interface PageAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

/**
 * The files of the page, by the name they are served at under `/assets/`: the bundled script (the page and
 * its charts), its style sheet and the icon. Nothing else is ever read from the disk while serving, so no
 * request path can reach another file.
 */
const assetFiles = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
} as const;

/** The folder beside the bundled command where `build.mjs` writes the page's files. */
export const defaultAssetsDirectory = path.join(__dirname, 'dashboard');

/** The page's document and its files by name. */
export interface PageAssets {
  /** `/`: the one document. */
  readonly page: PageAsset;
  /** `/assets/<name>`. */
  readonly files: ReadonlyMap<string, PageAsset>;
}

/**
 * Reads the page's files from `directory` (by default the one beside the bundled command), once.
 *
 * @throws DashboardAssetsError when one is missing: the page is not built.
 * @example loadPageAssets().files.get('dashboard.js')?.body.length
 */
export function loadPageAssets(directory: string = defaultAssetsDirectory): PageAssets {
  const assets = new Map<string, PageAsset>();
  for (const [name, contentType] of Object.entries(assetFiles)) {
    const file = path.join(directory, name);
    let body: Buffer;
    try {
      body = fs.readFileSync(file);
    } catch (error) {
      throw new DashboardAssetsError(
        `the dashboard page is not built: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); ` +
          'build the command with `npx nx run cli:build`.',
        { cause: error },
      );
    }
    assets.set(name, { body, contentType, etag: etagOf(body) });
  }
  return { page: htmlAsset(), files: assets };
}

// The page is this one document; everything it shows comes from the script.
const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Messaging dashboard · engagement-db</title>
    <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/assets/dashboard.css" />
    <script src="/assets/dashboard.js" defer></script>
  </head>
  <body data-ready="false">
    <noscript>The dashboard needs JavaScript.</noscript>
  </body>
</html>
`;

function htmlAsset(): PageAsset {
  const body = Buffer.from(html);
  return { body, contentType: 'text/html; charset=utf-8', etag: etagOf(body) };
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}
