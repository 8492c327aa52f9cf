import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import type { Actor } from "../../platform/auth/actor.ts";
import { newId } from "../../platform/ids.ts";
import { casesSeedRepository } from "../../seed/cases.repository.ts";
import { as, contactActor, insertAccount, insertContact, staffActor } from "./cases.fixtures.ts";
import type { Case } from "./cases.service.ts";

/**
 * Case search over the thread: the words of replies, customer messages and notes are kept on the
 * case row (thread_search, notes_search) by triggers on case_messages
 * (migrations/0007_case_thread_search.sql). These tests go through every way a message's words
 * reach, change on or leave a case.
 */
let c: TestContainer;
let agent: Actor;
let portal: Actor;
let account: string;
let contact: string;

beforeAll(async () => {
  c = await createTestContainer();
  agent = await staffActor(c.users, "agent");
  account = await insertAccount(c.db.kysely, "Thread Search Ltd");
  contact = await insertContact(c.db.kysely, account, "Petra Ivanova");
  portal = contactActor(contact, account);
});
afterAll(async () => c?.testDb.drop());

// Every search is narrowed to a fresh account's cases where the test needs it; words are
// unusual so that other tests' cases cannot match.
let seq = 0;
beforeEach(() => {
  seq += 1;
});
const newCase = (subject: string) => c.cases.create(as(agent), { subject, contactId: contact });
const found = async (actor: Actor, q: string) =>
  (await c.cases.list(actor, { q })).items.map((k: Case) => k.subject).sort();

describe("searching a case's thread", () => {
  it("finds a case by a word that is only in a reply, for staff and the portal contact", async () => {
    await newCase(`Reply only ${seq}`);
    const k = await newCase(`Has a reply ${seq}`);
    await c.caseMessages.add(as(agent), k.id, {
      kind: "reply",
      body: "Please recalibrate the flux capacitor",
    });
    expect(await found(agent, "capacitor")).toEqual([`Has a reply ${seq}`]);
    expect(await found(agent, "recalibrating capacitors")).toEqual([`Has a reply ${seq}`]);
    expect(await found(portal, "capacitor")).toEqual([`Has a reply ${seq}`]);
  });

  it("finds a case by a word only in a customer message", async () => {
    const k = await newCase(`Customer wrote ${seq}`);
    await c.caseMessages.add(as(portal), k.id, { kind: "customer", body: "Our gyroscope wobbles at dawn" });
    expect(await found(agent, "gyroscope")).toEqual([`Customer wrote ${seq}`]);
    expect(await found(portal, "gyroscope")).toEqual([`Customer wrote ${seq}`]);
  });

  it("finds a case by a word in a note for staff, never for a portal contact", async () => {
    const k = await newCase(`Noted ${seq}`);
    await c.caseMessages.add(as(agent), k.id, { kind: "reply", body: "We are on it" });
    await c.caseMessages.add(as(agent), k.id, {
      kind: "note",
      body: "Customer mentioned the narwhal contract",
    });
    expect(await found(agent, "narwhal")).toEqual([`Noted ${seq}`]);
    expect(await found(portal, "narwhal")).toEqual([]);
    // Not even combined with a word the contact may find it by.
    expect(await found(portal, "narwhal or nothingmatchesthis")).toEqual([]);
    // The note's words are in notes_search only, not in what the customer's search reads.
    const { rows } = await sql<{ thread: boolean; notes: boolean }>`
      select thread_search @@ to_tsquery('english', 'narwhal') as thread,
             notes_search @@ to_tsquery('english', 'narwhal') as notes
      from cases where id = ${k.id}`.execute(c.db.kysely);
    expect(rows[0]).toEqual({ thread: false, notes: true });
  });

  it("finds a case by a message added after an earlier search missed it", async () => {
    const k = await newCase(`Later ${seq}`);
    expect(await found(agent, "kumquat")).toEqual([]);
    await c.caseMessages.add(as(agent), k.id, { kind: "reply", body: "One kumquat, as discussed" });
    expect(await found(agent, "kumquat")).toEqual([`Later ${seq}`]);
    await c.caseMessages.add(as(agent), k.id, { kind: "reply", body: "And a persimmon" });
    expect(await found(agent, "kumquat persimmon")).toEqual([`Later ${seq}`]);
  });

  it("matches a phrase within one message of a thread", async () => {
    const k = await newCase(`Phrases ${seq}`);
    await c.caseMessages.add(as(agent), k.id, { kind: "reply", body: "Your quantum ledger is ready" });
    await c.caseMessages.add(as(portal), k.id, { kind: "customer", body: "Thanks, the ledger balances" });
    expect(await found(agent, '"quantum ledger"')).toEqual([`Phrases ${seq}`]);
    expect(await found(agent, '"ledger balances"')).toEqual([`Phrases ${seq}`]);
    expect(await found(agent, '"quantum balances"')).toEqual([]);
  });

  it("after a merge finds the survivor by the duplicate's thread and notes, and not the duplicate", async () => {
    const survivor = await newCase(`Survivor ${seq}`);
    const dup = await newCase(`Duplicate ${seq}`);
    await c.caseMessages.add(as(agent), survivor.id, { kind: "reply", body: "The albatross landed" });
    await c.caseMessages.add(as(agent), dup.id, { kind: "reply", body: "The pelican took off" });
    await c.caseMessages.add(as(agent), dup.id, { kind: "note", body: "Secret cormorant" });
    expect(await found(agent, "pelican")).toEqual([`Duplicate ${seq}`]);
    await c.cases.merge(as(agent), dup.id, survivor.id);
    expect(await found(agent, "pelican")).toEqual([`Survivor ${seq}`]);
    expect(await found(agent, "albatross")).toEqual([`Survivor ${seq}`]);
    expect(await found(agent, "cormorant")).toEqual([`Survivor ${seq}`]);
    expect(await found(portal, "pelican")).toEqual([`Survivor ${seq}`]);
    expect(await found(portal, "cormorant")).toEqual([]);
    // A message added to the survivor later is appended to the merged thread.
    await c.caseMessages.add(as(agent), survivor.id, { kind: "reply", body: "Then a puffin" });
    expect(await found(agent, "pelican puffin")).toEqual([`Survivor ${seq}`]);
  });
});

describe("searching by case number", () => {
  it("finds the case with the number, and cases that mention it", async () => {
    const k = await newCase(`Numbered ${seq}`);
    const other = await newCase(`Mentions it ${seq}`);
    await c.caseMessages.add(as(agent), other.id, { kind: "reply", body: `Same problem as ${k.number}` });
    expect(await found(agent, k.number)).toEqual([`Mentions it ${seq}`, `Numbered ${seq}`]);
    expect(await found(agent, k.number.toLowerCase())).toEqual([`Mentions it ${seq}`, `Numbered ${seq}`]);
  });
});

describe("the case's vectors follow every change of its messages", () => {
  it("bulk-inserted messages (the demo seed and bench generator) are searchable", async () => {
    const a = await newCase(`Bulk A ${seq}`);
    const b = await newCase(`Bulk B ${seq}`);
    const at = c.clock.now();
    const row = (caseId: string, kind: "reply" | "note" | "customer", body: string) => ({
      id: newId(),
      case_id: caseId,
      kind,
      body,
      author_id: null,
      contact_id: null,
      created_at: at,
    });
    await casesSeedRepository.insertMessages(c.db.kysely, [
      row(a.id, "customer", "The wombat escaped"),
      row(a.id, "reply", "We found the wombat"),
      row(b.id, "note", "Ask about the wombat"),
      row(b.id, "reply", "Hello from the ocelot"),
    ]);
    expect(await found(agent, "wombat")).toEqual([`Bulk A ${seq}`, `Bulk B ${seq}`]);
    expect(await found(portal, "wombat")).toEqual([`Bulk A ${seq}`]);
    expect(await found(agent, "ocelot")).toEqual([`Bulk B ${seq}`]);
  });

  it("an edited or deleted message's words leave the case; other columns' changes keep them", async () => {
    const k = await newCase(`Edited ${seq}`);
    await c.caseMessages.add(as(agent), k.id, { kind: "reply", body: "About the hedgehog" });
    await c.caseMessages.add(as(agent), k.id, { kind: "reply", body: "And the badger" });
    const db = c.db.kysely;
    await sql`update case_messages set body = 'About the porcupine'
              where case_id = ${k.id} and body = 'About the hedgehog'`.execute(db);
    expect(await found(agent, "hedgehog")).toEqual([]);
    expect(await found(agent, "porcupine badger")).toEqual([`Edited ${seq}`]);
    await sql`update case_messages set kind = 'note' where case_id = ${k.id} and body = 'And the badger'`.execute(
      db,
    );
    expect(await found(agent, "badger")).toEqual([`Edited ${seq}`]);
    expect(await found(portal, "badger")).toEqual([]);
    await sql`update case_messages set author_id = null where case_id = ${k.id}`.execute(db);
    expect(await found(agent, "porcupine")).toEqual([`Edited ${seq}`]);
    await sql`delete from case_messages where case_id = ${k.id} and body = 'About the porcupine'`.execute(db);
    expect(await found(agent, "porcupine")).toEqual([]);
    expect(await found(agent, "badger")).toEqual([`Edited ${seq}`]);
  });

  it("a thread past the 1 MB a tsvector holds keeps taking messages; what fits stays searchable", async () => {
    const k = await newCase(`Huge thread ${seq}`);
    const db = c.db.kysely;
    // Two messages of 20,000 distinct tokens each (~0.7 MB of lexemes apiece): the second cannot
    // fit beside the first. Inserted as rows: the API caps a message at 100,000 characters.
    const huge = (salt: string) => sql`
      insert into case_messages (id, case_id, kind, body, created_at)
      select ${newId()}, ${k.id}, 'reply',
             (select string_agg(md5(${salt} || i), ' ') from generate_series(1, 20000) i),
             ${c.clock.now()}`;
    await huge("first").execute(db);
    await huge("second").execute(db);
    await c.caseMessages.add(as(agent), k.id, { kind: "reply", body: "Finally, a platypus" });
    const token = (salt: string, i: number) =>
      sql<{ t: string }>`select md5(${salt} || ${i}::int) as t`.execute(db).then((r) => r.rows[0]!.t);
    expect(await found(agent, await token("first", 7))).toEqual([`Huge thread ${seq}`]);
    expect(await found(agent, await token("second", 7))).toEqual([]);
    expect(await found(agent, "platypus")).toEqual([`Huge thread ${seq}`]);
  });
});
