import { describe, expect, it } from "vitest";
import { AppError } from "../../platform/errors.ts";
import { formatDue } from "./email-templates.service.ts";
import {
  checkTemplate,
  DEFAULT_TEMPLATES,
  MOMENTS,
  renderMail,
  renderTemplate,
  textToHtml,
} from "./templates.ts";

const values = {
  "case.number": "CS-000042",
  "case.subject": "Printer <b>on</b> fire & smoke",
  "contact.name": "Wile E. Coyote",
  "sla.firstResponseDue": "Tuesday 3 March, 11:00 (GMT)",
  "company.name": "Acme Support",
  "case.url": "https://help.test/portal/cases/1",
};

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.extra.errors?.[0]?.path;
    throw e;
  }
  return undefined;
}

describe("templates", () => {
  it("fills placeholders and sections", () => {
    expect(renderTemplate("Hi {{contact.name}} ({{ case.number }})", values)).toBe(
      "Hi Wile E. Coyote (CS-000042)",
    );
    expect(
      renderTemplate("{{#sla.firstResponseDue}}by {{sla.firstResponseDue}}{{/sla.firstResponseDue}}", values),
    ).toBe("by Tuesday 3 March, 11:00 (GMT)");
    expect(
      renderTemplate("{{#agent.name}}x{{/agent.name}}{{^agent.name}}nobody yet{{/agent.name}}", values),
    ).toBe("nobody yet");
  });

  it("a section tag alone on its line takes the line with it", () => {
    const t = "A\n{{#agent.name}}\nB\n{{/agent.name}}\nC";
    expect(renderTemplate(t, {})).toBe("A\nC");
    expect(renderTemplate(t, { "agent.name": "x" })).toBe("A\nB\nC");
  });

  it("refuses unknown placeholders, unbalanced sections and stray braces, naming the field", () => {
    expect(fieldOf(() => checkTemplate({ subject: "Hi {{contact.nam}}", body: "x" }))).toBe("/subject");
    expect(fieldOf(() => checkTemplate({ subject: "Hi", body: "{{#agent.name}}x" }))).toBe("/body");
    expect(fieldOf(() => checkTemplate({ subject: "Hi", body: "x{{/agent.name}}" }))).toBe("/body");
    expect(fieldOf(() => checkTemplate({ subject: "Hi", body: "{{ not valid! }}" }))).toBe("/body");
    expect(fieldOf(() => checkTemplate({ subject: "Hi\nthere", body: "x" }))).toBe("/subject");
    expect(fieldOf(() => checkTemplate({ subject: "Hi", body: "   " }))).toBe("/body");
  });

  it("escapes everything in the HTML part: nothing a customer typed becomes markup", () => {
    const mail = renderMail(
      { subject: "{{case.subject}}", body: "Case {{case.subject}}\n\nSee {{case.url}}" },
      values,
    );
    expect(mail.subject).toBe("Printer <b>on</b> fire & smoke");
    expect(mail.text).toContain("Printer <b>on</b> fire & smoke");
    expect(mail.html).toContain("Printer &lt;b&gt;on&lt;/b&gt; fire &amp; smoke");
    expect(mail.html).not.toContain("<b>");
    expect(mail.html).toContain('<a href="https://help.test/portal/cases/1">');
    expect(textToHtml('x "><script>alert(1)</script>')).not.toContain("<script>");
  });

  it("every default renders, with and without an SLA", () => {
    for (const m of MOMENTS) {
      expect(() => checkTemplate(DEFAULT_TEMPLATES[m])).not.toThrow();
      const withSla = renderMail(DEFAULT_TEMPLATES[m], values);
      expect(withSla.text).toContain("CS-000042");
      expect(withSla.text).not.toMatch(/\{\{|\}\}/);
    }
    const ack = renderMail(DEFAULT_TEMPLATES.received, values);
    expect(ack.text).toContain("We aim to answer by Tuesday 3 March, 11:00 (GMT).");
    const noSla = renderMail(DEFAULT_TEMPLATES.received, { ...values, "sla.firstResponseDue": "" });
    expect(noSla.text).not.toContain("We aim to answer");
    expect(noSla.text).not.toMatch(/\n{3,}/);
  });

  it("due times read in the customer's zone", () => {
    const at = "2026-03-03T11:00:00Z";
    expect(formatDue(at, "Europe/London")).toBe("Tuesday 3 March, 11:00 (GMT)");
    expect(formatDue(at, "Europe/Berlin")).toBe("Tuesday 3 March, 12:00 (CET)");
    expect(formatDue(at, "Asia/Tokyo")).toBe("Tuesday 3 March, 20:00 (GMT+9)");
    expect(formatDue(at, "Not/AZone")).toBe("Tuesday 3 March, 11:00 (UTC)");
  });
});
