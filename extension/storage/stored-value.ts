/**
 * A storage entry read through its zod schema: whatever an older version or a bug left in
 * storage, callers get a valid value or the fallback, never a half-parsed object.
 */

import { storage } from 'wxt/utils/storage';
import type { z } from 'zod';

type StorageKey = `local:${string}` | `session:${string}`;

export interface StoredValue<T> {
  get(): Promise<T>;
  set(value: T): Promise<void>;
  remove(): Promise<void>;
  watch(onChange: (value: T) => void): () => void;
}

export function storedValue<S extends z.ZodType>(
  key: StorageKey,
  schema: S,
  fallback: z.infer<S>,
): StoredValue<z.infer<S>> {
  const read = (raw: unknown): z.infer<S> => {
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : fallback;
  };
  return {
    get: async () => read(await storage.getItem(key)),
    set: (value) => storage.setItem(key, schema.parse(value)),
    remove: () => storage.removeItem(key),
    watch: (onChange) => storage.watch(key, (raw) => onChange(read(raw))),
  };
}
