import { describe, expect, it } from "vitest";
import { autoMailRefusal, classifyInbound, isAutomaticSenderAddress, isOwnAddress } from "./loop-guard.ts";
import {
  findMarkers,
  formatMarker,
  messageIdsIn,
  newRefToken,
  plusTokens,
  replySubject,
  subjectCaseNumbers,
  withCaseNumber,
} from "./thread-marker.ts";

const own = { addresses: ["support@help.test"], domains: ["help.test"] };

const classify = (
  headers: Record<string, string>,
  extra: Partial<Parameters<typeof classifyInbound>[0]> = {},
) =>
  classifyInbound({
    header: (name) => headers[name],
    from: "wile@acme.test",
    envelopeFrom: "wile@acme.test",
    contentType: "text/plain",
    subject: "Hello",
    own,
    ...extra,
  });

describe("classifying inbound mail", () => {
  it("a person's mail may be answered", () => {
    expect(classify({})).toEqual({ flags: [], automatic: false, noAutoMailReason: null });
    expect(classify({ "auto-submitted": "no" }).noAutoMailReason).toBeNull();
  });

  it.each([
    ["Auto-Submitted: auto-replied", { "auto-submitted": "auto-replied" }, {}, "auto_reply", true],
    ["Auto-Submitted: auto-generated", { "auto-submitted": "auto-generated" }, {}, "auto_reply", true],
    ["X-Autoreply", { "x-autoreply": "yes" }, {}, "auto_reply", true],
    ["multipart/report", {}, { contentType: "multipart/report" }, "bounce", true],
    ["MAILER-DAEMON", {}, { from: "MAILER-DAEMON@mx.acme.test" }, "bounce", true],
    ["our own address", {}, { from: "support@help.test" }, "own_address", true],
    ["the null sender", {}, { envelopeFrom: "" }, "null_sender", true],
    ["Precedence: list", { precedence: "list" }, {}, "list", false],
    ["List-Id", { "list-id": "<x.lists.test>" }, {}, "list", false],
    ["List-Unsubscribe", { "list-unsubscribe": "<mailto:x>" }, {}, "list", false],
    ["Precedence: bulk", { precedence: "bulk" }, {}, "bulk", false],
    ["Precedence: junk", { precedence: "junk" }, {}, "bulk", false],
    ["noreply sender", {}, { from: "no-reply@saas.test" }, "automatic_sender", false],
  ] as const)("%s: no automatic answer", (_name, headers, extra, flag, automatic) => {
    const c = classify(headers, extra);
    expect(c.flags).toContain(flag);
    expect(c.automatic).toBe(automatic);
    expect(c.noAutoMailReason).toBeTruthy();
  });

  it("X-Auto-Response-Suppress and an 'Automatic reply:' subject hold back answers only", () => {
    expect(classify({ "x-auto-response-suppress": "All" }).noAutoMailReason).toMatch(
      /X-Auto-Response-Suppress/,
    );
    const c = classify({}, { subject: "Automatic reply: your invoice" });
    expect(c.automatic).toBe(false);
    expect(c.noAutoMailReason).toMatch(/subject/);
  });

  it("automatic and own addresses", () => {
    for (const a of [
      "mailer-daemon@x.test",
      "postmaster@x.test",
      "noreply@x.test",
      "no-reply@x.test",
      "do-not-reply@x.test",
      "donotreply@x.test",
      "bounces+123@x.test",
      "list-bounces@x.test",
      "alerts-noreply@x.test",
    ])
      expect(isAutomaticSenderAddress(a), a).toBe(true);
    for (const a of ["wile@acme.test", "reply@x.test", "noreen@x.test", "bounce-house@x.test"])
      expect(isAutomaticSenderAddress(a), a).toBe(false);
    expect(isOwnAddress("Support@Help.test", own)).toBe(true);
    expect(isOwnAddress("anyone@help.test", own)).toBe(true);
    expect(isOwnAddress("wile@acme.test", own)).toBe(false);
    expect(autoMailRefusal("noreply@x.test", own)).toMatch(/automatic/);
    expect(autoMailRefusal("support@help.test", own)).toMatch(/own/);
    expect(autoMailRefusal("wile@acme.test", own)).toBeNull();
  });
});

describe("threading marks", () => {
  it("markers round-trip and need a well-formed token", () => {
    const token = newRefToken();
    expect(token).toMatch(/^[a-z2-9]{12}$/);
    const marker = formatMarker(123, token);
    expect(marker).toBe(`[ref:CS-000123:${token}]`);
    expect(findMarkers(`> quoted\n> ${marker}\n`)).toEqual([{ number: 123, token }]);
    expect(findMarkers("[ref:CS-000123:short]")).toEqual([]);
  });

  it("subject numbers are the bracketed ones", () => {
    expect(subjectCaseNumbers("Re: Printer [CS-000123] and [#CS-45]")).toEqual([123, 45]);
    expect(subjectCaseNumbers("about CS-000123")).toEqual([]);
  });

  it("reply subjects carry the number once and no pile of prefixes", () => {
    expect(replySubject("Printer on fire", 123)).toBe("Re: Printer on fire [CS-000123]");
    expect(replySubject("Re: AW: Printer on fire [CS-000123]", 123)).toBe("Re: Printer on fire [CS-000123]");
    expect(replySubject("", 5)).toBe("Re: your enquiry [CS-000005]");
    expect(withCaseNumber("Resolved [CS-000123]", 123)).toBe("Resolved [CS-000123]");
    expect(withCaseNumber("Resolved", 123)).toBe("Resolved [CS-000123]");
  });

  it("plus tokens and message ids", () => {
    expect(plusTokens(["support+abcdefghjk@help.test", "support@help.test", "a+b@c.test"])).toEqual([
      "abcdefghjk",
    ]);
    expect(messageIdsIn("<a@b> <c@d>\r\n <a@b>")).toEqual(["<a@b>", "<c@d>"]);
    expect(messageIdsIn(["<x@y>"])).toEqual(["<x@y>"]);
    expect(messageIdsIn(undefined)).toEqual([]);
  });
});
