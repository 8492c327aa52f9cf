import type { Channel, Priority } from "../modules/cases/cases.tables.ts";
import type { PRODUCTS } from "./demo-catalogue.ts";

/**
 * What the demo company's customers write to support about, and how support answers: the
 * vocabulary of the demo cases and of the bench's generated ones. Each problem has a few ways
 * to say it (subjects, descriptions) and the turns a conversation about it takes (the question
 * an agent asks, the customer's answer, the fix). `{placeholders}` are filled per case
 * (see CaseFactory in cases.ts); every text reads as written by a person.
 *
 * A case draws one variant number v and takes item `v mod length` of every list, so lists of
 * the same length go together: the second question is answered by the second answer and fixed
 * by the second solution, and a subject about a VAT number gets the description about it.
 * Lists of paraphrases can have any length.
 */

export type Product = (typeof PRODUCTS)[number];

/** The case categories the demo uses (free text in the schema; a fixed list here). */
export const CASE_CATEGORIES = [
  "Billing",
  "Login & access",
  "Account & users",
  "Integrations",
  "Performance",
  "Data export",
  "How-to",
  "Bug",
  "Outage",
  "Onboarding",
  "Feature request",
] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];

/** Queues per team (team names from TEAM_PLAN in steps/staff.ts); `key` is what problems name. */
export const QUEUE_PLAN = [
  { key: "general", name: "General enquiries", team: "Frontline Support" },
  { key: "access", name: "Logins & access", team: "Frontline Support" },
  { key: "howto", name: "How-to questions", team: "Frontline Support" },
  { key: "integrations", name: "Integrations & API", team: "Technical Support" },
  { key: "bugs", name: "Bugs & performance", team: "Technical Support" },
  { key: "incidents", name: "Incidents", team: "Technical Support" },
  { key: "invoices", name: "Invoices & payments", team: "Billing & Accounts" },
  { key: "plans", name: "Plans & renewals", team: "Billing & Accounts" },
  { key: "onboarding", name: "Onboarding", team: "Customer Success" },
  { key: "key-accounts", name: "Key accounts", team: "Customer Success" },
] as const;
export type QueueKey = (typeof QUEUE_PLAN)[number]["key"];

export type Weighted<T> = readonly (readonly [T, number])[];

/** Email most; then the portal, the phone, the web form and the API (customers' own systems). */
export const CHANNEL_WEIGHTS: Weighted<Channel> = [
  ["email", 48],
  ["portal", 20],
  ["phone", 15],
  ["web", 12],
  ["api", 5],
];

export const PRIORITY_WEIGHTS: Weighted<Priority> = [
  ["low", 15],
  ["normal", 60],
  ["high", 20],
  ["urgent", 5],
];

/** What an open problem may wait for while the case is on hold. */
export type HoldReason = "engineering" | "product" | "finance";

export type CaseProblem = {
  key: string;
  /** One of these, picked per case. */
  products: readonly Product[];
  category: CaseCategory;
  queue: QueueKey;
  /** How common it is, relative to the others. */
  weight: number;
  priority?: Weighted<Priority>;
  /** One or two of these go on the case. */
  tags: readonly string[];
  subjects: readonly string[];
  /** The customer's own words. */
  descriptions: readonly string[];
  /** What an agent asks before they can fix it. */
  questions: readonly string[];
  /** What the customer answers. */
  answers: readonly string[];
  /** How the agent resolves it. */
  solutions: readonly string[];
  /** Internal notes while working on it. */
  notes?: readonly string[];
  /** Problems that can wait on someone else (a fix, a product decision, finance). */
  hold?: HoldReason;
};

const SSO_PRIORITY: Weighted<Priority> = [
  ["normal", 40],
  ["high", 45],
  ["urgent", 15],
];
const LOW_STAKES: Weighted<Priority> = [
  ["low", 35],
  ["normal", 60],
  ["high", 5],
];
const BLOCKING: Weighted<Priority> = [
  ["normal", 35],
  ["high", 45],
  ["urgent", 20],
];

export const CASE_PROBLEMS: readonly CaseProblem[] = [
  // ---- billing ----
  {
    key: "invoice-wrong-amount",
    products: ["Billing Portal"],
    category: "Billing",
    queue: "invoices",
    weight: 6,
    priority: LOW_STAKES,
    tags: ["invoice", "seats"],
    subjects: [
      "Invoice {invoice} shows the wrong amount",
      "We were billed for {seats} seats but only have {seatsUsed}",
      "Question about invoice {invoice}",
      "Invoice total doesn't match our contract",
    ],
    descriptions: [
      "Our latest invoice ({invoice}) is for {amount}, but our contract says we pay for {seatsUsed} seats. It looks like we were charged for {seats}. Could you check and send a corrected invoice?",
      "Finance flagged invoice {invoice}: the amount is higher than last quarter although we removed users in {month}. Can you explain the difference or correct it?",
      "The invoice we received this morning has a line for {seats} Business seats. We downgraded {colleague}'s team at the start of the month, so we expected fewer. Please advise.",
    ],
    questions: [
      "Could you confirm the date you removed the users? In the Billing Portal under Subscription > Seats you can see the change log; a screenshot of that would help.",
      "Could you tell me which workspace the invoice belongs to? Your organisation has two subscriptions with us and I want to make sure I look at the right one.",
    ],
    answers: [
      "The users were removed on {date}. Screenshot of the seat log is attached.",
      "It's the main workspace, the one {colleague} administers. The seats were removed in {month}.",
    ],
    solutions: [
      "You're right: the seat reduction was recorded after the invoice run, so it was billed at the old count. I've issued credit note {creditNote} for the difference and a corrected invoice will follow by email within a day.",
      "I've corrected the seat count and reissued the invoice with the right amount ({amountCorrected}). The old invoice {invoice} is cancelled, so there is nothing to pay on it.",
    ],
    notes: [
      "Seat change was made after the billing run cut-off; credit note needed. Finance approval requested.",
      "Checked the subscription history: downgrade recorded on {date}, invoice generated the day after.",
    ],
    hold: "finance",
  },
  {
    key: "duplicate-charge",
    products: ["Billing Portal"],
    category: "Billing",
    queue: "invoices",
    weight: 3,
    priority: [
      ["normal", 60],
      ["high", 35],
      ["urgent", 5],
    ],
    tags: ["payment", "refund"],
    subjects: [
      "Card charged twice this month",
      "Duplicate payment for invoice {invoice}",
      "Double charge on our card",
    ],
    descriptions: [
      "Our company card was charged {amount} twice on {date} for the same invoice ({invoice}). Please refund the duplicate payment.",
      "Our bank statement shows two identical payments to you this month. We only have one invoice. Can you look into it and refund one of them?",
    ],
    questions: [
      "Could you send me the last four digits of the card and the transaction references from your statement? Then I can match them with our payment provider.",
    ],
    answers: ["The card ends in {last4}. References are {txn} and {txn2}."],
    solutions: [
      "Thanks for your patience. The second payment was a retry our payment provider should not have made. I've refunded {amount} to the card ending in {last4}; depending on your bank it shows up within 5–10 business days.",
      "I found the duplicate and refunded it today. You'll see the refund on the card within a week. Sorry for the trouble.",
    ],
    notes: ["Payment provider confirms duplicate capture on retry. Refund issued."],
    hold: "finance",
  },
  {
    key: "invoice-details",
    products: ["Billing Portal"],
    category: "Billing",
    queue: "invoices",
    weight: 4,
    priority: LOW_STAKES,
    tags: ["invoice", "vat"],
    subjects: [
      "VAT number missing on our invoice",
      "Please add our PO number to invoice {invoice}",
      "Invoice needs our new billing address",
    ],
    descriptions: [
      "Our accounts payable team can't book invoice {invoice} because our VAT number is missing. Could you reissue it with VAT ID {vatId}?",
      "Procurement requires our purchase order number {po} on every invoice. Could you add it to {invoice} and to future invoices?",
      "We moved offices in {month}. Please update our billing address and reissue the last invoice so we can pay it.",
    ],
    questions: ["Could you send us the exact company name and address as it should appear on the invoice?"],
    answers: ["It should read exactly as on the attached letterhead. Thanks!"],
    solutions: [
      "I've updated your billing details and reissued {invoice}; the new PDF is in the Billing Portal under Invoices. Future invoices will carry the same details.",
      "Done: the invoice is reissued with the corrected details, and I've saved them as the defaults for your account.",
    ],
  },
  {
    key: "payment-failed",
    products: ["Billing Portal"],
    category: "Billing",
    queue: "invoices",
    weight: 3,
    priority: [
      ["normal", 55],
      ["high", 40],
      ["urgent", 5],
    ],
    tags: ["payment", "overdue"],
    subjects: [
      "Card declined but our bank says it's fine",
      "Invoice {invoice} marked overdue although we paid",
    ],
    descriptions: [
      "We got an email saying our payment failed and the workspace will be suspended in 7 days. The card is valid and our bank sees no declined attempt. Please don't suspend us while we sort this out.",
      "The Billing Portal says invoice {invoice} is overdue, but we paid it by bank transfer on {date}. Can you check?",
    ],
    questions: [
      "Could you try updating the card in the Billing Portal once more and tell me the exact error you see?",
      "Could you send me the bank transfer reference or a remittance advice? Transfers sometimes arrive without the invoice number and can't be matched automatically.",
    ],
    answers: [
      "I tried again and got 'Payment requires authentication'. Our card needs 3-D Secure.",
      "Remittance advice attached; reference {txn}.",
    ],
    solutions: [
      "The card needed 3-D Secure confirmation, which the old payment form didn't ask for. I've sent you a payment link that does; once confirmed the account is up to date.",
      "Found your transfer: it arrived without the invoice number. I've matched it to {invoice}, so the account is no longer overdue and the suspension warning is cancelled.",
    ],
  },
  {
    key: "plan-change",
    products: ["Billing Portal"],
    category: "Billing",
    queue: "plans",
    weight: 4,
    priority: LOW_STAKES,
    tags: ["plan-change", "upsell"],
    subjects: [
      "Upgrade from Team to Business plan",
      "Downgrade at renewal",
      "Adding {n} more seats",
      "Switching to annual billing",
    ],
    descriptions: [
      "We'd like to move to the Business plan to get SSO and audit logs. What would it cost for {seatsUsed} users, and can we switch mid-term?",
      "Our renewal is coming up on {date}. We'd like to reduce to {seatsUsed} seats. How do we do that?",
      "We're onboarding a new team and need {n} more seats from next week. Can you add them to our subscription?",
      "Could we switch from monthly to annual billing? We were told there is a discount.",
    ],
    questions: ["Should the change apply straight away (prorated) or from the next renewal date?"],
    answers: ["Straight away please, prorated is fine.", "From the renewal date, please."],
    solutions: [
      "Your subscription is updated. The prorated difference will appear on the next invoice, and the new plan's features are available now.",
      "All set: the change takes effect at your renewal on {date}, and I've sent the updated quote to your billing contact.",
    ],
  },
  {
    key: "refund-request",
    products: ["Billing Portal"],
    category: "Billing",
    queue: "plans",
    weight: 2,
    priority: LOW_STAKES,
    tags: ["refund"],
    subjects: ["Refund after cancelling the add-on", "Partial refund for seats bought by mistake"],
    descriptions: [
      "We cancelled the Advanced Analytics add-on in {month} but were charged for the full quarter. Could you refund the unused months?",
      "We bought {n} seats too many at renewal by mistake. Is a partial refund possible?",
    ],
    questions: ["Could you confirm who at your company approved the cancellation, for our records?"],
    answers: ["{colleague} from our finance team approved it."],
    solutions: [
      "Finance approved a prorated refund of {amount}. It goes back to the original payment method within 5–10 business days.",
      "I've credited {amount} to your account; it will be deducted from your next invoice automatically.",
    ],
    hold: "finance",
  },
  {
    key: "renewal-quote",
    products: ["Billing Portal"],
    category: "Billing",
    queue: "plans",
    weight: 2,
    priority: LOW_STAKES,
    tags: ["renewal", "quote"],
    subjects: [
      "Need a renewal quote for procurement",
      "Quote for next year's subscription",
      "Pricing for {n} additional users",
    ],
    descriptions: [
      "Procurement needs a formal quote for our renewal before {date}. Could you send one for {seatsUsed} seats on our current plan?",
      "We're planning next year's budget. Could you send a quote including the Data Connectors add-on?",
    ],
    questions: ["Should the quote include the Data Connectors add-on, or only the core seats?"],
    answers: ["Please include the add-on so we can compare."],
    solutions: [
      "The quote is attached and valid for 30 days. Your account manager is in copy in case procurement has questions.",
      "I've sent the quote to you and your account manager; it includes both options side by side.",
    ],
  },

  // ---- login & access, account & users ----
  {
    key: "sso-saml-error",
    products: ["Analytics Cloud"],
    category: "Login & access",
    queue: "access",
    weight: 5,
    priority: SSO_PRIORITY,
    tags: ["sso", "saml"],
    subjects: ["SSO login fails with 'Invalid SAML response'", "Some users can't sign in with {idp} SSO"],
    descriptions: [
      "Since this morning all our users get 'Invalid SAML response' when they sign in through {idp}. We rotated the signing certificate there yesterday; could that be related? This is blocking the whole team.",
      "About half of our users can log in with SSO, the other half land on an error page. It started after we added a new group in {idp}.",
    ],
    questions: [
      "Could you send us a SAML trace (the browser extension 'SAML-tracer' records one) of a failed login, and the time it happened?",
      "Could you check whether the new certificate has been uploaded under Settings > Security > SSO? If only the old one is there, every login fails signature validation.",
    ],
    answers: [
      "Trace attached, the failed login was at {time} our time.",
      "You're right, only the old certificate was there. I've uploaded the new one but it still fails for some users.",
    ],
    solutions: [
      "The assertion is signed with the new certificate, but the workspace still trusted only the old one. I've added the new certificate as a second trusted key; logins work again. You can remove the old one once everyone has signed in.",
      "The failing users are in a group whose NameID is their UPN instead of their email, so they don't match an existing user. Mapping NameID to the email attribute in {idp} fixes it; I've confirmed with a test account.",
    ],
    notes: [
      "Trace shows signature over the assertion only, not the response; config expects both. Checking with engineering.",
      "Customer is on the Business plan, SSO enforced for all users: whole team locked out. Treating as urgent.",
    ],
    hold: "engineering",
  },
  {
    key: "password-reset",
    products: ["Analytics Cloud", "Mobile App"],
    category: "Login & access",
    queue: "access",
    weight: 5,
    tags: ["password", "email-delivery"],
    subjects: ["Password reset email never arrives", "Password reset link says it has expired"],
    descriptions: [
      "I requested a password reset three times in the last hour but the email never arrives. It's not in spam either.",
      "The reset link in the email says it has expired although I clicked it right away.",
    ],
    questions: [
      "Could you ask your IT team whether mail from our sending domain is quarantined? Many mail filters hold automated mail for a few hours.",
      "Which browser do you open the link in? Some mail scanners click links before you do, which uses up the one-time link.",
    ],
    answers: [
      "IT found the emails in the quarantine and released them. They'll allow-list your domain.",
      "It's {browser}. We do have a link scanner (Safe Links) on our mail.",
    ],
    solutions: [
      "Glad that's found. Once your domain allow-list is in place the reset emails arrive within a minute. I've also cleared the failed-attempt counter on the account.",
      "Your mail scanner was opening the link first. I've switched your workspace to reset codes instead of links, which scanners can't use up. Please try again.",
    ],
  },
  {
    key: "mfa-locked-out",
    products: ["Analytics Cloud", "Mobile App"],
    category: "Login & access",
    queue: "access",
    weight: 3,
    priority: BLOCKING,
    tags: ["mfa", "locked-out"],
    subjects: ["Locked out – lost phone with authenticator", "Two-factor codes not accepted"],
    descriptions: [
      "I got a new phone and didn't move my authenticator app. Now I can't log in. Can you reset my two-factor authentication?",
      "My two-factor codes are always rejected, even freshly generated ones.",
    ],
    questions: [
      "For your security, could your workspace admin confirm the request by replying here, or call us from the phone number on file?",
      "Could you check that the time on your phone is set automatically? Codes are rejected when the clock is more than a minute off.",
    ],
    answers: [
      "{colleague} (our admin) confirms: please reset it.",
      "The clock was set manually and was two minutes off. Fixed now, but I still get an error.",
    ],
    solutions: [
      "I've reset two-factor authentication on your user. At the next sign-in you'll be asked to set it up again – this time with the new phone.",
      "With the clock fixed, the old enrolment still carried the drift. I've reset it; please enrol again and it will work.",
    ],
  },
  {
    key: "user-management",
    products: ["Analytics Cloud"],
    category: "Account & users",
    queue: "general",
    weight: 5,
    priority: LOW_STAKES,
    tags: ["users", "permissions"],
    subjects: [
      "Remove access for a leaver",
      "Add {n} new users to our workspace",
      "Change our workspace admin",
      "User can't see the shared dashboards",
    ],
    descriptions: [
      "{colleague} left the company last Friday. Please deactivate their account and move their dashboards to me.",
      "We have {n} new analysts starting on Monday. Can you add them? Emails are in the attached list.",
      "Our admin {colleague} is on parental leave. Could you make me an admin of the workspace in the meantime?",
      "A new colleague was invited but sees an empty workspace, none of the shared dashboards.",
    ],
    questions: [
      "Only a workspace admin can approve this. Could {colleague} or another admin confirm here?",
      "Which group should the new users be in? Permissions to shared folders come from the group.",
    ],
    answers: ["Confirmed by our admin in copy.", "Put them in the 'Analysts' group, please."],
    solutions: [
      "Done. The account is deactivated and the dashboards now belong to you. Scheduled reports they owned keep running under your name.",
      "The users are added to the Analysts group and have received their invitations. The shared dashboards are visible to them now.",
      "You're now an admin of the workspace. You can hand the role back in Settings > Users whenever you like.",
      "Your colleague wasn't in any group yet, so no shared folder was visible. Now that they're in the Analysts group, the shared dashboards show up.",
    ],
  },

  // ---- integrations and the API ----
  {
    key: "connector-sync-failing",
    products: ["Data Connectors"],
    category: "Integrations",
    queue: "integrations",
    weight: 9,
    priority: [
      ["normal", 50],
      ["high", 40],
      ["urgent", 10],
    ],
    tags: ["connector", "sync"],
    subjects: [
      "{connector} sync failing since {date}",
      "{connector} connector stuck on 'Syncing'",
      "Data from {connector} is two days old",
      "{connector} import error: {syncError}",
    ],
    descriptions: [
      "Our {connector} connector has failed every night since {date} with '{syncError}'. Our morning dashboards are showing stale numbers.",
      "The {connector} sync has shown 'Syncing…' for more than 24 hours. We restarted it twice. Nothing changed on our side.",
      "The last successful {connector} import was on {date}. Since then the job log shows '{syncError}'.",
    ],
    questions: [
      "Did the {connector} user the connector logs in with change recently (password, permissions, or deactivated)?",
      "Could you send us the sync job ID from Data Connectors > History? It's the long code next to the failed run.",
      "Could you send us the ID of the last failed sync job (Data Connectors > History) and tell us whether anyone cancelled a run recently?",
    ],
    answers: [
      "Yes, IT rotated the password of the integration user last week. Could that be it?",
      "The job ID is {jobId}.",
      "It's {jobId}. {colleague} cancelled a run on {date} because it took too long.",
    ],
    solutions: [
      "The connector's credentials expired when the password was rotated. I've paused the job; once you reconnect under Data Connectors > {connector} > Reconnect, it catches up on the missed days automatically.",
      "A schema change on the {connector} side added a column our sync didn't expect. We've deployed a fix and rerun your sync; all missed days are loaded.",
      "The job was stuck behind a lock left by a cancelled run. I've cleared it and started a full sync, which finished in {minutes} minutes.",
    ],
    notes: [
      "Job {jobId}: repeated timeouts from the {connector} API. Rate limit on their side?",
      "Reproduced with a test account: the new {connector} API version rejects our date filter. Bug filed as {ticket}.",
    ],
    hold: "engineering",
  },
  {
    key: "connector-disconnects",
    products: ["Data Connectors"],
    category: "Integrations",
    queue: "integrations",
    weight: 4,
    tags: ["connector", "oauth"],
    subjects: [
      "{connector} connection keeps disconnecting",
      "Have to re-authorise {connector} every week",
      "OAuth token for {connector} expires",
    ],
    descriptions: [
      "We have to reconnect {connector} about once a week; then the nightly sync fails until someone notices. Is there a way to keep it connected?",
      "Every few days the {connector} connector shows 'Authorisation expired'. Can you help us make it stable?",
    ],
    questions: ["Is the connector authorised with a personal account or a dedicated integration user?"],
    answers: ["It's {colleague}'s personal account. We can create an integration user if that helps."],
    solutions: [
      "Your {connector} admin policy expires refresh tokens after 7 days for personal accounts. With a dedicated integration user (no expiry policy), the connection stays up. I've sent the steps.",
      "Reconnecting with the integration user did it: the token has been refreshed twice without problems. I'll resolve this, but reply any time if it drops again.",
    ],
  },
  {
    key: "connector-missing-fields",
    products: ["Data Connectors"],
    category: "Integrations",
    queue: "integrations",
    weight: 3,
    priority: LOW_STAKES,
    tags: ["connector", "schema"],
    subjects: [
      "Custom fields from {connector} not showing up",
      "Some columns are empty after {connector} import",
    ],
    descriptions: [
      "We added a custom field 'Contract tier' in {connector} two weeks ago, but it never appeared in Analytics Cloud.",
      "After the last {connector} import several columns are empty although they have values in {connector}.",
    ],
    questions: ["Could you tell us the API name of the field in {connector}?"],
    answers: ["The API name is Contract_Tier__c."],
    solutions: [
      "New fields are only picked up after a schema refresh. I've refreshed the schema for your connector; the field is there now and will fill with the next sync.",
      "The columns were hidden by the field-level security of the integration user in {connector}. Once that user can read them, they import normally.",
    ],
  },
  {
    key: "webhooks-not-firing",
    products: ["Public API"],
    category: "Integrations",
    queue: "integrations",
    weight: 3,
    priority: BLOCKING,
    tags: ["api", "webhooks"],
    subjects: ["No webhook calls since {date}", "Webhook signature verification fails"],
    descriptions: [
      "Our endpoint has received no webhook calls since {date}. The subscription still shows as active.",
      "Since yesterday, signature verification fails for all incoming webhooks. We haven't changed the secret.",
    ],
    questions: [
      "Could you check whether your endpoint answered with errors around {date}? After 24 hours of failures we pause a subscription.",
      "Which library do you verify the signatures with, and which version?",
    ],
    answers: [
      "Our endpoint was down for maintenance over the weekend. That must be it.",
      "We use the official Node library, version 2.3.",
    ],
    solutions: [
      "The subscription was paused after your endpoint failed for 24 hours. I've resumed it and replayed the events since {date}.",
      "We rotated the signing key format (v1 → v2 header). Your library verifies against v1 only; the docs describe both. I've re-enabled the v1 header for your workspace for 90 days so you have time to update.",
    ],
    hold: "engineering",
  },
  {
    key: "api-rate-limit",
    products: ["Public API"],
    category: "Integrations",
    queue: "integrations",
    weight: 3,
    tags: ["api", "rate-limit"],
    subjects: [
      "Getting 429 Too Many Requests",
      "API rate limit too low for our nightly job",
      "Rate limiting on /v2/reports",
    ],
    descriptions: [
      "Our nightly export job fails halfway with HTTP 429. We make about {rpm} requests per minute. Can the limit be raised?",
      "Since the weekend, calls to /v2/reports return 429 after a few hundred requests.",
    ],
    questions: ["Which API key does the job use, and roughly at what time does it run?"],
    answers: ["The key ending in {last4}; the job starts at 02:00 UTC."],
    solutions: [
      "Your plan allows 600 requests per minute per key. I've raised it to 1,200 for the key ending in {last4}. Using the bulk export endpoint would cut the number of calls by 90%, too.",
      "The job doesn't honour the Retry-After header, so retries make things worse. With back-off it finishes well within the limit; I've sent example code.",
    ],
  },
  {
    key: "api-auth",
    products: ["Public API"],
    category: "Integrations",
    queue: "integrations",
    weight: 2,
    tags: ["api", "authentication"],
    subjects: [
      "API key returns 401 after rotation",
      "401 Unauthorized on every API call",
      "New API token rejected",
    ],
    descriptions: [
      "We rotated our API key yesterday and now every call returns 401 Unauthorized, although we use the new key.",
      "Our integration gets 401 on all requests since this morning.",
    ],
    questions: ["Could you send the request ID from one failed response (the X-Request-Id header)?"],
    answers: ["Request ID: {requestId}"],
    solutions: [
      "The new key was created in your sandbox workspace, not in production. Creating it in production fixes it.",
      "The requests send the key as a query parameter, which we stopped accepting on {date}. Sending it in the Authorization header works.",
    ],
  },
  {
    key: "api-howto",
    products: ["Public API"],
    category: "How-to",
    queue: "integrations",
    weight: 3,
    priority: LOW_STAKES,
    tags: ["api", "how-to"],
    subjects: [
      "How to paginate the /v2/reports endpoint?",
      "Filtering by date in the API",
      "Is there an endpoint to export dashboards?",
    ],
    descriptions: [
      "The docs mention cursor pagination but our loop returns the same page again. What are we doing wrong?",
      "We want to fetch only rows changed since our last run. Which parameter do we use?",
      "Is there an API endpoint to export a dashboard as PDF? We'd like to attach it to our weekly email.",
    ],
    questions: [],
    answers: [],
    solutions: [
      "Pass the nextCursor from each response as the cursor parameter of the next call, and stop when it is null. Example in Python attached.",
      "Use updatedSince with an ISO timestamp; it returns rows changed at or after that moment. Store the time of your last run and pass it next time.",
      "Yes: POST /v2/dashboards/:id/exports with format=pdf, then poll the export until it's ready. It's in the docs under Exports.",
    ],
  },

  // ---- performance ----
  {
    key: "slow-dashboards",
    products: ["Dashboards", "Analytics Cloud"],
    category: "Performance",
    queue: "bugs",
    weight: 6,
    priority: [
      ["normal", 50],
      ["high", 40],
      ["urgent", 10],
    ],
    tags: ["performance", "dashboards"],
    subjects: [
      "Dashboards very slow to load",
      "'{dashboard}' takes over a minute to open",
      "Performance has degraded since last week",
    ],
    descriptions: [
      "Since {date} our '{dashboard}' dashboard takes more than a minute to load, it used to be a few seconds. Other dashboards seem fine.",
      "Everything in {product} feels slow this week: filters take 10–20 seconds to apply. Several of us see it, on {browser}.",
    ],
    questions: [
      "Could you share the link to the slow dashboard and the filters you use most? Then we can look at the queries behind it.",
    ],
    answers: ["Here's the link: {url}. We usually filter on region and the last 90 days."],
    solutions: [
      "One widget queried 3 years of raw events without aggregation. I've added a pre-aggregated table for it; the dashboard now loads in about {seconds} seconds.",
      "Your data source grew past the size our default cache covers. We've moved your workspace to a larger cache tier; filters apply in under two seconds again.",
    ],
    notes: ["Query plan shows full scan on events table ({rows} rows). Suggest aggregate."],
    hold: "engineering",
  },
  {
    key: "query-timeout",
    products: ["Analytics Cloud"],
    category: "Performance",
    queue: "bugs",
    weight: 3,
    tags: ["performance", "timeout"],
    subjects: [
      "Report times out after 60 seconds",
      "'Query exceeded time limit' error",
      "Large report never finishes",
    ],
    descriptions: [
      "Our monthly revenue report fails with 'Query exceeded time limit' since we added the {connector} data.",
      "The yearly report times out every time. Smaller date ranges work.",
    ],
    questions: [
      "Roughly how many rows does the report cover? The row count is shown under the report's Details tab.",
    ],
    answers: ["About {rows} rows."],
    solutions: [
      "At that size the report needs an extract rather than a live query. I've set up a nightly extract; the report runs in seconds now.",
      "We raised the query time limit for your workspace to 5 minutes and added an index on the date column; the yearly report finishes in about {seconds} seconds.",
    ],
  },
  {
    key: "mobile-slow",
    products: ["Mobile App"],
    category: "Performance",
    queue: "bugs",
    weight: 2,
    priority: LOW_STAKES,
    tags: ["mobile", "performance"],
    subjects: [
      "Mobile app takes ages to refresh",
      "App very slow on Android",
      "Mobile dashboards load slowly on 4G",
    ],
    descriptions: [
      "On the mobile app, refreshing a dashboard takes 30+ seconds, on the laptop it's instant. Phone is {os}.",
      "Since the last update the app is very slow for our field team.",
    ],
    questions: ["Which app version do you have (Settings > About)?"],
    answers: ["Version {version}."],
    solutions: [
      "Version {version} downloaded full-resolution charts on mobile data. {versionFixed} (out today) fixes it; after updating, refresh takes a couple of seconds.",
    ],
    hold: "engineering",
  },

  // ---- data export ----
  {
    key: "csv-export-truncated",
    products: ["Analytics Cloud", "Dashboards"],
    category: "Data export",
    queue: "howto",
    weight: 5,
    tags: ["export", "csv"],
    subjects: [
      "CSV export cuts off at 10,000 rows",
      "Export incomplete – missing rows",
      "Excel export only has the first page",
    ],
    descriptions: [
      "When we export the '{dashboard}' table to CSV we only get 10,000 rows, but the table has about {rows}.",
      "The Excel export of our customer list stops partway through. We need the full list for an audit.",
    ],
    questions: [],
    answers: [],
    solutions: [
      "Exports from a table widget are limited to 10,000 rows. For the full data, use Export > Full data from the widget's menu: it's emailed to you as a file when ready.",
      "The full export runs in the background for large tables. I've started one for you; the download link arrives by email within a few minutes.",
    ],
  },
  {
    key: "export-encoding",
    products: ["Analytics Cloud"],
    category: "Data export",
    queue: "howto",
    weight: 2,
    priority: LOW_STAKES,
    tags: ["export", "encoding"],
    subjects: [
      "Umlauts broken in Excel export",
      "Special characters garbled in CSV",
      "Accents wrong when opening the export",
    ],
    descriptions: [
      "When we open the CSV export in Excel, names like 'Müller' show up as 'MÃ¼ller'.",
      "Accented characters in our product names are garbled in the export.",
    ],
    questions: [],
    answers: [],
    solutions: [
      "Excel assumes the old Windows encoding for CSV. Choose 'CSV (UTF-8 with BOM)' as export format and Excel shows the characters correctly.",
    ],
  },
  {
    key: "scheduled-report",
    products: ["Dashboards"],
    category: "Data export",
    queue: "howto",
    weight: 3,
    tags: ["scheduled-report", "email-delivery"],
    subjects: ["Scheduled report email not delivered", "Scheduled report arrived empty"],
    descriptions: [
      "Our weekly '{dashboard}' report used to arrive every Monday at 8:00. The last two weeks, nothing.",
      "This morning's scheduled report had an empty PDF attached.",
    ],
    questions: [
      "Who owns the schedule? If the owner's user was deactivated, schedules stop.",
      "Which dashboard is it, and what time is the schedule set to?",
    ],
    answers: ["It was {colleague}, who left last month.", "It's '{dashboard}', every morning at 7:00."],
    solutions: [
      "The schedule belonged to a deactivated user, so it stopped. I've moved it to you and sent this week's report manually.",
      "The PDF was rendered before the nightly data load finished. I've moved the schedule to 9:00; this morning's rerun has all the data.",
    ],
  },
  {
    key: "gdpr-export",
    products: ["Analytics Cloud"],
    category: "Data export",
    queue: "general",
    weight: 1,
    priority: LOW_STAKES,
    tags: ["gdpr", "export"],
    subjects: ["Full export of our data (GDPR request)", "Delete a former employee's personal data"],
    descriptions: [
      "Our DPO asks for a full export of all personal data you hold about our users, under Article 15 GDPR.",
      "Please delete all personal data of a former employee, {colleague}, from your systems and confirm.",
    ],
    questions: [
      "For requests like this we need written confirmation from a workspace admin. Could an admin reply here?",
    ],
    answers: ["Confirmed, I'm the workspace admin."],
    solutions: [
      "The export is ready; the download link (valid 7 days) went to the admin's email. Our DPA describes what it contains.",
      "The personal data is deleted and the deletion is recorded in your workspace's audit log. Backups roll over within 30 days.",
    ],
  },

  // ---- how-to ----
  {
    key: "share-dashboard",
    products: ["Dashboards"],
    category: "How-to",
    queue: "howto",
    weight: 5,
    priority: LOW_STAKES,
    tags: ["how-to", "sharing"],
    subjects: ["How do I share a dashboard with a client?", "Embedding a dashboard in our intranet"],
    descriptions: [
      "We want to share the '{dashboard}' dashboard with a client without giving them a full licence. Is that possible?",
      "Can we embed a dashboard in our intranet page so people don't have to log in separately?",
    ],
    questions: [],
    answers: [],
    solutions: [
      "Yes: use Share > Public link with a password, or invite them as a free Viewer (read-only, no licence). Links can expire automatically.",
      "Dashboards can be embedded with Share > Embed; with SSO enabled, your intranet users are signed in automatically. The embed code is under the dashboard's menu.",
    ],
  },
  {
    key: "calculated-field",
    products: ["Analytics Cloud", "Dashboards"],
    category: "How-to",
    queue: "howto",
    weight: 4,
    priority: LOW_STAKES,
    tags: ["how-to", "formulas"],
    subjects: ["How to create a calculated field for margin?", "Formula for year-over-year growth"],
    descriptions: [
      "We'd like a 'margin %' column computed from revenue and cost. Where do we define that?",
      "How do I show year-over-year growth in a chart? I tried a formula but get an error.",
    ],
    questions: ["Could you send a screenshot of the formula you tried and the error?"],
    answers: ["Screenshot attached. The error says 'Unknown function LAG'."],
    solutions: [
      "Use Data > Add calculated field with (revenue - cost) / revenue and format it as a percentage. I've attached a two-minute video.",
      "Year-over-year is built in: in the chart's measure menu choose 'Compare with > Same period last year'. No formula needed.",
    ],
  },
  {
    key: "timezone-reports",
    products: ["Analytics Cloud", "Dashboards"],
    category: "How-to",
    queue: "howto",
    weight: 2,
    priority: LOW_STAKES,
    tags: ["how-to", "time-zone"],
    subjects: [
      "Reports show UTC instead of local time",
      "Daily totals cut off at the wrong hour",
      "Time zone setting for dashboards",
    ],
    descriptions: [
      "Our daily totals seem to start at 1 am instead of midnight. Is the report in UTC?",
      "Times in our dashboards are one hour off since the clocks changed.",
    ],
    questions: [],
    answers: [],
    solutions: [
      "The workspace time zone was still UTC. I've set it to {timeZone}; daily totals now start at local midnight.",
      "Each data source can have its own time zone. Yours was set to a fixed offset, which doesn't follow daylight saving; switching it to {timeZone} fixes it.",
    ],
  },

  // ---- bugs ----
  {
    key: "wrong-totals",
    products: ["Dashboards", "Analytics Cloud"],
    category: "Bug",
    queue: "bugs",
    weight: 4,
    tags: ["bug", "data-quality"],
    subjects: ["Totals in the chart don't match the table", "Revenue doubled in '{dashboard}'"],
    descriptions: [
      "The bar chart on '{dashboard}' shows {amount} for last month, but the table below it shows a different total. Which one is right?",
      "Since {date} revenue in '{dashboard}' looks exactly twice as high as in our ERP.",
    ],
    questions: [
      "Does the chart use a different filter from the table? Could you send a screenshot of both filter panels?",
    ],
    answers: ["Same filters as far as I can see, screenshots attached."],
    solutions: [
      "The chart counted cancelled orders, the table didn't. I've aligned both to exclude cancellations.",
      "The join to the orders table duplicated rows for orders with two shipments. We've fixed the model; the totals match again.",
    ],
    notes: ["Reproduced: duplicate rows from one-to-many join on shipments. Engineering ticket {ticket}."],
    hold: "engineering",
  },
  {
    key: "mobile-crash",
    products: ["Mobile App"],
    category: "Bug",
    queue: "bugs",
    weight: 3,
    priority: [
      ["normal", 55],
      ["high", 40],
      ["urgent", 5],
    ],
    tags: ["mobile", "crash"],
    subjects: [
      "Mobile app crashes when opening a dashboard",
      "App closes immediately on {os}",
      "Crash after latest update",
    ],
    descriptions: [
      "The app crashes every time I open the '{dashboard}' dashboard. Other dashboards open fine. Phone: {os}, app {version}.",
      "Since the update yesterday the app closes right after the splash screen.",
    ],
    questions: [
      "Could you send the crash report? Settings > Help > Send diagnostics puts it in an email to us.",
    ],
    answers: ["Diagnostics sent from my phone just now."],
    solutions: [
      "The crash came from a map widget with an empty region. {versionFixed} is in the stores now and fixes it.",
      "Thanks to your report we found it: a chart with more than 50 series crashed the app. Fixed in {versionFixed}.",
    ],
    hold: "engineering",
  },
  {
    key: "date-filter-bug",
    products: ["Dashboards"],
    category: "Bug",
    queue: "bugs",
    weight: 2,
    priority: LOW_STAKES,
    tags: ["bug", "filters"],
    subjects: ["'Last month' filter includes today", "Week filter starts on Sunday"],
    descriptions: [
      "When I pick 'Last month' in the date filter, today's data is included too.",
      "Our weekly charts start on Sunday, but we work Monday to Sunday.",
    ],
    questions: [],
    answers: [],
    solutions: [
      "The week start is a workspace setting; I've set it to Monday. The 'Last month' issue is a bug we fixed in today's release.",
    ],
    hold: "engineering",
  },
  {
    key: "login-page-error",
    products: ["Analytics Cloud"],
    category: "Outage",
    queue: "incidents",
    weight: 2,
    priority: [
      ["high", 50],
      ["urgent", 50],
    ],
    tags: ["availability"],
    subjects: ["Is Analytics Cloud down?", "Getting 502 Bad Gateway", "Can't reach the app at all"],
    descriptions: [
      "We get '502 Bad Gateway' when opening Analytics Cloud, for everyone in our office. Is there a problem on your side?",
      "The app doesn't load at all this morning, only a blank page.",
    ],
    questions: [
      "Could you tell us your workspace URL and whether it also fails from another network (e.g. a phone on 4G)?",
    ],
    answers: ["It fails on 4G too.", "It works on 4G but not from the office."],
    solutions: [
      "There was a short disruption in one of our regions between {time} and {timeEnd} UTC, now resolved. Sorry for the interruption.",
      "It works from other networks: your office proxy blocks our new CDN address. Allow-listing *.cdn.analytics-cloud.example fixes it.",
    ],
  },

  // ---- onboarding ----
  {
    key: "onboarding-warehouse",
    products: ["Data Connectors", "Analytics Cloud"],
    category: "Onboarding",
    queue: "onboarding",
    weight: 3,
    priority: LOW_STAKES,
    tags: ["onboarding", "warehouse"],
    subjects: [
      "Onboarding: connecting our data warehouse",
      "Help setting up {connector} during onboarding",
      "Which connector for our warehouse?",
    ],
    descriptions: [
      "We're in our first weeks with you and want to connect our {connector} warehouse. Which permissions does the connector's user need?",
      "As part of onboarding we want to load our {connector} data. Could someone walk us through the setup?",
    ],
    questions: ["Would a 30-minute call this week suit you? Please suggest two slots."],
    answers: ["Thursday 10:00 or Friday 14:00 our time work for us."],
    solutions: [
      "Thanks for the call today. As agreed: the connector uses a read-only role on the analytics schema, the first sync has finished, and the onboarding checklist is updated.",
      "The connector is set up with a read-only user and the first full load is done. Next onboarding step: building your first dashboard together.",
    ],
  },
  {
    key: "training",
    products: ["Analytics Cloud", "Dashboards"],
    category: "Onboarding",
    queue: "onboarding",
    weight: 2,
    priority: LOW_STAKES,
    tags: ["training"],
    subjects: [
      "Training session for our new analysts",
      "Can you run a workshop on dashboards?",
      "Training material for new users",
    ],
    descriptions: [
      "We have {n} new analysts joining. Could you run a training session for them in the next few weeks?",
      "Do you have training videos or a workshop for people who build dashboards?",
    ],
    questions: ["How many people, and which topics matter most to them?"],
    answers: ["About {n} people; mainly building dashboards and sharing them."],
    solutions: [
      "The workshop is booked; the invitation went to everyone on your list. The recording and slides will be shared afterwards.",
      "I've sent you links to our video course and the knowledge base articles for dashboard builders, and booked a Q&A session.",
    ],
  },
  {
    key: "sandbox",
    products: ["Analytics Cloud"],
    category: "Onboarding",
    queue: "onboarding",
    weight: 1,
    priority: LOW_STAKES,
    tags: ["sandbox"],
    subjects: ["Can we get a test workspace?", "Sandbox for testing changes", "Staging environment request"],
    descriptions: [
      "We'd like to test changes to our data model before rolling them out. Is a sandbox workspace available?",
    ],
    questions: [],
    answers: [],
    solutions: [
      "Your sandbox is ready: a copy of your workspace as of today, refreshed monthly. Access details went to your admins.",
    ],
  },

  // ---- feature requests ----
  {
    key: "feature-request",
    products: ["Dashboards", "Analytics Cloud", "Mobile App", "Public API", "Data Connectors"],
    category: "Feature request",
    queue: "general",
    weight: 5,
    priority: [
      ["low", 70],
      ["normal", 30],
    ],
    tags: ["feature-request"],
    subjects: [
      "Feature request: export dashboards to PowerPoint",
      "Request: SCIM user provisioning",
      "Could you add a dark mode?",
      "Allow more than 10 filters per dashboard",
      "Feature request: {connector} connector",
      "Please support custom colour palettes",
    ],
    descriptions: [
      "Our management team wants the monthly dashboards as slides. An export to PowerPoint would save us hours each month.",
      "We'd love to provision users automatically from our identity provider (SCIM). Is that on the roadmap?",
      "Several of our analysts asked for a dark mode. Any plans?",
      "Our sales dashboards need more than 10 filters; we hit the limit every week.",
      "We'd like to connect our {connector} data directly, without going through a CSV upload.",
      "Our brand guidelines require our own colours in charts. Could dashboards support a custom palette?",
    ],
    questions: [
      "Could you tell us a little about how your team would use it? It helps the product team prioritise.",
    ],
    answers: [
      "About {n} people would use it every day; today they work around it by hand, which costs us hours each week.",
    ],
    solutions: [
      "Good news: this shipped in today's release. You'll find it in the dashboard's menu. Thanks for the suggestion!",
      "I've passed this to our product team with your use case; it's now on the public roadmap, where you can follow it. I'll resolve this case, and we'll email you when it ships.",
    ],
    hold: "product",
  },
];

/** The problems by key. */
export const PROBLEM_BY_KEY: ReadonlyMap<string, CaseProblem> = new Map(CASE_PROBLEMS.map((p) => [p.key, p]));

// ---- the turns of a conversation, shared by every problem ----

export const CUSTOMER_GREETINGS = [
  "Hi,",
  "Hello,",
  "Hi there,",
  "Hello support team,",
  "Good morning,",
  "Dear support,",
];
/** Once an agent has answered, the customer writes to them by name. */
export const CUSTOMER_FOLLOW_GREETINGS = [
  "Hi {agent},",
  "Hello {agent},",
  "Hi {agent}, thanks for getting back to me.",
  "Hi,",
];
export const CUSTOMER_SIGNOFFS = [
  "Thanks,",
  "Best regards,",
  "Kind regards,",
  "Many thanks,",
  "Best,",
  "Cheers,",
];
export const AGENT_GREETINGS = ["Hi {first},", "Hello {first},", "Dear {first},"];
export const AGENT_ACKS = [
  "Thanks for getting in touch.",
  "Thanks for reaching out, and sorry for the trouble.",
  "Thank you for the details.",
  "Thanks for flagging this.",
  "Sorry to hear about this, let's get it sorted.",
];
export const AGENT_FOLLOW_ACKS = [
  "Thanks, that helps.",
  "Thank you for sending that over.",
  "Great, thanks for checking.",
];
export const AGENT_CLOSINGS = [
  "Let me know if anything else comes up.",
  "If you have any other questions, just reply to this email.",
  "I hope this helps. I'll mark this case as resolved, but feel free to reply if you need anything else.",
  "Happy to help if anything else comes up.",
];
export const AGENT_SIGNOFFS = ["Best regards,", "Kind regards,", "Best,", "Thanks,"];

/** What a customer writes after the fix, while the case is still open (it is resolved after). */
export const CUSTOMER_CONFIRMATIONS = [
  "That fixed it, thank you!",
  "Works now. Thanks for the quick help.",
  "Confirmed, all good on our side.",
  "Perfect, that's exactly what we needed.",
  "Thanks, I can see it now.",
];
/** A customer coming back after a case was resolved: the problem was not gone. */
export const CUSTOMER_COMEBACKS = [
  "Sorry, I have to reopen this: it's happening again since this morning.",
  "Unfortunately the problem is back. Same error as before.",
  "It worked for a day, but now we see the same thing again.",
];
export const CUSTOMER_CHASERS = [
  "Any update on this? It's blocking us.",
  "Just following up: is there any news?",
  "Could someone please look at this? We're still waiting for an answer.",
];
/** A first answer that says someone is on it, when the fix takes longer. */
export const AGENT_WORKING = [
  "I'm looking into this now and will come back to you as soon as I know more.",
  "I've reproduced the problem and I'm working on it with our technical team. I'll update you here.",
  "We're checking this on our side and will get back to you within one business day.",
  "I've started looking at this; there's nothing you need to do for now.",
];
export const AGENT_UPDATES = [
  "Quick update: our engineers have reproduced the problem and are working on a fix. I'll keep you posted here.",
  "We're still looking into this. There's nothing you need to do in the meantime.",
  "I've asked a specialist colleague to take a look and will come back to you as soon as I know more.",
];
export const AGENT_REOPEN_REPLIES = [
  "Sorry it's back. I've reopened the case and we're looking at it again right away.",
  "Thanks for letting us know. I've reopened this and passed it straight to the team that fixed it last time.",
];
export const AGENT_NO_ANSWER = [
  "As we haven't heard back, I'll resolve this case for now. Just reply to this email if you still need help and it reopens.",
  "I'm closing the loop on this one since we haven't heard back. Reply any time and we'll pick it up again.",
];
export const HOLD_REPLIES: Record<HoldReason, readonly string[]> = {
  engineering: [
    "I've passed this to our engineering team as {ticket}. I'm putting the case on hold until they have a fix, and I'll update you here.",
    "Our engineers are on it ({ticket}). The case is on hold while they work on a fix; you don't need to do anything.",
  ],
  product: [
    "I've logged this with our product team ({ticket}). I'll keep the case on hold and let you know when there's a decision.",
    "Thanks for the suggestion! It's with our product managers now ({ticket}); the case stays on hold until we hear back.",
  ],
  finance: [
    "This needs approval from our finance team. I've asked them and put the case on hold; I'll come back to you within a few days.",
  ],
};
export const HOLD_NOTES: Record<HoldReason, readonly string[]> = {
  engineering: ["Escalated to engineering: {ticket}.", "Bug filed as {ticket}, linked to this case."],
  product: ["Added to product feedback board as {ticket}; {n} other customers asked for the same."],
  finance: ["Finance approval requested for a credit/refund."],
};
export const GENERIC_NOTES = [
  "Checked the account: {tier} customer, account manager is {accountManager}.",
  "Customer called about this as well, told them we're on it.",
  "Similar case last month for this account, same cause.",
  "Asked {colleagueAgent} from Technical Support for a second opinion.",
  "Looked at the logs for {time}–{timeEnd} UTC, nothing unusual on our side.",
];
export const PHONE_SUMMARY_PREFIXES = [
  "Phone call from {contact}:",
  "Call with {contact}. Summary:",
  "{contact} called:",
];
/** Extra labels a team puts on some cases, whatever the problem. */
export const EXTRA_TAGS: Weighted<string> = [
  ["escalated", 3],
  ["angry-customer", 1],
  ["churn-risk", 1],
  ["follow-up", 3],
  ["documentation", 2],
];

// ---- what placeholders are filled with ----

export const CONNECTORS = [
  "Salesforce",
  "HubSpot",
  "Snowflake",
  "BigQuery",
  "Shopify",
  "NetSuite",
  "Google Sheets",
  "PostgreSQL",
  "SAP",
  "Microsoft Dynamics",
  "Stripe",
  "Zendesk",
];
export const IDPS = ["Okta", "Azure AD", "Google Workspace", "OneLogin", "JumpCloud"];
export const BROWSERS = ["Chrome", "Firefox", "Safari", "Edge"];
export const MOBILE_OS = ["iOS 17.5", "iOS 18.1", "Android 14", "Android 15", "iPadOS 17"];
export const DASHBOARDS = [
  "Weekly Sales",
  "Regional KPIs",
  "Board Pack",
  "Churn Overview",
  "Inventory Levels",
  "Marketing Funnel",
  "Support Metrics",
  "Cash Flow",
  "Store Performance",
  "Pipeline Review",
];
export const SYNC_ERRORS = [
  "Authentication failed",
  "Request timed out after 300s",
  "Field 'LastModifiedDate' not found",
  "Quota exceeded",
  "Connection reset by peer",
  "Invalid date format in column 'created'",
];
export const COLLEAGUE_NAMES = [
  "Sam",
  "Alex",
  "Priya",
  "Jonas",
  "Marie",
  "Tom",
  "Lena",
  "Carlos",
  "Aisha",
  "Ben",
  "Sofia",
  "Daniel",
  "Mei",
  "Lukas",
  "Hannah",
];

// ---- incidents: one problem, many reports, a parent case linking them ----

export type IncidentPlan = {
  key: string;
  product: Product;
  /** The parent case's subject and description (written by the team that runs the incident). */
  title: string;
  description: string;
  tags: readonly string[];
  /** When it started: days before the seed's reference day, at this UTC hour. */
  daysAgo: number;
  startHourUtc: number;
  /** How long until it was fixed; null: still going on at the reference day. */
  durationHours: number | null;
  /** Child cases: customers reporting it. */
  reports: number;
  /** Reporters come from these countries when there are enough of them. */
  countries?: readonly string[];
  reportSubjects: readonly string[];
  reportDescriptions: readonly string[];
  /** The reply every reporter gets while it is being fixed. */
  acknowledgements: readonly string[];
  /** Internal updates on the parent while it runs. */
  updates: readonly string[];
  rootCause: string;
  /** The reply every reporter gets once it is fixed. */
  resolutions: readonly string[];
};

export const INCIDENTS: readonly IncidentPlan[] = [
  {
    key: "eu-dashboards-outage",
    product: "Dashboards",
    title: "Major incident: dashboards not loading in the EU region",
    description:
      "Since about 08:20 UTC dashboards in the EU region fail to load (HTTP 503 or endless spinner). Analytics Cloud queries and the API are affected too. Link every customer report to this case.",
    tags: ["incident", "outage", "eu-region"],
    daysAgo: 38,
    startHourUtc: 8.33,
    durationHours: 3.2,
    reports: 20,
    countries: ["GB", "DE", "FR", "NL", "ES", "IT", "SE", "IE", "CH", "AT", "BE", "PL", "NO", "DK"],
    reportSubjects: [
      "Dashboards won't load",
      "Getting 503 on all dashboards",
      "Is Analytics Cloud down?",
      "Nothing loads this morning",
      "URGENT: board meeting in an hour and dashboards are down",
      "Endless spinner on every dashboard",
    ],
    reportDescriptions: [
      "None of our dashboards load since this morning, we only get 'Service unavailable (503)'. Is there an outage?",
      "All dashboards show a spinner that never finishes. Tried different browsers and networks.",
      "We have our board meeting at 11:00 and can't open the Board Pack dashboard. Please help urgently.",
      "Our team can't work: Analytics Cloud doesn't respond at all.",
    ],
    acknowledgements: [
      "We're aware of a problem that stops dashboards loading in our EU region, and our engineers are working on it right now. I've linked your case to the incident, so you'll hear from us here as soon as it's fixed.",
      "Sorry for the disruption: an incident in our EU region is affecting dashboards for several customers. Our team is on it and I'll update you here the moment it's resolved.",
    ],
    updates: [
      "Update: load balancer health checks failing for the EU dashboard service; failover to secondary started.",
      "Update: failover incomplete, certificate on the secondary load balancer expired overnight. Renewing.",
      "Update: new certificate deployed, traffic recovering. Monitoring error rates.",
    ],
    rootCause:
      "Resolved: root cause was an expired TLS certificate on the EU load balancer pair after an automated renewal failed silently. Certificate renewed, alerting on expiry added. Post-mortem to follow.",
    resolutions: [
      "Good news: the incident is resolved and dashboards load normally again. The cause was an expired certificate on one of our load balancers; we've added monitoring so it can't happen unnoticed again. Sorry for the disruption to your morning.",
      "The problem is fixed: dashboards in the EU region are back to normal. We'll publish a post-mortem on our status page. Please let us know if you still see errors.",
    ],
  },
  {
    key: "salesforce-api-retirement",
    product: "Data Connectors",
    title: "Salesforce connector: syncs failing after Salesforce API version retirement",
    description:
      "Salesforce retired API version 43 last night; our connector still requests it for some objects, so nightly syncs fail with 'UNSUPPORTED_API_VERSION'. Fix: move the connector to API v60.",
    tags: ["incident", "connector", "salesforce"],
    daysAgo: 12,
    startHourUtc: 6.1,
    durationHours: 30,
    reports: 6,
    reportSubjects: [
      "Salesforce sync failing: UNSUPPORTED_API_VERSION",
      "Salesforce data not updated overnight",
      "Salesforce connector error since this morning",
    ],
    reportDescriptions: [
      "Last night's Salesforce sync failed with 'UNSUPPORTED_API_VERSION'. Our pipeline dashboards show yesterday's numbers.",
      "The Salesforce connector shows an error on every run since this morning. We haven't changed anything.",
    ],
    acknowledgements: [
      "Thanks for reporting this. Salesforce retired an API version our connector still used for some objects; our engineers are moving the connector to the current version. I've linked your case to the incident and will update you here.",
    ],
    updates: [
      "Update: affected objects identified (Opportunity history, Campaign members). Patch in review.",
      "Update: patch deployed to staging, backfill job prepared for missed syncs.",
    ],
    rootCause:
      "Resolved: connector moved to Salesforce API v60 and missed syncs backfilled for all affected workspaces.",
    resolutions: [
      "The Salesforce connector is fixed and we've backfilled the syncs that failed, so your data is complete again. Sorry for the inconvenience.",
    ],
  },
  {
    key: "ios-crash",
    product: "Mobile App",
    title: "Mobile App crashes on launch after the iOS 18.2 update",
    description:
      "Since iOS 18.2 rolled out, the Mobile App crashes right after the splash screen for some users (crash in the chart renderer). Fix in progress for app version 5.3.1; link all reports here.",
    tags: ["incident", "mobile", "crash"],
    daysAgo: 1,
    startHourUtc: 13.5,
    durationHours: null,
    reports: 5,
    reportSubjects: [
      "Mobile app crashes after iOS update",
      "App closes immediately on iPhone",
      "Can't open the app since updating iOS",
    ],
    reportDescriptions: [
      "Since updating my iPhone to iOS 18.2 the app closes right after starting. Reinstalling didn't help.",
      "Several of our sales team can't open the app on their iPhones since yesterday.",
    ],
    acknowledgements: [
      "Thanks for letting us know. The latest iOS update causes the app to crash on start for some users; a fixed version is being prepared. I've linked your case to the incident and will let you know here as soon as the update is in the App Store.",
    ],
    updates: ["Update: crash reproduced on iOS 18.2 in the chart renderer; fix in review for 5.3.1."],
    rootCause: "Resolved: 5.3.1 released with the fix.",
    resolutions: ["Version 5.3.1 is in the App Store and fixes the crash. Please update the app."],
  },
];
