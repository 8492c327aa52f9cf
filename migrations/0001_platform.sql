-- Platform: the event outbox, its deliveries, and database timers.

-- Every change is a fact: appended in the same transaction as the change it records.
create table events (
  seq bigint generated always as identity primary key,
  id uuid not null unique,
  type text not null,
  entity_type text not null,
  entity_id text not null,
  account_id uuid,
  actor_id uuid,
  -- May the customer's own contacts see it (portal live updates)? Internal by default.
  customer_visible boolean not null default false,
  data jsonb not null default '{}'::jsonb,
  occurred_at timestamptz not null
);
create index events_entity_idx on events (entity_type, entity_id, seq);
create index events_account_idx on events (account_id, seq) where account_id is not null;
create index events_type_idx on events (type, seq);

-- One row per (event, subscribed handler), written with the event: nothing is missed
-- when transactions commit out of sequence order, and each handler runs exactly once.
create table event_deliveries (
  handler text not null,
  event_seq bigint not null references events (seq) on delete cascade,
  status text not null default 'pending' check (status in ('pending', 'done', 'dead')),
  attempts integer not null default 0,
  available_at timestamptz not null,
  last_error text,
  done_at timestamptz,
  primary key (handler, event_seq)
);
create index event_deliveries_due_idx on event_deliveries (available_at, event_seq) where status = 'pending';

-- Timers live in the database: SLA points, promise due times, reminders, scheduled sends.
create table timers (
  id uuid primary key,
  kind text not null,
  -- When it is due (what handlers see) …
  due_at timestamptz not null,
  -- … and when it may next be tried: due_at, or later after a failed attempt.
  available_at timestamptz not null,
  payload jsonb not null default '{}'::jsonb,
  -- At most one live timer per key (e.g. one breach timer per case and KPI).
  dedupe_key text unique,
  status text not null default 'pending' check (status in ('pending', 'done', 'cancelled', 'dead')),
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null,
  fired_at timestamptz
);
create index timers_due_idx on timers (available_at) where status = 'pending';
