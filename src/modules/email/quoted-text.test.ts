import { describe, expect, it } from "vitest";
import { foldQuotedHistory } from "./quoted-text.ts";

describe("folding quoted history", () => {
  it.each([
    [
      "Gmail attribution",
      "Thanks, it works.\n\nOn Mon, 2 Mar 2026 at 10:00, Keepdesk <support@help.test> wrote:\n> Try again.\n",
      "Thanks, it works.",
    ],
    [
      "attribution wrapped on two lines",
      "Thanks.\n\nOn Mon, 2 Mar 2026 at 10:00, Keepdesk Support Team <support@help.test>\nwrote:\n> Try again.",
      "Thanks.",
    ],
    [
      "Outlook underscores and header block",
      "Will you check the fax?\n\n________________________________\nFrom: Keepdesk\nSent: Monday\nTo: Wile\n\nold text",
      "Will you check the fax?",
    ],
    [
      "Original Message separator",
      "Smoking again.\n\n-----Original Message-----\nFrom: Keepdesk\nSent: Monday\n\nold",
      "Smoking again.",
    ],
    [
      "German attribution",
      "Wieder kaputt.\n\nAm 02.03.2026 um 10:00 schrieb Keepdesk <s@h.test>:\n> alt",
      "Wieder kaputt.",
    ],
    ["French attribution", "Merci.\n\nLe lun. 2 mars 2026 à 10:00, Keepdesk a écrit :\n> vieux", "Merci."],
    [
      "a bare From/Sent header block",
      "New words.\n\nFrom: Keepdesk <s@h.test>\nSent: Monday, March 2\nSubject: x\n\nold",
      "New words.",
    ],
    ["a trailing > quote", "Yes please.\n\n> Shall we call you?\n> Regards", "Yes please."],
  ])("%s", (_name, text, expected) => {
    const folded = foldQuotedHistory(text);
    expect(folded.text).toBe(expected);
    expect(folded.folded).toBe(true);
  });

  it("keeps inline quotes that are answered below", () => {
    const text = "> Which printer?\nThe one in Mesa.\n> Since when?\nToday.";
    expect(foldQuotedHistory(text)).toEqual({ text, folded: false });
  });

  it("keeps forwarded mail whole, by subject or by separator", () => {
    const text = "See below.\n\n---------- Forwarded message ---------\nFrom: Daffy\n\n> Where is my order?";
    expect(foldQuotedHistory(text).folded).toBe(false);
    expect(foldQuotedHistory("FYI\n\nOn Mon, X wrote:\n> a", "Fwd: order").folded).toBe(false);
  });

  it("keeps a message that is nothing but a quote rather than leaving it empty", () => {
    const text = "On Mon, 2 Mar 2026, Keepdesk wrote:\n> hello";
    expect(foldQuotedHistory(text)).toEqual({ text, folded: false });
  });

  it("normalises line endings", () => {
    expect(foldQuotedHistory("a\r\nb\r\n\r\n").text).toBe("a\nb");
  });
});
