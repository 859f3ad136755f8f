import * as path from 'node:path';
import type { Result } from '@engagement-db/canonical-model';

/**
 * The characters a lake path may not hold. DuckDB reads `*`, `?` and `[` in a file path as a
 * pattern (a lake at `/data/lake*` would also read `/data/lake-old`), and `\` as a separator that
 * cannot be escaped; on Windows `\` is the separator itself and so is fine.
 */
export const lakePathPatternCharacters: readonly string[] =
  path.sep === '\\' ? ['*', '?', '['] : ['\\', '*', '?', '['];

/** A lake path that can be used (`value`, absolute) or the reason it cannot (`error`). */
export type LakePathCheck = Result<string, string>;

/**
 * Checks a lake path as every command that takes `--lake` does: an empty path is refused rather than
 * taken as "not given", and so is a path holding one of {@link lakePathPatternCharacters}. The
 * folder need not exist (a writer creates it). The messages are meant to be shown as they are.
 *
 * @example
 * checkLakePath('./engagement-lake') // { ok: true, value: '/home/me/engagement-lake' }
 * checkLakePath('lake[1]') // { ok: false, error: "the lake path /home/me/lake[1] contains '[', ..." }
 */
export function checkLakePath(lake: string): LakePathCheck {
  if (lake.trim() === '') {
    return { ok: false, error: 'the lake path is empty; give the lake folder, such as ./engagement-lake.' };
  }
  const absolute = path.resolve(lake);
  const found = lakePathPatternCharacters.find((character) => absolute.includes(character));
  if (found !== undefined) {
    return {
      ok: false,
      error:
        `the lake path ${absolute} contains '${found}', which DuckDB reads as part of a file pattern; ` +
        `use a lake folder whose path has none of ${lakePathPatternCharacters.join(' ')}`,
    };
  }
  return { ok: true, value: absolute };
}
