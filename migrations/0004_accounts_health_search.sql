-- Accounts: the health score and band (owned by the health capability, which fills them in);
-- null until an account has been scored, so nobody reads a made-up "healthy".
alter table accounts
  add column health_score integer check (health_score between 0 and 100),
  add column health_band text check (health_band in ('healthy', 'watch', 'at_risk')),
  add constraint accounts_health_both_or_neither check ((health_score is null) = (health_band is null));

-- Keyset pages sort by (lower(name), id): one index answers both the order and the cursor.
create index accounts_name_id_idx on accounts (lower(name), id);
create index contacts_name_id_idx on contacts (lower(name), id);
create index contacts_account_name_idx on contacts (account_id, lower(name), id);

-- Account search by email domain: `?q=acme.com` finds the accounts whose contacts write from it.
create index contacts_email_domain_idx on contacts (lower(split_part(email, '@', 2)));
