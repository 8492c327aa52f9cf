-- The email channel: inbound mail (kept raw before anything else), threading by Message-ID and
-- by a marker token per case, the customer notification templates, and the log of automatic
-- mail that loop protection counts.

-- Every message the SMTP listener accepted, stored raw in its own transaction before it is
-- parsed; a `email.inbound` timer then processes it. Never deleted by the application:
-- quarantined mail waits for an admin to retry or discard it.
create table inbound_mail (
  id uuid primary key,
  -- When our server received it (our clock): the case's receivedAt.
  received_at timestamptz not null,
  raw bytea not null,
  size integer not null,
  envelope_from text,
  envelope_to text[] not null default '{}',
  remote_address text,
  status text not null default 'pending'
    check (status in ('pending', 'processed', 'quarantined', 'duplicate', 'discarded')),
  attempts integer not null default 0,
  -- Why it is quarantined (or what the last failed attempt said).
  error text,
  -- Filled when parsed: the Message-ID (a synthetic one from the raw bytes when it has none).
  message_id text,
  from_address text,
  subject text,
  -- auto_reply, bounce, list, bulk, automatic_sender, own_address …
  flags text[] not null default '{}',
  -- The whole text, quoted history included (the case message keeps only the new part).
  full_text text,
  case_id uuid references cases (id) on delete set null,
  case_message_id uuid,
  -- How it found its case: in_reply_to, references, marker, subject_number, new_case …
  threaded_by text,
  processed_at timestamptz
);
create index inbound_mail_list_idx on inbound_mail (received_at desc, id desc);
create index inbound_mail_status_idx on inbound_mail (status, received_at desc, id desc);
create index inbound_mail_case_idx on inbound_mail (case_id) where case_id is not null;

-- Message-ID → case, for the mail we sent (replies, notifications) and the mail we received:
-- what In-Reply-To and References are matched against. The key also deduplicates inbound mail.
create table email_message_ids (
  message_id text primary key,
  case_id uuid not null references cases (id) on delete cascade,
  direction text not null check (direction in ('in', 'out')),
  inbound_mail_id uuid,
  outbound_mail_id uuid,
  case_message_id uuid,
  created_at timestamptz not null
);
create index email_message_ids_case_idx on email_message_ids (case_id, created_at, message_id);

-- Per case: the token of the hidden marker `[ref:CS-000123:token]` we put in outgoing mail, and
-- whether automatic mail to its contact is held back (the case came from an automatic sender).
create table email_threads (
  case_id uuid primary key references cases (id) on delete cascade,
  ref_token text not null unique,
  no_auto_mail_reason text,
  created_at timestamptz not null
);

-- Admin edits of the customer notification templates; a moment without a row uses the default.
create table email_templates (
  moment text primary key check (moment in ('received', 'assigned', 'waiting', 'resolved')),
  enabled boolean not null,
  subject text not null,
  body text not null,
  updated_at timestamptz not null,
  updated_by uuid references users (id) on delete set null
);

-- Every automatic mail to a customer, sent or held back and why: the per-address cap counts
-- the sent ones.
create table email_auto_mail (
  id uuid primary key,
  case_id uuid references cases (id) on delete set null,
  moment text not null,
  to_address text not null,
  status text not null check (status in ('sent', 'suppressed')),
  reason text,
  outbound_mail_id uuid,
  created_at timestamptz not null
);
create index email_auto_mail_cap_idx on email_auto_mail (lower(to_address), created_at) where status = 'sent';
create index email_auto_mail_case_idx on email_auto_mail (case_id, created_at);
