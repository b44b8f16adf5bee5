/**
 * The remote mode's pages' one catalogue (relay/i18n/page-messages.ts): both languages say every
 * message with the same values, nothing is empty, every sentence is plain text (the pages
 * escape it), and what a sentence is built from is escaped on the page too.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_MESSAGES, type PageMessage } from '../../../relay/i18n/page-messages';
import { renderConsentPage, renderErrorPage } from '../../../relay/remote/oauth/consent-page';

const { en, fr } = PAGE_MESSAGES;
const entries = (lang: 'en' | 'fr') =>
  Object.entries(PAGE_MESSAGES[lang]) as [string, PageMessage][];
/** A message's text, each of its values a marker that must come out as given. */
const said = (message: PageMessage | undefined) => {
  if (typeof message !== 'function') return message ?? '';
  return message(...Array.from({ length: message.length }, (_, i) => `«value${i}»`));
};

describe('the remote pages’ catalogue', () => {
  it('has the same messages in English and French', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(en).length).toBeGreaterThan(40);
  });

  it('takes the same values in both languages, and says each of them', () => {
    for (const [key, message] of entries('en')) {
      const french = (fr as Record<string, PageMessage>)[key];
      expect(typeof french, key).toBe(typeof message);
      if (typeof message !== 'function' || typeof french !== 'function') continue;
      expect(french.length, key).toBe(message.length);
      for (let i = 0; i < message.length; i++) {
        expect(said(message), key).toContain(`«value${i}»`);
        expect(said(french), key).toContain(`«value${i}»`);
      }
    }
  });

  it('leaves no message empty and writes no HTML (the pages escape each sentence)', () => {
    for (const lang of ['en', 'fr'] as const) {
      for (const [key, message] of entries(lang)) {
        const text = said(message);
        expect(text.trim(), `${lang}.${key}`).not.toBe('');
        expect(text, `${lang}.${key}`).not.toMatch(/[<>&]/);
        expect(text, `${lang}.${key}`).not.toContain('undefined');
      }
    }
  });

  it('labels every scope the consent page offers, in the page’s language', () => {
    const page = renderConsentPage({
      lang: 'fr',
      client: {
        clientId: 'dcr_x',
        clientName: 'Claude',
        redirectUris: ['https://assistant.example/cb'],
        kind: 'registered',
        verifiedHost: null,
      },
      redirectUri: 'https://assistant.example/cb',
      scopes: ['read:data', 'book:appointments', 'write:data'],
      ticked: [],
      requestId: 'r1',
      portalUrl: 'https://portal.example',
      issuer: 'https://mcp.example',
    });
    expect(page).toContain(fr.consent_scope_read_data);
    expect(page).toContain(fr.consent_scope_book_appointments);
    expect(page).toContain(fr.consent_scope_write_data);
  });

  it('escapes what a sentence is built from where the page writes it', () => {
    const page = renderConsentPage({
      lang: 'en',
      client: {
        clientId: 'https://assistant.example/client.json',
        clientName: 'Claude',
        redirectUris: ['https://assistant.example/cb'],
        kind: 'metadata_document',
        verifiedHost: '<img src=x>',
      },
      redirectUri: 'https://assistant.example/cb',
      scopes: ['read:data'],
      ticked: ['read:data'],
      requestId: 'r1',
      portalUrl: 'https://portal.example/"><script>',
      issuer: 'https://mcp.example',
    });
    expect(page).toContain('Verified: its description is published by &lt;img src=x&gt;.');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('"><script>');
    const error = renderErrorPage('fr', en.problem_bad_token('<b>why</b>'));
    expect(error).toContain('&lt;b&gt;why&lt;/b&gt;');
    expect(error).toContain(fr.error_title);
  });
});
