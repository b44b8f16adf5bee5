/**
 * Debian's Chromium with the built extension, driven like a patient would: the fixture
 * (chromium-fixture.ts) and the page objects of the options page, the portal and the popup, and
 * the patient's whole story. One import for the e2e tests and the `npm start` demo.
 */
export * from './chromium-fixture';
export * from './options-page';
export * from './patient-flow';
export * from './popup-page';
export * from './portal-page';
