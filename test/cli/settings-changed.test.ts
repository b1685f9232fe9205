// `settings … --json` says `changed` only when the settings now differ: the same values set again change nothing,
// on the local record and on the sandbox's portal alike.
import { afterEach, describe, expect, it } from 'vitest';
import { cli, removeTempDirs, tempConfigDir } from '../helpers/cli.js';

afterEach(removeTempDirs);

describe('settings: changed', () => {
  it.each([[[]], [['--sandbox']]])('the same values twice: changed, then not (%j)', async (world) => {
    const configDir = tempConfigDir();
    const set = () => cli(['settings', '--auto-authorize', '--max', '50', ...world, '--json'], { configDir });
    const first = await set();
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ autoAuthorize: true, maxOrderTotal: '50.00', changed: true });
    const again = await set();
    expect(again.json()).toMatchObject({ autoAuthorize: true, maxOrderTotal: '50.00', changed: false });
    // $50 is the same maximum as 50
    expect((await cli(['settings', '--max', '$50.00', ...world, '--json'], { configDir })).json().changed).toBe(false);
  });
});
