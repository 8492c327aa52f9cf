import fs from "node:fs";
import path from "node:path";
import { createTransport } from "nodemailer";
import type { TestContainer } from "../../../test/support/test-db.ts";
import type { Actor, RequestCtx, Role } from "../../platform/auth/actor.ts";
import { SYSTEM } from "../../platform/auth/actor.ts";
import { createLogger } from "../../platform/logger.ts";
import { drainWork } from "../../platform/worker.ts";
import type { MailMessage } from "../mail/mail.service.ts";
import { type SmtpListener, startSmtpListener } from "./smtp-listener.ts";

/**
 * Test helpers for the email channel: a world of customers, a real SMTP client talking to the
 * listener, the fixture corpus under test/fixtures/mail, and the development mailbox.
 */

export const SUPPORT = "support@help.example.test";
/** Our public URL in these tests: our mail domain is help.example.test. */
export const EMAIL_ENV = { KEEPDESK_PUBLIC_URL: "https://help.example.test" };
export const FIXTURES = path.resolve(import.meta.dirname, "../../../test/fixtures/mail");

export const as = (actor: Actor): RequestCtx => ({ actor });

let staffCount = 0;

/** A staff user, as an actor. */
export async function staff(c: TestContainer, role: Role, name: string): Promise<Actor> {
  const email = `${role}${++staffCount}.${Math.random().toString(36).slice(2, 8)}@staff.test`;
  const user = await c.users.create(SYSTEM, { email, name, role });
  return { kind: "user", id: user.id, email: user.email, role, teamIds: [] };
}

export type World = {
  admin: Actor;
  agent: Actor;
  acmeId: string;
  globexId: string;
  wileId: string;
  roadId: string;
  hankId: string;
};

/**
 * Acme (acme.test, Europe/London) with Wile and Road, Globex (globex.test, America/New_York)
 * with Hank, and one SLA policy for everyone: first response within 2 business hours of a
 * London 09:00–17:00 weekday calendar.
 */
export async function emailWorld(c: TestContainer): Promise<World> {
  const admin = await staff(c, "admin", "Ada Admin");
  const agent = await staff(c, "agent", "Alex Agent");
  const acme = await c.accounts.createAccount(as(admin), {
    name: "Acme",
    domain: "acme.test",
    timeZone: "Europe/London",
  });
  const globex = await c.accounts.createAccount(as(admin), {
    name: "Globex",
    domain: "globex.test",
    timeZone: "America/New_York",
  });
  const wile = await c.accounts.createContact(as(admin), {
    accountId: acme.id,
    name: "Wile E. Coyote",
    email: "wile@acme.test",
  });
  const road = await c.accounts.createContact(as(admin), {
    accountId: acme.id,
    name: "Road Runner",
    email: "road@acme.test",
  });
  const hank = await c.accounts.createContact(as(admin), {
    accountId: globex.id,
    name: "Hank Scorpio",
    email: "hank@globex.test",
  });
  const cal = await c.slaConfig.createCalendar(as(admin), {
    name: "London office",
    timeZone: "Europe/London",
    hours: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "17:00"]]])),
  });
  await c.slaConfig.createPolicy(as(admin), {
    name: "Everyone",
    calendarId: cal.id,
    order: 1,
    firstResponseMinutes: 120,
    resolutionMinutes: 960,
  });
  return {
    admin,
    agent,
    acmeId: acme.id,
    globexId: globex.id,
    wileId: wile.id,
    roadId: road.id,
    hankId: hank.id,
  };
}

export async function startListener(c: TestContainer, maxBytes?: number): Promise<SmtpListener> {
  return startSmtpListener(c.inboundMail, {
    listen: "127.0.0.1:0",
    log: createLogger("silent"),
    hostname: "help.example.test",
    ...(maxBytes ? { maxBytes } : {}),
  });
}

/** A real SMTP client (nodemailer) for the listener. */
export function smtpClient(listener: SmtpListener) {
  const transport = createTransport({
    host: listener.host,
    port: listener.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 1,
    maxMessages: Number.POSITIVE_INFINITY,
  });
  return {
    /** Sends a raw message; answers the inbound mail id from `250 Queued as <id>`. */
    async send(raw: Buffer | string, envelope: { from?: string; to?: string[] } = {}): Promise<string> {
      const info = await transport.sendMail({
        envelope: { from: envelope.from ?? "sender@example.test", to: envelope.to ?? [SUPPORT] },
        raw,
      });
      const id = /Queued as ([0-9a-f-]{36})/.exec(info.response)?.[1];
      if (!id) throw new Error(`unexpected SMTP answer: ${info.response}`);
      return id;
    },
    close: () => transport.close(),
  };
}

/** A fixture with its `{{PLACEHOLDERS}}` filled in. */
export function fixture(name: string, vars: Record<string, string> = {}): Buffer {
  const raw = fs.readFileSync(path.join(FIXTURES, name));
  if (Object.keys(vars).length === 0) return raw;
  let text = raw.toString("latin1");
  for (const [k, v] of Object.entries(vars))
    text = text.replaceAll(`{{${k}}}`, Buffer.from(v, "utf8").toString("latin1"));
  return Buffer.from(text, "latin1");
}

/** A simple message built in the test. */
export function message(m: {
  from: string;
  subject: string;
  body: string;
  messageId: string;
  headers?: Record<string, string>;
}): string {
  const extra = Object.entries(m.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return `From: ${m.from}\r\nTo: ${SUPPORT}\r\nSubject: ${m.subject}\r\nMessage-ID: <${m.messageId}>\r\nDate: Mon, 02 Mar 2026 08:59:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n${extra}\r\n${m.body}\r\n`;
}

export const drain = (c: TestContainer) => drainWork(c);

/** The development mailbox, oldest first, optionally only mail to one address or for one purpose. */
export async function mailbox(
  c: TestContainer,
  filter: { to?: string; purpose?: string } = {},
): Promise<MailMessage[]> {
  const page = await c.mail.list(c.db.kysely, SYSTEM.actor, { ...filter, limit: 200 });
  return page.items.reverse();
}

export async function inboundRow(c: TestContainer, id: string) {
  return c.db.kysely.selectFrom("inbound_mail").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

export async function caseRow(c: TestContainer, id: string) {
  return c.db.kysely.selectFrom("cases").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

export async function messagesOf(c: TestContainer, caseId: string) {
  return c.db.kysely
    .selectFrom("case_messages")
    .select(["id", "kind", "body", "contact_id", "author_id", "case_id"])
    .where("case_id", "=", caseId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export async function attachmentsOf(c: TestContainer, caseId: string) {
  return c.db.kysely
    .selectFrom("case_attachments")
    .select(["id", "filename", "content_type", "size", "internal", "message_id", "uploaded_by_contact_id"])
    .where("case_id", "=", caseId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}
