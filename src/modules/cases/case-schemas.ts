import { type TSchema, Type } from "@sinclair/typebox";
import { Uuid } from "../../http/schemas.ts";

/** Route schemas of the cases module; they also shape the OpenAPI document. */

export { Uuid };
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const DateTime = Type.String({ format: "date-time" });
/** Bodies and queries are strict: a misspelt field is a 400 naming it, not a change silently not made. */
export const strict = { additionalProperties: false };

export const Priority = Type.Union(
  [Type.Literal("low"), Type.Literal("normal"), Type.Literal("high"), Type.Literal("urgent")],
  { description: "low, normal (default), high, urgent" },
);
export const Channel = Type.Union(
  [
    Type.Literal("email"),
    Type.Literal("portal"),
    Type.Literal("phone"),
    Type.Literal("web"),
    Type.Literal("api"),
  ],
  { description: "Where the case came from (default api)" },
);
export const StatusCategory = Type.Union([
  Type.Literal("open"),
  Type.Literal("paused"),
  Type.Literal("resolved"),
]);
export const StatusKey = Type.String({
  pattern: "^[a-z][a-z0-9_]{1,39}$",
  description: "new, open, waiting_on_customer, on_hold, resolved, closed, or a custom status",
});
export const Subject = Type.String({ minLength: 1, maxLength: 500 });
export const Description = Type.String({ maxLength: 100_000 });
export const Product = Type.String({ maxLength: 200, description: "Free text: a product name or code" });
export const Category = Type.String({ maxLength: 100 });
export const Tag = Type.String({
  minLength: 1,
  maxLength: 50,
  pattern: "^[^,\\u0000-\\u001f]+$",
  description: "Stored trimmed and in lower case; no commas",
});
export const Tags = Type.Array(Tag, { maxItems: 50 });
export const MessageKind = Type.Union(
  [Type.Literal("reply"), Type.Literal("note"), Type.Literal("customer")],
  {
    description: "reply: to the customer; note: internal; customer: from the customer",
  },
);
export const MessageBody = Type.String({ minLength: 1, maxLength: 100_000 });

export const CaseSchema = Type.Object(
  {
    id: Type.String(),
    number: Type.String({ description: "Human-readable, e.g. CS-001234" }),
    subject: Type.String(),
    description: Nullable(Type.String()),
    status: Type.String(),
    statusCategory: StatusCategory,
    priority: Priority,
    channel: Channel,
    product: Nullable(Type.String()),
    category: Nullable(Type.String()),
    accountId: Nullable(Type.String()),
    contactId: Nullable(Type.String()),
    ownerId: Nullable(Type.String()),
    teamId: Nullable(Type.String()),
    queueId: Nullable(Type.String()),
    tags: Type.Array(Type.String(), { description: "Empty for portal contacts: tags are internal" }),
    receivedAt: DateTime,
    createdAt: DateTime,
    updatedAt: DateTime,
    resolvedAt: Nullable(DateTime),
    closedAt: Nullable(DateTime),
    reopenCount: Type.Integer(),
    parentId: Nullable(Type.String()),
    mergedIntoId: Nullable(Type.String()),
    relatedCaseId: Nullable(Type.String({ description: "The earlier case this one follows up" })),
    sla: Type.Array(
      Type.Object({
        kpi: Type.Union([
          Type.Literal("firstResponse"),
          Type.Literal("nextResponse"),
          Type.Literal("resolution"),
        ]),
        dueAt: DateTime,
        warningAt: Nullable(DateTime),
        status: Type.Union([
          Type.Literal("running"),
          Type.Literal("paused"),
          Type.Literal("warning"),
          Type.Literal("met"),
          Type.Literal("breached"),
        ]),
        targetMinutes: Type.Number({ description: "The target in business minutes" }),
        startedAt: DateTime,
        metAt: Nullable(DateTime),
        breachedAt: Nullable(DateTime),
        pausedAt: Nullable(DateTime),
        remainingMinutes: Nullable(
          Type.Number({ description: "Business minutes left; negative once overdue; null once met" }),
        ),
      }),
      { description: "SLA clocks of the policy that applies (the latest next-response clock only)" },
    ),
    slaPolicy: Type.Optional(
      Nullable(
        Type.Object(
          { id: Type.String(), name: Type.String(), reason: Type.String() },
          { description: "The SLA policy that applies and why" },
        ),
      ),
    ),
    slaDueAt: Type.Optional(Nullable(DateTime)),
    entitlementId: Nullable(Type.String()),
    entitlement: Type.Optional(
      Nullable(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          unit: Type.Union([Type.Literal("cases"), Type.Literal("hours")]),
          total: Type.Number(),
          remaining: Type.Number(),
          endsOn: Type.String({ format: "date" }),
          flag: Nullable(Type.Union([Type.Literal("exhausted"), Type.Literal("expired")])),
        }),
      ),
    ),
    routing: Nullable(
      Type.Object(
        { ruleId: Nullable(Type.String()), explanation: Type.String() },
        { description: "How routing placed the case; null when no rule was applied" },
      ),
    ),
  },
  { $id: "Case" },
);

export const AttachmentSchema = Type.Object(
  {
    id: Type.String(),
    caseId: Type.String(),
    messageId: Nullable(Type.String()),
    filename: Type.String(),
    contentType: Type.String(),
    size: Type.Integer(),
    sha256: Type.String(),
    internal: Type.Boolean({ description: "Internal files are never shown to the customer" }),
    uploadedById: Nullable(Type.String()),
    uploadedByContactId: Nullable(Type.String()),
    createdAt: DateTime,
    url: Type.String({ description: "Download address" }),
  },
  { $id: "CaseAttachment" },
);

export const MessageSchema = Type.Object(
  {
    id: Type.String(),
    caseId: Type.String({ description: "The case it landed on (a follow-up, when one was opened)" }),
    kind: MessageKind,
    body: Type.String(),
    authorId: Nullable(Type.String()),
    contactId: Nullable(Type.String()),
    mergedFromCaseId: Nullable(Type.String()),
    createdAt: DateTime,
    attachments: Type.Array(Type.Ref("CaseAttachment")),
  },
  { $id: "CaseMessage" },
);

export const HistorySchema = Type.Object(
  {
    id: Type.String(),
    at: DateTime,
    actorKind: Type.Union([Type.Literal("user"), Type.Literal("contact"), Type.Literal("system")]),
    actorId: Nullable(Type.String()),
    field: Type.String({
      description:
        "A case field (status, ownerId, tags …), or created, message, attachment, mergedFrom, followUp",
    }),
    from: Type.Unknown(),
    to: Type.Unknown(),
  },
  { $id: "CaseHistoryEntry" },
);

export const CaseStatusSchema = Type.Object(
  {
    key: Type.String(),
    label: Type.String(),
    category: StatusCategory,
    builtin: Type.Boolean(),
    position: Type.Integer(),
    behavesAs: Type.String({ description: "The built-in status whose transitions it follows" }),
    transitions: Type.Array(Type.String(), { description: "Statuses a case may move to from this one" }),
  },
  { $id: "CaseStatus" },
);

export const QueueSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    teamId: Nullable(Type.String()),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: "Queue" },
);

/**
 * A 422 from the case rules, with what the caller needs to act on it: the statuses allowed
 * from here, the open children to resolve first, the case a merged one went into.
 */
export const RuleProblem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    allowed: Type.Optional(
      Type.Array(Type.String(), { description: "Statuses allowed from the current one" }),
    ),
    openChildren: Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          number: Type.String(),
          subject: Type.String(),
          status: Type.String(),
        }),
      ),
    ),
    mergedIntoId: Type.Optional(Nullable(Type.String())),
  },
  { additionalProperties: true, description: "Problem details of a refused rule" },
);

export const RuleProblemResponse = {
  description: "Refused by a rule (problem details)",
  content: { "application/problem+json": { schema: RuleProblem } },
};
