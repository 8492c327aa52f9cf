import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

const common: Options = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false };

type ValidatorFactory = (
  externalSchemas: Record<string, unknown> | undefined,
) => FastifySchemaCompiler<unknown>;

/**
 * Two validators. Bodies are JSON and must already have the right types: `"name": 5` is an
 * error naming /name, not the string "5". Query strings and path params are text by nature
 * and are coerced (`?limit=20` → 20). Installed as a factory so plugin contexts that add
 * shared schemas get the same behaviour.
 */
export const buildValidator: ValidatorFactory = (externalSchemas) => {
  const bodyAjv = addFormats.default(new Ajv({ ...common, coerceTypes: false }));
  const textAjv = addFormats.default(new Ajv({ ...common, coerceTypes: "array" }));
  for (const schema of Object.values(externalSchemas ?? {})) {
    bodyAjv.addSchema(schema as object);
    textAjv.addSchema(schema as object);
  }
  return ({ schema, httpPart }) => (httpPart === "body" ? bodyAjv : textAjv).compile(schema as object);
};
