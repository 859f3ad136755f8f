import * as path from 'node:path';
import { resolveLakeDirectory } from './lake-directory';

describe('resolveLakeDirectory', () => {
  it.each([
    ['the flag when given', 'flag-lake', { ENGAGEMENT_DB_LAKE: '/env/lake' }, path.resolve('flag-lake')],
    [
      'the environment when no flag is given',
      undefined,
      { ENGAGEMENT_DB_LAKE: '/env/lake' },
      path.resolve('/env/lake'),
    ],
    [
      'the environment when the flag is blank',
      '  ',
      { ENGAGEMENT_DB_LAKE: '/env/lake' },
      path.resolve('/env/lake'),
    ],
    ['./engagement-lake when neither is set', undefined, {}, path.resolve('engagement-lake')],
    [
      './engagement-lake when the environment is empty',
      undefined,
      { ENGAGEMENT_DB_LAKE: '' },
      path.resolve('engagement-lake'),
    ],
  ])('returns %s', (_name, flag, environment, expected) => {
    expect(resolveLakeDirectory(flag, environment)).toBe(expected);
  });
});
