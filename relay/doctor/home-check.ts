/** Link 2, config home: the directory that holds the pairing secret is private to the user. */
import { stat } from 'node:fs/promises';
import type { Finding } from './checks';
import type { Tell } from './doctor-text';

export async function checkHome(home: string, tell: Tell): Promise<Finding[]> {
  const check = tell.check('home');
  const info = await stat(home).catch(() => null);
  if (!info) {
    return [
      { check, status: 'warn', detail: tell('homeMissing', { home }), fix: tell('homeMissingFix') },
    ];
  }
  const unsafe =
    process.platform !== 'win32' && ((info.mode & 0o077) !== 0 || info.uid !== process.getuid?.());
  return unsafe
    ? [
        {
          check,
          status: 'broken',
          detail: tell('homeUnsafe', { home }),
          fix: tell('homeUnsafeFix', { home }),
        },
      ]
    : [{ check, status: 'ok', detail: tell('homeOk', { home }) }];
}
