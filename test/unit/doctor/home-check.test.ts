/** Link 2: the home that holds the pairing secret must be private to the user. */
import { chmod, rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { tellIn } from '../../../relay/doctor/doctor-text';
import { checkHome } from '../../../relay/doctor/home-check';
import { tempHome } from '../bridge/bridge-fixture';

const tell = tellIn('en');

describe.skipIf(process.platform === 'win32')('doctor: config home', () => {
  it('is fine when only its owner can read it', async () => {
    const home = await tempHome();
    await chmod(home, 0o700);
    expect(await checkHome(home, tell)).toEqual([
      { check: 'config home', status: 'ok', detail: `${home} (private)` },
    ]);
  });

  it.each(['750', '705', '777'])('is broken when others have any right (mode %s)', async (mode) => {
    const home = await tempHome();
    await chmod(home, Number.parseInt(mode, 8));
    const [finding] = await checkHome(home, tell);
    expect(finding).toMatchObject({
      status: 'broken',
      fix: `Run \`chmod 700 ${home}\` (and make sure you own it).`,
    });
  });

  it('only warns when it does not exist yet: the relay creates it', async () => {
    const home = await tempHome();
    await rm(home, { recursive: true });
    const [finding] = await checkHome(home, tellIn('fr'));
    expect(finding).toMatchObject({ status: 'warn', detail: `${home} n’existe pas encore` });
  });
});
