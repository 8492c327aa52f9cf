-- Customer health: the experience ledger, retention plays, churn records and opportunities
-- (src/modules/health, src/modules/opportunities). The ledger is rebuilt from the events table
-- (`keepdesk health rebuild`), so entries, states and case ordinals are derived data.

-- One row: the weight table and formula parameters (null: the documented defaults).
create table health_settings (
  id boolean primary key default true check (id),
  config jsonb not null,
  updated_at timestamptz not null,
  updated_by uuid references users (id) on delete set null
);

-- One entry per source event that matters; keyed on the event id so a replay writes nothing twice.
create table health_entries (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  source_event_id uuid not null unique,
  source_seq bigint not null,
  kind text not null,
  case_id uuid,
  at timestamptz not null,
  base_weight double precision not null,
  multiplier double precision not null,
  weight double precision not null,
  balance_after double precision not null,
  score_before integer,
  score_after integer not null,
  detail jsonb not null default '{}'
);
create index health_entries_account_at_idx on health_entries (account_id, at desc, source_seq desc);

-- The running state per account: the balance as of balance_at (fades from there), the score and
-- band as of scored_at (an entry, or the last midnight UTC tick).
create table account_health (
  account_id uuid primary key references accounts (id) on delete cascade,
  balance double precision not null,
  balance_at timestamptz not null,
  score integer not null check (score between 0 and 100),
  band text not null check (band in ('healthy', 'watch', 'at_risk')),
  scored_at timestamptz not null,
  band_since timestamptz not null,
  entries integer not null default 0
);
create index account_health_band_idx on account_health (band, band_since desc);

-- The order of an account's cases (the first cases after go-live weigh more).
create table health_case_ordinals (
  case_id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  ordinal integer not null
);
create index health_case_ordinals_account_idx on health_case_ordinals (account_id);

-- Retention plays: edge-triggered, one open play per account and reason.
create table health_plays (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  reason text not null check (reason in ('entered_at_risk', 'score_drop', 'manual')),
  status text not null default 'open' check (status in ('open', 'ended')),
  outcome text check (outcome in ('recovered', 'lost', 'no_longer_needed')),
  key_account boolean not null,
  score_at_start integer,
  trigger jsonb not null default '{}',
  task_ids jsonb not null default '[]',
  notes text,
  started_at timestamptz not null,
  started_by uuid references users (id) on delete set null,
  ended_at timestamptz,
  ended_by uuid references users (id) on delete set null,
  check ((status = 'ended') = (outcome is not null))
);
create unique index health_plays_one_open_idx on health_plays (account_id, reason) where status = 'open';
create index health_plays_started_idx on health_plays (started_at desc, id);

-- Lost customers, with the reason from the standard taxonomy and the ledger debits that led there.
create table churn_records (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  lost_on date not null,
  revenue_lost numeric(16, 2) not null default 0 check (revenue_lost >= 0),
  reason text not null check (reason in ('customer_service', 'low_quality', 'missing_features',
    'switched_service', 'too_complex', 'too_expensive', 'unused', 'other')),
  reason_group text not null check (reason_group in ('service_or_treatment', 'product', 'competitor',
    'price', 'other')),
  notes text,
  debits jsonb not null default '[]',
  created_at timestamptz not null,
  created_by uuid references users (id) on delete set null,
  won_back_at timestamptz,
  won_back_by uuid references users (id) on delete set null
);
create unique index churn_records_one_lost_idx on churn_records (account_id) where won_back_at is null;
create index churn_records_lost_on_idx on churn_records (lost_on desc, id);

-- Sales opportunities per account (the pipeline board).
create table opportunities (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  name text not null,
  amount numeric(16, 2) not null default 0 check (amount >= 0),
  stage text not null check (stage in ('qualify', 'propose', 'negotiate', 'won', 'lost')),
  close_date date,
  owner_id uuid references users (id) on delete set null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index opportunities_account_idx on opportunities (account_id);
create index opportunities_stage_idx on opportunities (stage, close_date, id);
