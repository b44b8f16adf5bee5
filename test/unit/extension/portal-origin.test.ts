import { describe, expect, it } from 'vitest';
import {
  isOnOrigin,
  needsRuntimePermission,
  normalizePortalOrigin,
  originMatchPattern,
  PRODUCTION_PORTAL_ORIGIN,
} from '../../../extension/config/portal-origin';

describe('portal origin setting', () => {
  it('keeps only scheme, host and port of what the patient typed', () => {
    expect(normalizePortalOrigin(' https://hospi-ai-v8rf.vercel.app/dashboard?x=1 ')).toBe(
      PRODUCTION_PORTAL_ORIGIN,
    );
    expect(normalizePortalOrigin('http://127.0.0.1:47600/login')).toBe('http://127.0.0.1:47600');
  });

  it('refuses plain HTTP anywhere but on this computer', () => {
    expect(normalizePortalOrigin('http://hospiai.example.fr')).toBeNull();
    expect(normalizePortalOrigin('http://localhost:3000')).toBe('http://localhost:3000');
  });

  it('refuses what is not a web address, and addresses with credentials', () => {
    expect(normalizePortalOrigin('javascript:alert(1)')).toBeNull();
    expect(normalizePortalOrigin('hospiai')).toBeNull();
    expect(normalizePortalOrigin('https://user:pw@hospiai.example.fr')).toBeNull();
  });

  it('asks for a run-time permission only for origins the manifest does not declare', () => {
    expect(needsRuntimePermission(PRODUCTION_PORTAL_ORIGIN)).toBe(false);
    expect(needsRuntimePermission('http://127.0.0.1:47600')).toBe(false);
    expect(needsRuntimePermission('https://staging.hospiai.example.fr')).toBe(true);
  });

  it('matches a page to the origin exactly, port included', () => {
    expect(isOnOrigin('http://127.0.0.1:47600/dashboard', 'http://127.0.0.1:47600')).toBe(true);
    expect(isOnOrigin('http://127.0.0.1:47601/dashboard', 'http://127.0.0.1:47600')).toBe(false);
    expect(isOnOrigin(undefined, 'http://127.0.0.1:47600')).toBe(false);
  });
});

describe('originMatchPattern', () => {
  it('keeps the port for Chrome, which honours it, and drops it for Firefox, which matches nothing with one', () => {
    expect(originMatchPattern('http://127.0.0.1:47600', false)).toBe('http://127.0.0.1:47600/*');
    expect(originMatchPattern('http://127.0.0.1:47600', true)).toBe('http://127.0.0.1/*');
    expect(originMatchPattern('https://staging.hospiai.example', true)).toBe(
      'https://staging.hospiai.example/*',
    );
  });
});
