-- Cases: numbering, statuses, queues, the cases themselves, their message thread and
-- attachments, their history, and the module's settings.

-- Human-readable numbers (CS-000042) come from a sequence: unique under any number of
-- concurrent creations; a rolled-back creation leaves a gap, which does not matter.
create sequence case_number_seq as bigint start with 1;

-- Built-in statuses plus the custom ones admins add. A custom status behaves like the
-- built-in of its category for transitions (src/modules/cases/case-status-machine.ts).
create table case_statuses (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  label text not null check (length(label) between 1 and 100),
  category text not null check (category in ('open', 'paused', 'resolved')),
  builtin boolean not null default false,
  position integer not null default 1000,
  created_at timestamptz not null
);
insert into case_statuses (key, label, category, builtin, position, created_at) values
  ('new', 'New', 'open', true, 10, now()),
  ('open', 'Open', 'open', true, 20, now()),
  ('waiting_on_customer', 'Waiting on customer', 'paused', true, 30, now()),
  ('on_hold', 'On hold', 'paused', true, 40, now()),
  ('resolved', 'Resolved', 'resolved', true, 50, now()),
  ('closed', 'Closed', 'resolved', true, 60, now());

-- Where cases wait to be worked. Routing into queues comes with the routing capability.
create table queues (
  id uuid primary key,
  name text not null,
  team_id uuid references teams (id) on delete set null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index queues_name_idx on queues (lower(name));

create table cases (
  id uuid primary key,
  number bigint not null unique default nextval('case_number_seq'),
  subject text not null,
  description text,
  -- A deleted account or contact leaves its cases in place (history is kept), unlinked.
  account_id uuid references accounts (id) on delete set null,
  contact_id uuid references contacts (id) on delete set null,
  product text,
  category text,
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  -- Sorting by priority sorts by urgency, not alphabetically.
  priority_rank smallint generated always as (
    case priority when 'low' then 1 when 'normal' then 2 when 'high' then 3 when 'urgent' then 4 end
  ) stored,
  channel text not null default 'api' check (channel in ('email', 'portal', 'phone', 'web', 'api')),
  status text not null default 'new' references case_statuses (key),
  owner_id uuid references users (id) on delete set null,
  team_id uuid references teams (id) on delete set null,
  queue_id uuid references queues (id) on delete set null,
  tags text[] not null default '{}',
  -- When the customer asked: SLA clocks start here, not at created_at.
  received_at timestamptz not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  resolved_at timestamptz,
  closed_at timestamptz,
  reopen_count integer not null default 0,
  parent_id uuid references cases (id) on delete set null,
  merged_into_id uuid references cases (id) on delete set null,
  -- A follow-up case opened because the customer came back after the reopen window.
  related_case_id uuid references cases (id) on delete set null,
  search tsvector generated always as (
    setweight(to_tsvector('english', subject), 'A') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'B')
  ) stored,
  check (parent_id is distinct from id),
  check (merged_into_id is distinct from id)
);
-- List orders (keyset: the sort key, then id).
create index cases_updated_idx on cases (updated_at, id);
create index cases_created_idx on cases (created_at, id);
create index cases_priority_idx on cases (priority_rank, created_at, id);
create index cases_account_idx on cases (account_id, updated_at);
create index cases_contact_idx on cases (contact_id);
create index cases_owner_idx on cases (owner_id, status);
create index cases_team_idx on cases (team_id, status);
create index cases_queue_idx on cases (queue_id, status);
create index cases_status_idx on cases (status);
create index cases_parent_idx on cases (parent_id) where parent_id is not null;
create index cases_merged_into_idx on cases (merged_into_id) where merged_into_id is not null;
create index cases_related_idx on cases (related_case_id) where related_case_id is not null;
create index cases_tags_idx on cases using gin (tags);
create index cases_search_idx on cases using gin (search);

-- The thread: replies to the customer, internal notes, and what the customer wrote.
create table case_messages (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  kind text not null check (kind in ('reply', 'note', 'customer')),
  body text not null,
  -- The staff user who wrote (or, for a customer message, logged) it.
  author_id uuid references users (id) on delete set null,
  -- The customer who wrote a customer message.
  contact_id uuid references contacts (id) on delete set null,
  -- Set when the message came over from a case merged into this one.
  merged_from_case_id uuid references cases (id) on delete set null,
  created_at timestamptz not null,
  search tsvector generated always as (to_tsvector('english', body)) stored
);
create index case_messages_case_idx on case_messages (case_id, created_at, id);
create index case_messages_search_idx on case_messages using gin (search);

-- Files, kept in the database (one backup holds everything). Internal ones (on notes, or
-- uploaded as internal) are never shown to the customer.
create table case_attachments (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  message_id uuid references case_messages (id) on delete set null,
  filename text not null,
  content_type text not null,
  size integer not null check (size >= 0),
  sha256 text not null,
  internal boolean not null,
  content bytea not null,
  uploaded_by_id uuid references users (id) on delete set null,
  uploaded_by_contact_id uuid references contacts (id) on delete set null,
  created_at timestamptz not null
);
create index case_attachments_case_idx on case_attachments (case_id, created_at, id);
create index case_attachments_message_idx on case_attachments (message_id) where message_id is not null;

-- Who changed which field from what to what, written in the change's transaction.
create table case_history (
  seq bigint generated always as identity primary key,
  id uuid not null unique,
  case_id uuid not null references cases (id) on delete cascade,
  at timestamptz not null,
  actor_kind text not null check (actor_kind in ('user', 'contact', 'system')),
  actor_id uuid,
  field text not null,
  old_value jsonb not null default 'null'::jsonb,
  new_value jsonb not null default 'null'::jsonb
);
create index case_history_case_idx on case_history (case_id, seq);

-- The cases module's settings (key → JSON value), e.g. the reopen window.
create table case_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null,
  updated_by uuid references users (id) on delete set null
);
insert into case_settings (key, value, updated_at) values ('reopen_window_days', '14'::jsonb, now());
