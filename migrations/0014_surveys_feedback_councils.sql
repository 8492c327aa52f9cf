-- Satisfaction surveys (CSAT, NPS, CES), feedback items and the Customer Council.
-- Rules in src/modules/surveys/README.md, src/modules/feedback/README.md and
-- src/modules/councils/README.md.

-- One row: how surveys are sent. Fatigue days of 0 turn that rule off.
create table survey_settings (
  id boolean primary key default true check (id),
  csat_enabled boolean not null default true,
  csat_delay_minutes integer not null default 1440 check (csat_delay_minutes between 0 and 43200),
  -- Send a customer effort score (1-7) after resolution instead of CSAT.
  use_ces boolean not null default false,
  nps_enabled boolean not null default false,
  nps_interval_days integer not null default 90 check (nps_interval_days between 1 and 3650),
  answer_window_days integer not null default 28 check (answer_window_days between 1 and 365),
  contact_fatigue_days integer not null default 14 check (contact_fatigue_days between 0 and 365),
  account_fatigue_days integer not null default 0 check (account_fatigue_days between 0 and 365),
  updated_at timestamptz not null default now()
);
insert into survey_settings (id) values (true);

-- Who resolved a case, recorded at the moment of resolution (attribution of its survey).
create table case_resolutions (
  case_id uuid primary key references cases (id) on delete cascade,
  resolved_by_id uuid references users (id) on delete set null,
  owner_id uuid references users (id) on delete set null,
  team_id uuid references teams (id) on delete set null,
  resolved_at timestamptz not null
);

create table surveys (
  id uuid primary key,
  type text not null check (type in ('csat', 'nps', 'ces')),
  -- held_back: a fatigue rule stopped it (held_back_rule names it); expired is derived from expires_at.
  status text not null check (status in ('sent', 'answered', 'held_back')),
  trigger text not null check (trigger in ('manual', 'resolution', 'schedule')),
  held_back_rule text,
  contact_id uuid not null references contacts (id) on delete cascade,
  account_id uuid not null references accounts (id) on delete cascade,
  case_id uuid references cases (id) on delete set null,
  team_id uuid references teams (id) on delete set null,
  resolved_by_id uuid references users (id) on delete set null,
  created_by_id uuid references users (id) on delete set null,
  -- SHA-256 of the emailed token: the link is the secret.
  token_hash text unique,
  score integer,
  comment text,
  recovery_task_id uuid,
  feedback_item_id uuid,
  created_at timestamptz not null,
  sent_at timestamptz,
  expires_at timestamptz,
  answered_at timestamptz,
  commented_at timestamptz,
  check ((status = 'held_back') = (held_back_rule is not null))
);
create index surveys_contact_idx on surveys (contact_id, sent_at) where status <> 'held_back';
create index surveys_account_idx on surveys (account_id, sent_at) where status <> 'held_back';
create index surveys_case_idx on surveys (case_id) where case_id is not null;
create index surveys_answered_idx on surveys (answered_at) where status = 'answered';

-- The NPS schedule is the timer 'survey.nps_sweep' (daily; armed when NPS is turned on).

-- Feedback: complaints, ideas, praise and questions from every source.
create table feedback_items (
  id uuid primary key,
  kind text not null check (kind in ('complaint', 'idea', 'praise', 'question')),
  source text not null check (source in ('survey', 'case', 'portal', 'council', 'agent')),
  title text not null check (length(title) between 1 and 300),
  body text,
  status text not null default 'new' check (status in ('new', 'planned', 'in_progress', 'done', 'wont_do')),
  account_id uuid references accounts (id) on delete cascade,
  contact_id uuid references contacts (id) on delete set null,
  case_id uuid references cases (id) on delete set null,
  survey_id uuid references surveys (id) on delete set null,
  created_by_id uuid references users (id) on delete set null,
  loop_closed_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index feedback_items_status_idx on feedback_items (status, created_at);
create index feedback_items_account_idx on feedback_items (account_id);

-- One vote per account per item (the contact who asked for it, when known).
create table feedback_votes (
  item_id uuid not null references feedback_items (id) on delete cascade,
  account_id uuid not null references accounts (id) on delete cascade,
  contact_id uuid references contacts (id) on delete set null,
  created_at timestamptz not null,
  primary key (item_id, account_id)
);

-- Each contact told that an item is done ("closing the loop").
create table feedback_loop_tellings (
  id uuid primary key,
  item_id uuid not null references feedback_items (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  email text not null,
  told_by_id uuid references users (id) on delete set null,
  told_at timestamptz not null
);
create index feedback_loop_tellings_item_idx on feedback_loop_tellings (item_id);

-- The Customer Council: selected customers who meet on a schedule.
create table councils (
  id uuid primary key,
  name text not null check (length(name) between 1 and 200),
  description text,
  time_zone text not null,
  -- RFC 5545 RRULE without DTSTART; the first meeting's wall time in time_zone is start_local.
  rrule text not null,
  start_local text not null,
  duration_minutes integer not null default 60 check (duration_minutes between 5 and 1440),
  location text,
  owner_id uuid references users (id) on delete set null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table council_members (
  council_id uuid not null references councils (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  added_at timestamptz not null,
  primary key (council_id, contact_id)
);

create table council_meetings (
  id uuid primary key,
  council_id uuid not null references councils (id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'scheduled' check (status in ('scheduled', 'held', 'cancelled')),
  minutes text,
  -- iCalendar SEQUENCE of the last invitation sent.
  ical_sequence integer not null default 0,
  invited_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (council_id, starts_at)
);

create table council_agenda_items (
  id uuid primary key,
  meeting_id uuid not null references council_meetings (id) on delete cascade,
  title text not null,
  feedback_item_id uuid references feedback_items (id) on delete set null,
  position integer not null,
  created_at timestamptz not null
);
create index council_agenda_items_meeting_idx on council_agenda_items (meeting_id, position);

create table council_action_items (
  id uuid primary key,
  meeting_id uuid not null references council_meetings (id) on delete cascade,
  title text not null,
  kind text not null check (kind in ('task', 'feedback')),
  activity_id uuid,
  feedback_item_id uuid references feedback_items (id) on delete set null,
  created_by_id uuid references users (id) on delete set null,
  created_at timestamptz not null
);
create index council_action_items_meeting_idx on council_action_items (meeting_id);

create table council_attendance (
  meeting_id uuid not null references council_meetings (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  attended boolean not null,
  recorded_at timestamptz not null,
  primary key (meeting_id, contact_id)
);
