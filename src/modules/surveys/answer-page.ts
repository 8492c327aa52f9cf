import { escapeHtml as esc } from "../../platform/html.ts";
import { type AnswerOutcome, QUESTIONS } from "./surveys.service.ts";

/**
 * The public pages a survey link lands on: plain server-rendered HTML (no script, no sign-in),
 * readable and keyboard-friendly, with a comment form after the thank-you.
 */

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)} · Keepdesk</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f7f9;color:#1a1b1e;margin:0}
main{max-width:560px;margin:48px auto;background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:32px}
h1{font-size:1.5rem;margin:0 0 12px}
p{line-height:1.5}
label{display:block;font-weight:600;margin:16px 0 6px}
textarea{width:100%;box-sizing:border-box;min-height:120px;font:inherit;padding:8px;border:1px solid #adb5bd;border-radius:4px}
textarea:focus,button:focus{outline:3px solid #4dabf7;outline-offset:2px}
button{margin-top:12px;font:inherit;font-weight:600;background:#1c7ed6;color:#fff;border:0;border-radius:4px;padding:10px 18px;cursor:pointer}
.score{font-size:1.1rem}
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

function commentForm(token: string): string {
  return `<form method="post" action="/s/${esc(token)}/comment">
<label for="comment">Anything you would like to add? (optional)</label>
<textarea id="comment" name="comment" maxlength="5000" required></textarea>
<button type="submit">Send comment</button>
</form>`;
}

export function answerPage(outcome: AnswerOutcome): { status: number; html: string } {
  switch (outcome.kind) {
    case "answered": {
      const s = outcome.survey;
      const q = QUESTIONS[s.type];
      return {
        status: 200,
        html: page(
          "Thank you",
          `<h1>Thank you for your answer</h1>
<p class="score" role="status">You answered <strong>${s.score}</strong> (${s.type === "nps" ? "0" : "1"} = ${esc(q.low)}, ${s.type === "csat" ? 5 : s.type === "nps" ? 10 : 7} = ${esc(q.high)}).</p>
<p>It helps us to know why. Tell us in a few words, if you like.</p>
${commentForm(outcome.token)}`,
        ),
      };
    }
    case "already": {
      const s = outcome.survey;
      return {
        status: 409,
        html: page(
          "Already answered",
          `<h1>You have already answered this survey</h1>
<p>Your answer (${s.score}) is recorded; each link works once.</p>
${s.commented_at ? "<p>Thank you for your comment too.</p>" : `<p>You can still add a comment.</p>${commentForm(outcome.token)}`}`,
        ),
      };
    }
    case "expired":
      return {
        status: 410,
        html: page(
          "Survey closed",
          "<h1>This survey has closed</h1><p>Answers were accepted for a limited time. Thank you all the same.</p>",
        ),
      };
    case "unknown":
      return {
        status: 404,
        html: page(
          "Survey not found",
          "<h1>We could not find this survey</h1><p>Please check the link in your email.</p>",
        ),
      };
  }
}

export function commentPage(result: "saved" | "already" | "not_answered" | "expired" | "unknown"): {
  status: number;
  html: string;
} {
  switch (result) {
    case "saved":
      return {
        status: 200,
        html: page("Thank you", '<h1>Thank you for your comment</h1><p role="status">We read every one.</p>'),
      };
    case "already":
      return {
        status: 409,
        html: page(
          "Already sent",
          "<h1>You have already sent a comment</h1><p>Thank you; it is recorded.</p>",
        ),
      };
    case "not_answered":
      return {
        status: 409,
        html: page(
          "Choose a score first",
          "<h1>Please choose a score first</h1><p>Use one of the links in your email.</p>",
        ),
      };
    case "expired":
      return answerPage({ kind: "expired" });
    case "unknown":
      return answerPage({ kind: "unknown" });
  }
}

export function badScorePage(message: string): { status: number; html: string } {
  return {
    status: 400,
    html: page("Not a valid answer", `<h1>That is not a valid answer</h1><p>${esc(message)}</p>`),
  };
}
