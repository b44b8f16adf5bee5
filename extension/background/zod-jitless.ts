/**
 * The background's first import. zod compiles a fast parser for each object schema with
 * `new Function` wherever eval is allowed, and finds out by trying a `new Function("")`. The
 * extension's CSP (`script-src 'self'`, no 'unsafe-eval') never allows it: the compiled path can
 * never run, and the probe, although zod catches its throw, is reported as a CSP violation.
 * Jitless: no probe and no code built from strings, ever. zod reads the setting when an object
 * schema is created, so this runs before any schema module (it is imported first).
 */
import { z } from 'zod';

z.config({ jitless: true });
