/**
 * The SDK client's own output-schema validator (Ajv) for the test harness's MCP clients, with
 * each distinct schema compiled once per test process. A client compiles every tool's output
 * schema when it lists the tools; every relay a test starts lists the same tools, and compiling
 * them all again was ~0.1 s of CPU per client here (~5 s per e2e run). Every result is still
 * checked, by the same validator. (The interop tests' client libraries keep their defaults.)
 */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/sdk/validation/types.js';

const ajv = new AjvJsonSchemaValidator();
const compiled = new Map<string, JsonSchemaValidator<unknown>>();

export const sharedSchemaValidator: jsonSchemaValidator = {
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    const key = JSON.stringify(schema);
    let validator = compiled.get(key);
    if (!validator) {
      validator = ajv.getValidator<unknown>(schema);
      compiled.set(key, validator);
    }
    return validator as JsonSchemaValidator<T>;
  },
};
