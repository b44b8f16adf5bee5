/**
 * The benchmarks' knobs from the environment (BENCH_CALLS, BENCH_PACED_RATE…): a value that is
 * not a positive number stops the run with its name, rather than running a row under a "NaN"
 * label or zero calls.
 */
export function positiveNumberFromEnv(
  name: string,
  fallback: number,
  options: { integer?: boolean } = {},
): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const integer = options.integer ?? true;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(
      `${name} must be a positive ${integer ? 'whole number' : 'number'}, not ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
