import { describe, expect, it } from 'vitest';
import { TypedCodeTries } from '../../../extension/bridge/typed-code-tries';

describe('tries of a typed pairing code', () => {
  it('counts distinct wrong codes per relay code and stops checking after the fifth', () => {
    const tries = new TypedCodeTries();
    const heard: number[] = [];
    const guard = tries.guard((left) => heard.push(left));
    for (const code of ['AAAA-AAAA', 'BBBB-BBBB', 'CCCC-CCCC', 'DDDD-DDDD']) {
      expect(guard.admit('salt-1')).toBe(true);
      guard.wrong('salt-1', code);
    }
    expect(heard).toEqual([4, 3, 2, 1]);
    guard.wrong('salt-1', 'EEEE-EEEE');
    expect(guard.admit('salt-1')).toBe(false);
    // Another relay code (`hospiai-mcp pair` run again) starts with all its tries.
    expect(guard.admit('salt-2')).toBe(true);
    expect(tries.left('salt-2')).toBe(5);
  });

  it('counts the same typo once, even when two relays of one home present the same code', () => {
    const tries = new TypedCodeTries();
    const guard = tries.guard(() => {});
    guard.wrong('salt-1', 'AAAA-AAAA');
    guard.wrong('salt-1', 'AAAA-AAAA');
    expect(tries.left('salt-1')).toBe(4);
  });

  it('forgets the oldest relay codes rather than growing without bound', () => {
    const tries = new TypedCodeTries();
    const guard = tries.guard(() => {});
    for (let i = 0; i < 100; i++) guard.wrong(`salt-${i}`, 'AAAA-AAAA');
    expect(tries.left('salt-0')).toBe(5);
    expect(tries.left('salt-99')).toBe(4);
  });
});
