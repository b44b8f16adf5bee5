/** zod parsing that fails the documented way: 422 `validation_error` listing the fields. */
import type { z } from 'zod';
import { validationError } from './errors';

export function parseOr422<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(
    result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || 'body',
      message: issue.message,
    })),
  );
}
