-- Outbound mail (sent by the worker) and in-app notifications.

-- Every mail Keepdesk sends: queued in the transaction of the change that causes it, sent once
-- by the `mail.send` timer after commit. Kept afterwards as the outbound mail log (and, without
-- KEEPDESK_SMTP_URL, as the development mailbox).
create table outbound_mail (
  id uuid primary key,
  to_address text not null,
  to_name text,
  from_address text not null,
  subject text not null,
  text_body text not null,
  html_body text,
  -- Ours, '<uuid@host-of-public-url>': replies thread on it.
  message_id text not null unique,
  in_reply_to text,
  references_header text,
  -- Extra headers: {"Auto-Submitted": "auto-generated", …}.
  headers jsonb not null default '{}'::jsonb,
  -- [{filename, contentType, encoding: 'base64' | 'utf8', content}]: .ics invitations and the like.
  attachments jsonb not null default '[]'::jsonb,
  -- What sent it: 'notification', 'sla.warning', 'case.reply' …
  purpose text not null,
  case_id uuid,
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
  attempts integer not null default 0,
  last_error text,
  transport text not null check (transport in ('smtp', 'dev')),
  created_at timestamptz not null,
  sent_at timestamptz
);
create index outbound_mail_created_idx on outbound_mail (created_at desc, id desc);
create index outbound_mail_case_idx on outbound_mail (case_id) where case_id is not null;

create table notifications (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,
  title text not null,
  body text,
  -- An app path, e.g. /cases/<id>.
  link text,
  case_id uuid,
  -- Set by the caller (e.g. 'sla.warning:<case>:<kpi>'): notifying again with it adds nothing.
  dedupe_key text,
  created_at timestamptz not null,
  read_at timestamptz
);
create unique index notifications_dedupe_idx on notifications (user_id, dedupe_key) where dedupe_key is not null;
create index notifications_user_idx on notifications (user_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

-- An event meant for one person only (a notification): live updates reach just them.
alter table events add column audience_user_id uuid;
