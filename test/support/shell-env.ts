/**
 * The environment a build gets from a shell, without what vitest adds to its processes: under
 * vitest's NODE_ENV=test, Vite (and so WXT) builds an unminified extension — twice the popup's
 * size, and not the build that ships.
 */
const VITEST_VARIABLES = /^(NODE_ENV|TEST|MODE|DEV|PROD|SSR|BASE_URL|VITEST.*)$/;

export function shellEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !VITEST_VARIABLES.test(name)),
  );
}
