-- Routing and assignment: ordered rules that place a case (team, queue, priority, owner,
-- tags), the decisions they made with their explanations, each queue's assignment strategy,
-- and agents' working hours. Rules: src/modules/routing/routing-rules.ts; assignment:
-- src/modules/routing/assignment.ts.

create table routing_rules (
  id uuid primary key,
  name text not null check (length(name) between 1 and 200),
  -- Lowest evaluated first; ties by creation (id is a UUIDv7).
  position integer not null,
  -- {"priority": ["urgent"], "product": ["Billing"], "keywords": ["invoice"], …}; checked by the service.
  conditions jsonb not null default '{}'::jsonb,
  -- {"queueId": …, "teamId": …, "priority": …, "ownerId": … | "assignToAccountOwner": true, "tags": […]}
  actions jsonb not null default '{}'::jsonb,
  -- Keep evaluating the rules below after this one matched.
  continue_after boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index routing_rules_order_idx on routing_rules (position, id);

-- Bumped in the same transaction as every change to the rules: each process keeps the rule
-- list in memory and reloads it when this moves (one small row read per decision).
create table routing_rules_version (
  id boolean primary key default true check (id),
  version bigint not null
);
insert into routing_rules_version (id, version) values (true, 0);

-- Every routing decision about a case, newest last: at creation, on re-route, and each
-- automatic assignment. The newest row is the case's `routing`.
create table routing_decisions (
  id uuid primary key,
  case_id uuid not null references cases (id) on delete cascade,
  at timestamptz not null,
  trigger text not null check (trigger in ('created', 'reroute', 'assignment', 'handback')),
  -- The rule that placed the case (the last one that matched), null when none did.
  rule_id uuid references routing_rules (id) on delete set null,
  -- Every rule that matched, in order (rules with `continue` let later ones match too).
  rule_ids uuid[] not null default '{}',
  -- Which rules matched and why, what they did; and how the owner was chosen.
  rules_explanation text not null,
  assignment_explanation text,
  actor_id uuid
);
create index routing_decisions_case_idx on routing_decisions (case_id, at desc, id desc);

-- How each queue hands out its cases. No row: manual.
create table queue_assignment (
  queue_id uuid primary key references queues (id) on delete cascade,
  strategy text not null check (strategy in ('manual', 'round_robin', 'least_loaded', 'skills')),
  -- Round-robin's place: the agent who got the queue's last case.
  last_user_id uuid references users (id) on delete set null,
  updated_at timestamptz not null
);

-- An agent's working hours: outside them (and when not available) they get no new cases.
-- No row: presence alone decides.
create table agent_schedules (
  user_id uuid primary key references users (id) on delete cascade,
  calendar_id uuid not null references calendars (id) on delete cascade,
  updated_at timestamptz not null
);
create index agent_schedules_calendar_idx on agent_schedules (calendar_id);
