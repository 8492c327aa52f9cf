-- SLAs: business calendars, ordered policies, and the clocks each case runs under.
-- Entitlements: what a customer is entitled to, and what each case takes from it.

create table calendars (
  id uuid primary key,
  name text not null check (length(name) between 1 and 200),
  time_zone text not null,
  -- {"mon": [["08:00","12:00"],["13:00","17:00"]], …, "sun": []}; checked by the service
  -- (src/modules/sla/business-time.ts: calendarProblems) so a calendar always has working time.
  hours jsonb not null,
  holidays jsonb not null default '[]'::jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index calendars_name_idx on calendars (lower(name));

create table sla_policies (
  id uuid primary key,
  name text not null check (length(name) between 1 and 200),
  calendar_id uuid not null references calendars (id),
  -- Lowest evaluated first; the first whose applies_when matches the case applies.
  position integer not null,
  applies_when jsonb not null default '{}'::jsonb,
  first_response_minutes integer not null check (first_response_minutes > 0),
  next_response_minutes integer check (next_response_minutes > 0),
  resolution_minutes integer not null check (resolution_minutes > 0),
  warning_percent integer check (warning_percent between 1 and 99),
  warning_minutes_before integer check (warning_minutes_before > 0),
  pause_on text[] not null default '{waiting_on_customer}',
  warning_actions jsonb not null default '[]'::jsonb,
  breach_actions jsonb not null default '[]'::jsonb,
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (warning_percent is null or warning_minutes_before is null)
);
create index sla_policies_order_idx on sla_policies (position, id);

-- Which policy a case runs under and why ("priority = urgent; account tier = key").
create table case_slas (
  case_id uuid primary key references cases (id) on delete cascade,
  policy_id uuid references sla_policies (id) on delete set null,
  policy_name text not null,
  reason text not null,
  evaluated_at timestamptz not null
);

-- One row per KPI instance. A clock's business time is `used_minutes` (segments before the
-- current one) plus the business minutes since `running_since`; a pause closes the segment.
-- Re-evaluation (priority changed …) supersedes the rows and starts new ones from the same
-- start and used time, so history is kept and due times come from the original start.
create table sla_clocks (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  policy_id uuid references sla_policies (id) on delete set null,
  kpi text not null check (kpi in ('firstResponse', 'nextResponse', 'resolution')),
  target_minutes numeric not null check (target_minutes > 0),
  started_at timestamptz not null,
  used_minutes numeric not null default 0,
  running_since timestamptz,
  paused_at timestamptz,
  due_at timestamptz not null,
  warning_at timestamptz,
  status text not null check (status in ('running', 'paused', 'warning', 'met', 'breached')),
  warned_at timestamptz,
  met_at timestamptz,
  breached_at timestamptz,
  -- Measured when the clock stops: both wall-clock and business time.
  elapsed_wall_seconds numeric,
  elapsed_business_minutes numeric,
  superseded_at timestamptz,
  superseded_reason text,
  created_at timestamptz not null
);
create index sla_clocks_case_idx on sla_clocks (case_id, created_at) where superseded_at is null;
create index sla_clocks_finished_idx on sla_clocks (coalesce(met_at, breached_at))
  where superseded_at is null;

-- The queue counts down to the soonest running clock: kept on the case so lists can sort
-- and filter by it (written by the SLA capability through CasesService.setSlaSummary).
alter table cases add column sla_due_at timestamptz;
alter table cases add column sla_state text
  check (sla_state in ('running', 'paused', 'warning', 'met', 'breached'));
create index cases_sla_due_idx on cases (sla_due_at, id) where sla_due_at is not null;

create table entitlements (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  -- Set: only this contact's cases count against it (a named-contact support plan).
  contact_id uuid references contacts (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  unit text not null check (unit in ('cases', 'hours')),
  total numeric(12, 2) not null check (total > 0),
  used numeric(12, 2) not null default 0 check (used >= 0),
  starts_on date not null,
  ends_on date not null,
  channels text[],
  products text[],
  sla_policy_id uuid references sla_policies (id) on delete set null,
  -- 'creation': a case counts when it is raised; 'resolution': when it is resolved.
  consume_on text not null default 'resolution' check (consume_on in ('creation', 'resolution')),
  -- 'flag': let cases through flagged for a manager; 'refuse': refuse new cases.
  when_exhausted text not null default 'flag' check (when_exhausted in ('flag', 'refuse')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (ends_on >= starts_on)
);
create index entitlements_account_idx on entitlements (account_id, ends_on);

create table case_entitlements (
  case_id uuid primary key references cases (id) on delete cascade,
  entitlement_id uuid not null references entitlements (id) on delete cascade,
  flag text check (flag in ('exhausted', 'expired')),
  -- What this case has taken from the entitlement now (0 until consumed; back to 0 on reopen).
  consumed numeric(12, 2) not null default 0,
  created_at timestamptz not null
);
create index case_entitlements_entitlement_idx on case_entitlements (entitlement_id);

-- Time logged on a case: hour-based entitlements are decremented by it at resolution.
create table case_time_entries (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  user_id uuid references users (id) on delete set null,
  minutes integer not null check (minutes between 1 and 1440),
  note text,
  worked_on date not null,
  created_at timestamptz not null
);
create index case_time_entries_case_idx on case_time_entries (case_id, created_at);
