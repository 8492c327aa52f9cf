-- Identity: users, teams, sessions, API tokens and the audit trail.

create table users (
  id uuid primary key,
  email text not null,
  name text not null,
  role text not null check (role in ('admin', 'manager', 'agent', 'sales')),
  -- Presence: routing gives new cases only to available agents.
  status text not null default 'offline' check (status in ('available', 'away', 'offline')),
  active boolean not null default true,
  password_hash text,
  capacity integer not null default 10 check (capacity >= 0),
  skills text[] not null default '{}',
  time_zone text not null default 'UTC',
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index users_email_idx on users (lower(email));

create table teams (
  id uuid primary key,
  name text not null,
  lead_id uuid references users (id) on delete set null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index teams_name_idx on teams (lower(name));

create table team_members (
  team_id uuid not null references teams (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  primary key (team_id, user_id)
);
create index team_members_user_idx on team_members (user_id);

-- Only a hash of the cookie value is stored: a database leak does not hand out sessions.
create table sessions (
  id uuid primary key,
  token_hash text not null unique,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  last_seen_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);

create table api_tokens (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  name text not null,
  token_hash text not null unique,
  created_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

-- Sign-ins, failed sign-ins and admin changes. Failed sign-ins double as the shared
-- (cross-process) counter for the sign-in rate limit.
create table audit_log (
  id uuid primary key,
  at timestamptz not null,
  actor_id uuid,
  actor_email text,
  action text not null,
  target_type text,
  target_id text,
  ip text,
  details jsonb not null default '{}'::jsonb
);
create index audit_log_at_idx on audit_log (at desc, id desc);
create index audit_log_failed_login_idx on audit_log (lower(actor_email), at) where action = 'auth.login_failed';
create index audit_log_failed_login_ip_idx on audit_log (ip, at) where action = 'auth.login_failed';
