/**
 * Checks a client's elicitation answer against the schema the relay asked with, using zod (which
 * the relay loads anyway) instead of the SDK's default Ajv: Ajv is the largest module the relay
 * would otherwise load at start-up, for two tiny flat schemas.
 */
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/sdk/validation/types.js';
import { z } from 'zod';

export const zodJsonSchemaValidator: jsonSchemaValidator = {
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const parser = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    return (input) => {
      const parsed = parser.safeParse(input);
      return parsed.success
        ? { valid: true, data: parsed.data as T, errorMessage: undefined }
        : {
            valid: false,
            data: undefined,
            errorMessage: parsed.error.issues[0]?.message ?? 'invalid',
          };
    };
  },
};
