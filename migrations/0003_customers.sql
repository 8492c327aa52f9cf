-- Customers: accounts (organisations or people) and their contacts.

create table accounts (
  id uuid primary key,
  name text not null,
  -- The email domain that maps inbound mail from unknown senders to this account.
  domain text,
  annual_revenue numeric(16, 2) not null default 0 check (annual_revenue >= 0),
  owner_id uuid references users (id) on delete set null,
  -- Pareto cut: accounts that together make the top 80% of revenue are 'key'.
  tier text not null default 'standard' check (tier in ('key', 'standard')),
  industry text,
  country text,
  time_zone text not null default 'UTC',
  customer_since date,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index accounts_name_idx on accounts (lower(name));
create index accounts_domain_idx on accounts (lower(domain));
create index accounts_owner_idx on accounts (owner_id);
create index accounts_revenue_idx on accounts (annual_revenue desc, id);

create table contacts (
  id uuid primary key,
  account_id uuid not null references accounts (id) on delete cascade,
  name text not null,
  email text not null,
  phone text,
  title text,
  time_zone text,
  language text not null default 'en',
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index contacts_email_idx on contacts (lower(email));
create index contacts_account_idx on contacts (account_id);
create index contacts_name_idx on contacts (lower(name));
