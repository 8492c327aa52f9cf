-- Service incidents (known problems) and the public status page.
-- Rules in src/modules/incidents/README.md.

-- Human-readable numbers (INC-000012), like case numbers: a gap after a rollback does not matter.
create sequence incident_number_seq as bigint start with 1;

-- The parts of the service the status page lists. Their status is derived (never stored): the
-- worst impact among open public incidents naming them. Archived ones leave lists and the page.
create table status_components (
  id uuid primary key,
  name text not null check (length(name) between 1 and 100),
  description text,
  position integer not null default 0,
  archived_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index status_components_name_idx on status_components (lower(name)) where archived_at is null;

create table incidents (
  id uuid primary key,
  number bigint not null unique default nextval('incident_number_seq'),
  title text not null check (length(title) between 1 and 200),
  -- Internal: never on the status page or in the portal.
  description text,
  status text not null check (status in ('investigating', 'identified', 'monitoring', 'resolved')),
  impact text not null check (impact in ('minor', 'major', 'critical')),
  -- Shown on the public status page.
  public boolean not null default true,
  -- A segment (src/modules/segments) of affected accounts; null: only the accounts of linked cases.
  affects jsonb,
  started_at timestamptz not null,
  resolved_at timestamptz,
  created_by_id uuid references users (id) on delete set null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((status = 'resolved') = (resolved_at is not null))
);
create index incidents_open_idx on incidents (started_at desc) where resolved_at is null;
create index incidents_resolved_idx on incidents (resolved_at desc) where resolved_at is not null;

create table incident_components (
  incident_id uuid not null references incidents (id) on delete cascade,
  component_id uuid not null references status_components (id) on delete cascade,
  primary key (incident_id, component_id)
);
create index incident_components_component_idx on incident_components (component_id);

-- The timeline: each update is public (status page, notices); notify tells affected customers.
create table incident_updates (
  id uuid primary key,
  incident_id uuid not null references incidents (id) on delete cascade,
  status text not null check (status in ('investigating', 'identified', 'monitoring', 'resolved')),
  message text not null check (length(message) between 1 and 5000),
  notify boolean not null,
  resolve_linked_cases boolean not null default false,
  created_by_id uuid references users (id) on delete set null,
  created_at timestamptz not null
);
create index incident_updates_incident_idx on incident_updates (incident_id, created_at desc);

-- Cases reporting the incident. A case is linked to at most one open incident (checked under
-- the case's row lock by the service).
create table incident_cases (
  incident_id uuid not null references incidents (id) on delete cascade,
  case_id uuid not null references cases (id) on delete cascade,
  linked_by_id uuid references users (id) on delete set null,
  linked_at timestamptz not null,
  primary key (incident_id, case_id)
);
create index incident_cases_case_idx on incident_cases (case_id);

-- Who was told about which update: each contact at most once per update. channel 'case': a
-- public reply on a linked case's thread; 'email': a mail to another contact of an affected account.
create table incident_notices (
  id uuid primary key,
  update_id uuid not null references incident_updates (id) on delete cascade,
  incident_id uuid not null references incidents (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  account_id uuid not null references accounts (id) on delete cascade,
  channel text not null check (channel in ('case', 'email')),
  case_id uuid references cases (id) on delete set null,
  created_at timestamptz not null,
  unique (update_id, contact_id)
);
create index incident_notices_incident_idx on incident_notices (incident_id, account_id);

-- Which accounts were reported as told about an update (event incident.notice_sent, once each).
create table incident_notice_accounts (
  update_id uuid not null references incident_updates (id) on delete cascade,
  account_id uuid not null references accounts (id) on delete cascade,
  contacts integer not null,
  created_at timestamptz not null,
  primary key (update_id, account_id)
);
