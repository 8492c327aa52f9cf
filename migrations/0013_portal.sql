-- Channels beyond email: the customer portal (sign-in links, portal sessions), escalations to a
-- manager, and the public web form. Rules in src/modules/portal/README.md,
-- src/modules/escalations/README.md and src/modules/web-form/README.md.

-- Every request for a sign-in link, known email or not: the rate limit counts these, so asking
-- for links reveals nothing and cannot flood a mailbox.
create table portal_link_requests (
  id uuid primary key,
  email text not null,
  ip text,
  contact_id uuid references contacts (id) on delete cascade,
  created_at timestamptz not null
);
create index portal_link_requests_email_idx on portal_link_requests (lower(email), created_at);
create index portal_link_requests_ip_idx on portal_link_requests (ip, created_at);

-- One-time sign-in links: only the SHA-256 of the token is stored; used once, then spent.
create table portal_sign_in_tokens (
  id uuid primary key,
  token_hash text not null unique,
  contact_id uuid not null references contacts (id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index portal_sign_in_tokens_contact_idx on portal_sign_in_tokens (contact_id);

-- Portal sessions: a separate identity from staff sessions (cookie kd_portal).
create table portal_sessions (
  id uuid primary key,
  token_hash text not null unique,
  contact_id uuid not null references contacts (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  last_seen_at timestamptz not null,
  ip text,
  user_agent text
);
create index portal_sessions_contact_idx on portal_sessions (contact_id);

-- A customer (or staff on their behalf) asked for a manager. Open while closed_at is null;
-- closed when the case resolves or closes.
create table case_escalations (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  account_id uuid references accounts (id) on delete cascade,
  contact_id uuid references contacts (id) on delete set null,
  reason text not null check (length(reason) between 1 and 2000),
  raised_by_contact_id uuid references contacts (id) on delete set null,
  raised_by_user_id uuid references users (id) on delete set null,
  created_at timestamptz not null,
  closed_at timestamptz
);
create index case_escalations_case_idx on case_escalations (case_id);
create index case_escalations_open_contact_idx on case_escalations (contact_id) where closed_at is null;
create index case_escalations_open_account_idx on case_escalations (account_id) where closed_at is null;

-- Web form posts, kept for the per-IP rate limit and to see spam that was turned away.
create table web_form_submissions (
  id uuid primary key,
  ip text,
  outcome text not null check (outcome in ('created', 'spam')),
  case_id uuid references cases (id) on delete set null,
  email text,
  created_at timestamptz not null
);
create index web_form_submissions_ip_idx on web_form_submissions (ip, created_at);
