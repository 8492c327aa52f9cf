-- Activities: tasks, phone calls, appointments and promises made to customers, each with an
-- owner and (usually) a customer: a case, its contact and account. Rules and lifecycle in
-- src/modules/activities/README.md.

create table activities (
  id uuid primary key,
  type text not null check (type in ('task', 'call', 'appointment', 'promise')),
  subject text not null check (length(subject) between 1 and 500),
  notes text,
  status text not null check (status in ('open', 'done', 'kept', 'broken', 'cancelled')),
  owner_id uuid references users (id) on delete set null,
  created_by_id uuid references users (id) on delete set null,
  case_id uuid references cases (id) on delete set null,
  account_id uuid references accounts (id) on delete cascade,
  contact_id uuid references contacts (id) on delete set null,
  -- When it is due or happens: a task's or promise's due time, an appointment's start (kept
  -- equal to starts_at), a logged call's time. One column, so lists and "my day" sort on it.
  due_at timestamptz,
  starts_at timestamptz,
  ends_at timestamptz,
  -- Calls.
  direction text check (direction in ('in', 'out')),
  duration_seconds integer check (duration_seconds between 0 and 86400),
  outcome text,
  -- Appointments: a place or a link, and who is invited ([{type, userId?, contactId?, email, name}]).
  location text,
  meeting_url text,
  attendees jsonb not null default '[]'::jsonb,
  -- iCalendar SEQUENCE of the last invitation sent (the UID is derived from the id).
  ical_sequence integer not null default 0,
  -- Minutes before due_at the owner is reminded; null: no reminder.
  reminder_minutes integer check (reminder_minutes between 1 and 10080),
  reminded_at timestamptz,
  completed_at timestamptz,
  kept_at timestamptz,
  kept_how text check (kept_how in ('call', 'reply', 'manual')),
  -- What fulfilled it: the call activity's or the reply message's id (null when marked by hand).
  kept_by_ref uuid,
  kept_by_user_id uuid references users (id) on delete set null,
  broken_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (type <> 'appointment' or (starts_at is not null and ends_at is not null and ends_at > starts_at)),
  check (type <> 'promise' or due_at is not null),
  check (type = 'promise' or status not in ('kept', 'broken')),
  check (type <> 'promise' or status <> 'done')
);
create index activities_owner_due_idx on activities (owner_id, status, due_at);
create index activities_due_idx on activities (due_at, id);
create index activities_created_idx on activities (created_at desc, id desc);
create index activities_case_idx on activities (case_id) where case_id is not null;
create index activities_account_idx on activities (account_id, due_at) where account_id is not null;
create index activities_contact_idx on activities (contact_id) where contact_id is not null;
-- The promise report counts by creation time.
create index activities_promises_idx on activities (created_at) where type = 'promise';

-- Each user's activity settings: the default reminder lead time, and the calendar feed's
-- secret (only its SHA-256 is stored, like API tokens).
create table activity_user_settings (
  user_id uuid primary key references users (id) on delete cascade,
  reminder_minutes integer not null default 15 check (reminder_minutes between 1 and 10080),
  feed_token_hash text unique,
  feed_created_at timestamptz,
  updated_at timestamptz not null
);
