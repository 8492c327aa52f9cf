-- Announcements of new services to segments of customers, and the contacts' opt-out.
-- Rules in src/modules/announcements/README.md.

-- A contact's communication preferences: one row once anything was set. Opted out of
-- announcements while announcements_opt_out_at is set. Service mail (case replies, status
-- mails, surveys) never looks here.
create table contact_communication_preferences (
  contact_id uuid primary key references contacts (id) on delete cascade,
  announcements_opt_out_at timestamptz,
  -- Who made the last change: the emailed link, staff, or the contact in the portal.
  source text not null check (source in ('link', 'staff', 'portal')),
  updated_by_id uuid references users (id) on delete set null,
  updated_at timestamptz not null
);
create index contact_comm_prefs_opted_out_idx on contact_communication_preferences (contact_id)
  where announcements_opt_out_at is not null;

-- Every change of a preference: who, when, how.
create table contact_communication_preference_changes (
  id uuid primary key,
  contact_id uuid not null references contacts (id) on delete cascade,
  announcements boolean not null,
  source text not null check (source in ('link', 'staff', 'portal')),
  changed_by_id uuid references users (id) on delete set null,
  announcement_id uuid,
  changed_at timestamptz not null
);
create index contact_comm_pref_changes_idx on contact_communication_preference_changes (contact_id, changed_at desc);

create table announcements (
  id uuid primary key,
  subject text not null check (char_length(subject) between 1 and 200),
  body text not null check (char_length(body) between 1 and 20000),
  -- A Segment (src/modules/segments/segments.ts), normalised.
  segment jsonb not null,
  -- Only contacts whose language is one of these; null: any language.
  languages text[],
  status text not null check (status in ('draft', 'scheduled', 'sending', 'sent', 'cancelled')),
  scheduled_for timestamptz,
  sending_started_at timestamptz,
  sent_at timestamptz,
  cancelled_at timestamptz,
  created_by_id uuid references users (id) on delete set null,
  sent_by_id uuid references users (id) on delete set null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((status = 'scheduled') = (scheduled_for is not null))
);
create index announcements_list_idx on announcements (created_at desc, id desc);
create index announcements_status_idx on announcements (status, created_at desc);

-- The recipient list, fixed when sending starts. Opted-out contacts are recorded as skipped.
create table announcement_recipients (
  announcement_id uuid not null references announcements (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  account_id uuid not null references accounts (id) on delete cascade,
  email text not null,
  name text not null,
  status text not null check (status in ('pending', 'sent', 'skipped')),
  skip_reason text check (skip_reason in ('opted_out')),
  -- SHA-256 of the emailed unsubscribe token (made when the mail is written).
  token_hash text unique,
  mail_id uuid,
  created_at timestamptz not null,
  sent_at timestamptz,
  primary key (announcement_id, contact_id),
  check ((status = 'skipped') = (skip_reason is not null))
);
create index announcement_recipients_status_idx on announcement_recipients (announcement_id, status, email);
create index announcement_recipients_contact_idx on announcement_recipients (contact_id);
