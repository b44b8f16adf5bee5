// Types of card-html.mjs for the TypeScript that imports it (test/vitest.config.ts).
export const CARD_MODULE: 'virtual:hospiai-confirmation-card';
export function buildConfirmationCardHtml(options?: { plugins?: unknown[] }): Promise<string>;
export function confirmationCardModule(options?: { plugins?: unknown[] }): {
  name: string;
  setup(build: unknown): void;
};
