/**
 * What the patient judges before saying yes, in the real popup (Chromium, the built extension,
 * the sandbox portal, relays over stdio whose AI client cannot elicit): which assistant asks, by
 * its name; the portal's details — the full date and time in the patient's language, doctor,
 * specialty, hospital, city, the reason quoted; the toolbar badge counting what waits; "Booked ✓"
 * once the portal answered; and a booking that needs one approval once reads are allowed for the
 * conversation. In a French browser: the popup in French before consent (a screenshot), then the
 * card and the receipt in French.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  clickPopupButton,
  consentInPopup,
  type ExtensionBrowser,
  loginToPortal,
  openPopup,
  pairInPopup,
  readPopupState,
  screenshotPopup,
} from '../support/browser';
import {
  connectedStory,
  type FreshStory,
  freshStory,
  PATIENT,
  resultText,
  type Scenario,
  waitForRelaysWithToken,
} from '../support/extension-scenario';
import type { StdioRelay } from '../support/stdio-relay';

const FRENCH_UI = '/usr/lib/chromium/locales/fr.pak';
/** Claude Desktop's id in MCP `initialize`: the popup calls it "Claude". */
const CLAUDE = 'claude-ai';

interface Doctor {
  id: string;
  name: string;
  specialty: string;
  hospital: string;
  city: string;
}

/** The toolbar badge's text, read in the extension's service worker. */
async function badgeText(browser: ExtensionBrowser): Promise<string> {
  const worker = await browser.serviceWorker();
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { action: { getBadgeText(details: object): Promise<string> } };
    };
    return chrome.action.getBadgeText({});
  });
}

/** A doctor (with the portal's details) and two free slots, found as an AI client would. */
async function doctorAndSlots(relay: StdioRelay) {
  const { doctors } = (await relay.call('find_doctors', {})).structuredContent as {
    doctors: Doctor[];
  };
  const doctor = doctors[0]!;
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const { slots } = (
    await relay.call('get_available_slots', { doctorId: doctor.id, date: from, days: 14 })
  ).structuredContent as { slots: Array<{ date: string; time: string }> };
  if (slots.length < 2) throw new Error('the sandbox has fewer than two free slots');
  return { doctor, slots };
}

/** How the patient's language writes a day and time in full (Intl, as any page would). */
function inFull(slot: { date: string; time: string }, locale: 'en-GB' | 'fr-FR'): string {
  const [y, m, d] = slot.date.split('-').map(Number);
  const [h, min] = slot.time.split(':').map(Number);
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(Date.UTC(y!, m! - 1, d!, h!, min!));
}

/** The card of the one pending request (waits for it). */
async function pendingCard(popup: Page) {
  const card = popup.locator('[data-confirmation]').first();
  await card.waitFor({ timeout: 15_000 });
  return card;
}

/** Records in the popup every confirmation card the patient is shown, from now on. */
async function countCardsShown(popup: Page): Promise<() => Promise<number>> {
  await popup.evaluate(() => {
    const seen = new Set<string>();
    const note = () => {
      for (const card of document.querySelectorAll<HTMLElement>('[data-confirmation]')) {
        seen.add(card.dataset.confirmation ?? '');
      }
    };
    note();
    new MutationObserver(note).observe(document.body, { childList: true, subtree: true });
    (globalThis as unknown as { cardsShown: Set<string> }).cardsShown = seen;
  });
  return () =>
    popup.evaluate(() => (globalThis as unknown as { cardsShown: Set<string> }).cardsShown.size);
}

/** Booking attempts that reached the portal since `since` requests (a test's start). */
const bookingsSent = (scenario: Scenario, since: number) =>
  scenario.portal.requests.slice(since).filter((request) => request.path === '/api/mcp/book');

/** Claude (no elicitation) connected, booking allowed, reads asked first (not allowed at consent). */
const BOOKING_STORY = {
  clients: [CLAUDE],
  choices: { extraScopes: ['book:appointments'], allowReads: false },
};

// The English tests continue one another on one install (connectedStory): Claude, which cannot
// elicit, booking allowed, reads asked first. In order: each read is asked and allowed for the
// conversation (Claude's relay keeps those grants to the end), so the bookings that follow ask
// only for themselves; a booking is approved and another refused; a slot is booked twice. Each test
// counts the portal's requests since it began and leaves nothing waiting; the first two hide
// their receipts, so that each finds only the receipts it makes.
describe('confirmation cards a person can judge', () => {
  const story = connectedStory(BOOKING_STORY);

  it('a read is asked in words; “Allow this for this conversation” covers that read only; then a booking needs one approval', async () => {
    const { scenario, relay, popup } = story;
    const read = relay.call('get_appointments', {});
    const readCard = await pendingCard(popup);
    expect(await readCard.locator('.headline').textContent()).toBe(
      'Claude wants to read your appointments.',
    );
    await expect.poll(() => badgeText(scenario.browser)).toBe('1');
    await clickPopupButton(popup, 'Allow this for this conversation');
    expect((await read).isError).toBeFalsy();
    await expect.poll(() => popup.locator('[data-confirmation]').count()).toBe(0);
    // Allowed for the conversation: asked no more — and the medical records are still asked.
    const again = await countCardsShown(popup);
    expect((await relay.call('get_appointments', {})).isError).toBeFalsy();
    expect(await again()).toBe(0);
    const records = relay.call('get_medical_records', {});
    expect(await (await pendingCard(popup)).locator('.headline').textContent()).toBe(
      'Claude wants to read your medical records.',
    );
    await clickPopupButton(popup, 'Allow once');
    expect((await records).isError).toBeFalsy();
    await expect.poll(() => popup.locator('[data-confirmation]').count()).toBe(0);

    // find a doctor → free slots: each read asked once, allowed for the conversation…
    const reads = doctorAndSlots(relay);
    for (const tool of ['find_doctors', 'get_available_slots']) {
      const card = await pendingCard(popup);
      const id = await card.getAttribute('data-confirmation');
      expect(await card.locator('.headline').textContent()).toBe(
        tool === 'find_doctors'
          ? 'Claude wants to search for doctors.'
          : 'Claude wants to look up free appointment times.',
      );
      await card.getByRole('button', { name: 'Allow this for this conversation' }).click();
      await expect.poll(() => popup.locator(`[data-confirmation="${id}"]`).count()).toBe(0);
    }
    await reads;
    // …so the next booking asks once: for the booking itself.
    const shown = await countCardsShown(popup);
    const { doctor, slots } = await doctorAndSlots(relay);
    expect(await shown()).toBe(0);
    const booked = relay.call('book_appointment', {
      doctorId: doctor.id,
      ...slots[0]!,
      reason: 'Contrôle annuel',
    });
    await (await pendingCard(popup)).getByRole('button', { name: 'Confirm' }).click();
    expect((await booked).isError, resultText(await booked)).toBeFalsy();
    const receipt = popup.locator('[data-receipt][data-outcome="done"]');
    await receipt.waitFor({ timeout: 10_000 });
    expect(await shown()).toBe(1);
    expect(await badgeText(scenario.browser)).toBe('');
    // Hidden, so that the next test finds only the receipt it makes.
    await receipt.getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => popup.locator('[data-receipt]').count()).toBe(0);
  });

  it('then a booking shows the portal’s details and who asks; the badge counts what waits; “Booked ✓” follows', async () => {
    const { scenario, relay, popup } = story;
    const since = scenario.portal.requests.length;
    const { doctor, slots } = await doctorAndSlots(relay);
    const [first, second] = slots as [(typeof slots)[0], (typeof slots)[0]];
    expect(await badgeText(scenario.browser)).toBe('');

    const approved = relay.call('book_appointment', {
      doctorId: doctor.id,
      ...first,
      reason: 'Suivi <b>tension</b>',
    });
    const card = await pendingCard(popup);
    await expect.poll(() => badgeText(scenario.browser)).toBe('1');
    const refused = relay.call('book_appointment', {
      doctorId: doctor.id,
      ...second,
      reason: 'Deuxième avis',
    });
    await expect.poll(() => popup.locator('[data-confirmation]').count()).toBe(2);
    await expect.poll(() => badgeText(scenario.browser)).toBe('2');

    expect(await card.locator('.headline').textContent()).toBe(
      'Claude asks to book this appointment:',
    );
    const detail = (label: string) =>
      card.locator(`[data-detail="${label}"] dd`).textContent({ timeout: 2_000 });
    expect(await detail('confirm_when')).toBe(inFull(first, 'en-GB'));
    expect(await detail('confirm_doctor')).toBe(`${doctor.name}, ${doctor.specialty}`);
    expect(await detail('confirm_where')).toBe(`${doctor.hospital}, ${doctor.city}`);
    // The model's words, quoted as text: the markup is shown, never rendered.
    expect(await detail('confirm_reason')).toBe(
      '“Suivi <b>tension</b>” (as your assistant wrote it)',
    );
    expect(await card.locator('b').count()).toBe(0);

    await card.getByRole('button', { name: 'Confirm' }).click();
    const result = await approved;
    expect(result.isError, resultText(result)).toBeFalsy();
    const { appointment } = result.structuredContent as {
      appointment: { date: string; time: string; location: { hospital: string } };
    };
    await expect.poll(() => badgeText(scenario.browser)).toBe('1');

    const receipt = popup.locator('[data-receipt][data-outcome="done"]');
    await receipt.waitFor({ timeout: 10_000 });
    expect(await receipt.locator('.headline').textContent()).toBe('Booked ✓');
    await screenshotPopup(popup, '10-booked');
    expect(await receipt.locator('[data-detail="confirm_when"] dd').textContent()).toBe(
      inFull(appointment, 'en-GB'),
    );
    expect(await receipt.locator('[data-detail="confirm_where"] dd').textContent()).toBe(
      `${appointment.location.hospital}, ${doctor.city}`,
    );
    expect(await receipt.locator('[data-detail="confirm_doctor"] dd').textContent()).toBe(
      `${doctor.name}, ${doctor.specialty}`,
    );

    await popup.locator('[data-confirmation]').getByRole('button', { name: 'Refuse' }).click();
    expect(resultText(await refused)).toMatch(/^NOT_CONFIRMED/);
    await expect.poll(() => badgeText(scenario.browser)).toBe('');
    expect(bookingsSent(scenario, since).map((request) => request.status)).toEqual([201]);
    // The booking is in the latest requests, and the receipt stays until hidden.
    await expect
      .poll(async () => (await readPopupState(popup)).audit.map((entry) => entry.tool))
      .toContain('book_appointment');
    await receipt.getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => popup.locator('[data-receipt]').count()).toBe(0);
  });

  it('then a booking the portal refuses after the patient’s yes says so plainly', async () => {
    const { relay, popup } = story;
    const { doctor, slots } = await doctorAndSlots(relay);
    const booking = { doctorId: doctor.id, ...slots[0]!, reason: 'Bilan' };
    const firstCall = relay.call('book_appointment', booking);
    await (await pendingCard(popup)).getByRole('button', { name: 'Confirm' }).click();
    expect((await firstCall).isError).toBeFalsy();
    // The answered card leaves before the next one is looked for (else `first()` may be it).
    await expect.poll(() => popup.locator('[data-confirmation]').count()).toBe(0);
    const again = relay.call('book_appointment', booking);
    await (await pendingCard(popup)).getByRole('button', { name: 'Confirm' }).click();
    expect(resultText(await again)).toMatch(/^SLOT_UNAVAILABLE/);
    const failed = popup.locator('[data-receipt][data-outcome="failed"]');
    await failed.waitFor({ timeout: 10_000 });
    expect(await failed.textContent()).toContain('Not booked');
    expect(await failed.textContent()).toContain('This time was taken meanwhile');
  });
});

// Debian ships Chromium's UI languages apart (chromium-l10n); without them the browser's
// language stays English whatever is asked, and so does the extension's.
//
// A French browser is another browser, with its own install. Its story, in order: the patient
// logs in, and the popup speaks French before consent (the first test begins on the fresh
// install); then they consent (booking allowed, reads asked) and pair, and a read and a booking
// are asked and answered in French.
describe.skipIf(!existsSync(FRENCH_UI))('a French browser', () => {
  const story = freshStory({ locale: 'fr-FR', clients: [CLAUDE] }) as FreshStory & {
    popup?: Page;
  };

  it('speaks French to a French browser', async () => {
    const { scenario } = story;
    await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
    const popup = await openPopup(scenario.browser);
    story.popup = popup;
    await expect.poll(async () => (await readPopupState(popup)).login).toBe('logged_in');
    expect(await popup.locator('h1').textContent()).toBe('HospiAI × assistant IA');
    expect(await popup.locator('[data-login]').textContent()).toContain(
      'Connecté(e) en tant que Camille Durand',
    );
    // The checklist, its one next action and the Details fold, in French.
    const steps = popup.locator('[data-section="checklist"] li');
    expect(await steps.allTextContents()).toEqual([
      expect.stringContaining('Connectez-vous à HospiAI — fait'),
      expect.stringContaining('Autorisez votre assistant — maintenant'),
      expect.stringContaining('Connectez votre assistant — à faire'),
    ]);
    expect(await popup.locator('button.primary:visible').allInnerTexts()).toEqual(['Autoriser']);
    expect(await popup.locator('details[data-section="details"] > summary').textContent()).toBe(
      'Détails',
    );
    await screenshotPopup(popup, '06-french-consent-and-pairing');
  });

  it('then speaks French on the card and the receipt', async () => {
    const { scenario, relay, popup } = story;
    if (!popup) throw new Error('no popup: the first test did not open it');
    await consentInPopup(scenario.browser, BOOKING_STORY.choices);
    const notice = await pairInPopup(popup, await scenario.pairingCode());
    expect(notice.key).toBe('pair_done');
    await waitForRelaysWithToken(popup, 1);

    const read = relay.call('find_doctors', {});
    expect(await (await pendingCard(popup)).locator('.headline').textContent()).toBe(
      'Claude souhaite chercher des médecins.',
    );
    await clickPopupButton(popup, 'Autoriser ceci pour cette conversation');
    expect((await read).isError).toBeFalsy();
    await expect.poll(() => popup.locator('[data-confirmation]').count()).toBe(0);

    // The free slots are another read: asked once too.
    const reads = doctorAndSlots(relay);
    await (await pendingCard(popup)).getByRole('button', { name: 'Autoriser cette fois' }).click();
    const { doctor, slots } = await reads;
    const booked = relay.call('book_appointment', {
      doctorId: doctor.id,
      ...slots[0]!,
      reason: 'Consultation de suivi',
    });
    const card = await pendingCard(popup);
    expect(await card.locator('.headline').textContent()).toBe(
      'Claude demande à prendre ce rendez-vous :',
    );
    const text = await card.textContent();
    expect(text).toContain(`Quand${inFull(slots[0]!, 'fr-FR')}`);
    expect(inFull(slots[0]!, 'fr-FR')).toMatch(/^[a-z]+ \d{1,2} [a-zéû]+ \d{4} à \d{2}:\d{2}$/);
    expect(text).toContain(`Où${doctor.hospital}, ${doctor.city}`);
    expect(text).toContain('Motif“Consultation de suivi” (tel que votre assistant l’a écrit)');
    await card.getByRole('button', { name: 'Confirmer' }).click();
    expect((await booked).isError).toBeFalsy();
    const receipt = popup.locator('[data-receipt][data-outcome="done"]');
    await receipt.waitFor({ timeout: 10_000 });
    expect(await receipt.locator('.headline').textContent()).toBe('Rendez-vous pris ✓');
  });
});
