/**
 * The portal selectors against the pages saved from the sandbox portal
 * (test/fixtures/portal-pages/, written by test/sandbox/save-fixtures.ts). linkedom (WXT's own
 * HTML parser) gives a standards DOM in Node.
 */
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import {
  readListedTokenIds,
  readNewTokenSecret,
  readPortalPage,
} from '../../../extension/portal/selectors';

const fixture = (name: string): Document =>
  parseHTML(
    readFileSync(new URL(`../../fixtures/portal-pages/${name}.html`, import.meta.url), 'utf8'),
  ).document as unknown as Document;

describe('portal page selectors (saved sandbox pages)', () => {
  it('reads the logged-in patient on the dashboard', () => {
    expect(readPortalPage(fixture('dashboard'))).toEqual({
      kind: 'dashboard',
      patientId: 'pat_8f3a21c4',
      patientName: 'Camille Durand',
    });
  });

  it('sees the login page as a logged-out portal page', () => {
    expect(readPortalPage(fixture('login'))).toEqual({
      kind: 'login',
      patientId: null,
      patientName: null,
    });
  });

  it('recognises the Tokens API page', () => {
    expect(readPortalPage(fixture('tokens'))?.kind).toBe('tokens');
  });

  it('finds the secret shown once after a manual generation, with its token id', () => {
    expect(readNewTokenSecret(fixture('tokens-with-new-token'))).toEqual({
      token: 'eyJhbGciOiJSUzI1NiJ9.eyJwbGFjZWhvbGRlciI6dHJ1ZX0.placeholder-signature',
      tokenId: 'tok_fixture000002',
    });
  });

  it('finds no secret on a Tokens API page that shows none', () => {
    expect(readNewTokenSecret(fixture('tokens'))).toBeNull();
  });

  it('lists the tokens of the Tokens API page by id', () => {
    expect(readListedTokenIds(fixture('tokens-with-new-token'))).toContain('tok_fixture000002');
  });

  it('ignores a page that is not a HospiAI portal page', () => {
    const { document } = parseHTML(
      '<html><body><main id="dashboard"><span id="patient-name">X</span></main></body></html>',
    );
    expect(readPortalPage(document as unknown as Document)).toBeNull();
  });
});
