import * as path from 'node:path';
import { quoteLiteral } from './lake-views';

/**
 * DuckDB options given when the database is created: no extension is installed or loaded on
 * demand (that would reach the network or a folder outside the lake), and nothing spills to a
 * temporary folder (DuckDB's default is `.tmp` in the working folder).
 */
export const sandboxInstanceOptions: Readonly<Record<string, string>> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  temp_directory: '',
};

/**
 * The statements that end the engine's setup: files are reachable only inside the lake folder
 * (DuckDB resolves `..` and symbolic links before it checks), nothing else outside (no ATTACH of a
 * file, no COPY, no INSTALL or LOAD), and the configuration is locked so no statement can undo it.
 * They come last: the views and macros are defined before, and nothing changes a setting after.
 */
export function sandboxSettings(lakeRealPath: string): string[] {
  return [
    `SET allowed_directories = [${quoteLiteral(withTrailingSeparator(lakeRealPath))}]`,
    'SET enable_external_access = false',
    'SET lock_configuration = true',
  ];
}

// DuckDB compares prefixes: without the separator, /data/lake would also allow /data/lake-old.
function withTrailingSeparator(folder: string): string {
  return folder.endsWith(path.sep) ? folder : `${folder}${path.sep}`;
}
