import { type TSchema, Type } from "@sinclair/typebox";

/** Shared pieces of route schemas; they also shape the OpenAPI document. */

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: "Problem", description: "RFC 9457 problem details (application/problem+json)" },
);

/** A plain UUID. `format: "uuid"` alone also admits `urn:uuid:…`, which Postgres cannot cast. */
export const Uuid = Type.String({
  format: "uuid",
  pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
});

export const IdParams = Type.Object({ id: Uuid });

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const Email = Type.String({ format: "email", maxLength: 320 });
export const Name = Type.String({ minLength: 1, maxLength: 200 });

/** An error response, documented with its real media type. */
export const ProblemResponse = {
  description: "Problem details",
  content: { "application/problem+json": { schema: Type.Ref("Problem") } },
};

/** Error responses every authenticated route may give. */
export const problemResponses = {
  400: ProblemResponse,
  401: ProblemResponse,
  403: ProblemResponse,
  404: ProblemResponse,
};

export const NoContent = Type.Null({ description: "No content" });

/** `T` or `null`. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** Object options for request bodies: an unknown field is a 400 naming it. */
export const strict = { additionalProperties: false };

export const DateTime = Type.String({ format: "date-time" });

/** One of a fixed list of strings, as literals (so the OpenAPI document lists them). */
export const lit = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );
