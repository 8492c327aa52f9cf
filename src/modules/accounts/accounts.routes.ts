import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  Email,
  IdParams,
  ListQuery,
  Name,
  Nullable,
  Page,
  ProblemResponse,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";

const Tier = Type.Union([Type.Literal("key"), Type.Literal("standard")]);
const HealthBand = Type.Union([Type.Literal("healthy"), Type.Literal("watch"), Type.Literal("at_risk")]);
const Revenue = Type.Number({
  minimum: 0,
  maximum: 10_000_000_000_000,
  description: "Annual revenue, at most two decimals",
});
const Domain = Type.String({
  format: "hostname",
  pattern: "\\.",
  maxLength: 253,
  description: "Email domain of the organisation, e.g. acme.com",
});
const Industry = Type.String({ minLength: 1, maxLength: 100 });
const Country = Type.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2, e.g. DE" });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone" });
const DateOnly = Type.String({ format: "date", description: "YYYY-MM-DD" });
const Phone = Type.String({
  pattern: "^[+(]?[0-9][0-9 ().\\-/]{1,38}[0-9]( ?(x|ext\\.?) ?[0-9]{1,6})?$",
  maxLength: 50,
  description: "Digits with optional +, spaces, (), -, . or / and an extension (x123)",
});
const Title = Type.String({ minLength: 1, maxLength: 200 });
const Language = Type.String({
  pattern: "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
  maxLength: 35,
  description: "BCP 47 language tag, e.g. en or pt-BR",
});
const Search = Type.String({ maxLength: 200 });
const AccountSort = Type.Union([Type.Literal("name"), Type.Literal("-annualRevenue")], {
  description: "name (default) or -annualRevenue (largest first)",
});

export const AccountSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    annualRevenue: Type.Number(),
    tier: Tier,
    ownerId: Nullable(Type.String()),
    domain: Nullable(Type.String()),
    industry: Nullable(Type.String()),
    country: Nullable(Type.String()),
    timeZone: Type.String(),
    customerSince: Nullable(Type.String({ format: "date" })),
    health: Type.Object(
      {
        score: Nullable(Type.Integer({ minimum: 0, maximum: 100 })),
        band: Nullable(HealthBand),
      },
      { description: "Both null until the account has been scored" },
    ),
    createdAt: Type.String({ format: "date-time" }),
    updatedAt: Type.String({ format: "date-time" }),
  },
  { $id: "Account" },
);

export const ContactSchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    name: Type.String(),
    email: Type.String(),
    phone: Nullable(Type.String()),
    title: Nullable(Type.String()),
    timeZone: Nullable(Type.String({ description: "Null: the account's time zone applies" })),
    language: Type.String(),
    createdAt: Type.String({ format: "date-time" }),
    updatedAt: Type.String({ format: "date-time" }),
  },
  { $id: "Contact" },
);

const accountFields = {
  annualRevenue: Type.Optional(Revenue),
  ownerId: Type.Optional(Nullable(Uuid)),
  domain: Type.Optional(Nullable(Domain)),
  industry: Type.Optional(Nullable(Industry)),
  country: Type.Optional(Nullable(Country)),
  timeZone: Type.Optional(TimeZone),
  customerSince: Type.Optional(Nullable(DateOnly)),
};

const contactFields = {
  phone: Type.Optional(Nullable(Phone)),
  title: Type.Optional(Nullable(Title)),
  timeZone: Type.Optional(Nullable(TimeZone)),
  language: Type.Optional(Language),
};

// Bodies are strict: a misspelt field is a 400 naming it, not a change silently not made.
const ContactListQuery = { q: Type.Optional(Search), ...ListQuery };

export const accountsRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(AccountSchema);
    app.addSchema(ContactSchema);
    const AccountRef = Type.Ref("Account");
    const ContactRef = Type.Ref("Contact");

    app.get(
      "/api/v1/accounts",
      {
        schema: {
          tags: ["accounts"],
          summary: "List accounts",
          description:
            "`q` finds accounts by name (contains), by email domain (`acme.com`: the account's domain or its contacts' email domain) or by contact email (`jane@`, contains).",
          querystring: Type.Object({
            tier: Type.Optional(Tier),
            ownerId: Type.Optional(Uuid),
            q: Type.Optional(Search),
            sort: Type.Optional(AccountSort),
            ...ListQuery,
          }),
          response: { 200: Page(AccountRef), ...problemResponses },
        },
      },
      async (request) => c.accounts.listAccounts(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/accounts",
      {
        schema: {
          tags: ["accounts"],
          summary: "Create an account (admin, manager, agent, sales)",
          body: Type.Object({ name: Name, ...accountFields }, strict),
          response: { 201: AccountRef, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.accounts.createAccount(ctxOf(request), request.body)),
    );

    app.get(
      "/api/v1/accounts/:id",
      {
        schema: {
          tags: ["accounts"],
          summary: "One account",
          params: IdParams,
          response: { 200: AccountRef, ...problemResponses },
        },
      },
      async (request) => c.accounts.getAccount(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/accounts/:id",
      {
        schema: {
          tags: ["accounts"],
          summary: "Edit an account (admin, manager, agent, sales); a revenue change recomputes all tiers",
          params: IdParams,
          body: Type.Object({ name: Type.Optional(Name), ...accountFields }, strict),
          response: { 200: AccountRef, ...problemResponses },
        },
      },
      async (request) => c.accounts.updateAccount(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/accounts/:id",
      {
        schema: {
          tags: ["accounts"],
          summary: "Delete an account and its contacts (admin, manager)",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.accounts.deleteAccount(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/accounts/:id/timeline",
      {
        schema: {
          tags: ["accounts"],
          summary: "Everything that happened with this customer, newest first (from the event log)",
          params: IdParams,
          querystring: Type.Object({
            type: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
            ...ListQuery,
          }),
          response: {
            200: Page(
              Type.Object({
                seq: Type.Integer(),
                type: Type.String(),
                entityType: Type.String(),
                entityId: Type.String(),
                actorId: Nullable(Type.String()),
                at: Type.String({ format: "date-time" }),
                data: Type.Record(Type.String(), Type.Unknown()),
              }),
            ),
            ...problemResponses,
          },
        },
      },
      async (request) => c.accounts.timeline(ctxOf(request).actor, request.params.id, request.query),
    );

    app.get(
      "/api/v1/accounts/:id/contacts",
      {
        schema: {
          tags: ["contacts"],
          summary: "The contacts of one account",
          params: IdParams,
          querystring: Type.Object(ContactListQuery),
          response: { 200: Page(ContactRef), ...problemResponses },
        },
      },
      async (request) =>
        c.accounts.listAccountContacts(ctxOf(request).actor, request.params.id, request.query),
    );

    app.get(
      "/api/v1/contacts",
      {
        schema: {
          tags: ["contacts"],
          summary: "List contacts",
          description: "`q` finds contacts whose name or email contains it.",
          querystring: Type.Object({ accountId: Type.Optional(Uuid), ...ContactListQuery }),
          response: { 200: Page(ContactRef), ...problemResponses },
        },
      },
      async (request) => c.accounts.listContacts(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/contacts",
      {
        schema: {
          tags: ["contacts"],
          summary: "Create a contact (admin, manager, agent, sales)",
          body: Type.Object({ accountId: Uuid, name: Name, email: Email, ...contactFields }, strict),
          response: { 201: ContactRef, 409: ProblemResponse, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.accounts.createContact(ctxOf(request), request.body)),
    );

    app.get(
      "/api/v1/contacts/:id",
      {
        schema: {
          tags: ["contacts"],
          summary: "One contact",
          params: IdParams,
          response: { 200: ContactRef, ...problemResponses },
        },
      },
      async (request) => c.accounts.getContact(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/contacts/:id",
      {
        schema: {
          tags: ["contacts"],
          summary: "Edit a contact (admin, manager, agent, sales)",
          params: IdParams,
          body: Type.Object(
            {
              accountId: Type.Optional(Uuid),
              name: Type.Optional(Name),
              email: Type.Optional(Email),
              ...contactFields,
            },
            strict,
          ),
          response: { 200: ContactRef, 409: ProblemResponse, ...problemResponses },
        },
      },
      async (request) => c.accounts.updateContact(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/contacts/:id",
      {
        schema: {
          tags: ["contacts"],
          summary: "Delete a contact (admin, manager)",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.accounts.deleteContact(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
