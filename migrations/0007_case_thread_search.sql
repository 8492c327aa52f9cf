-- The words of a case's thread on the case row, so that searching cases is one GIN lookup per
-- column. Before, the list matched `cases.search @@ q or cases.id in (select case_id from
-- case_messages where search @@ q …)`, which no index can answer: at 1M cases a search took
-- 0.5–1.3 s. Now it is `search @@ q or thread_search @@ q [or notes_search @@ q]`: a BitmapOr
-- of GIN indexes.
--
-- thread_search: what the customer can see (replies and customer messages);
-- notes_search:  internal notes (searched for staff only, never for portal contacts).
--
-- Both are built from case_messages.search (`to_tsvector('english', body)`, 0005) by
-- concatenation in thread order (created_at, id), so a word is stemmed exactly as in the
-- message, and `||` shifts each message's positions past the previous ones: a phrase
-- ("password reset") still matches within one message. Positions above 16,383 are stored as
-- 16,383 (a Postgres limit), so in very long threads phrase search may miss; words still match.
--
-- The database keeps them up to date (triggers below), whoever writes messages: the cases
-- service, the demo seed and the bench generator (bulk INSERT … SELECT unnest), a merge
-- (UPDATE … SET case_id), and any later edit or deletion of messages.
alter table cases
  add column thread_search tsvector not null default ''::tsvector,
  add column notes_search tsvector not null default ''::tsvector;

-- A tsvector holds at most 1 MB of lexemes and positions; `a || b` past that raises
-- program_limit_exceeded ("string is too long for tsvector"), which would make adding a message
-- to a huge thread fail. This append keeps `acc` unchanged instead: once a case's thread fills
-- the column, messages that do not fit are not added to it. Plain English threads come nowhere
-- near (a distinct word is stored once, with at most 256 positions); only threads full of
-- unique tokens (pasted logs, ids, base64) can, and their first megabyte stays searchable.
-- Exact, not an estimate: sizes on disk are compressed, so no size test before `||` is safe.
create function case_search_append(acc tsvector, more tsvector) returns tsvector
language plpgsql immutable strict parallel safe as $$
begin
  return acc || more;
exception when program_limit_exceeded then
  return acc;
end
$$;

-- Concatenates the vectors of many messages (use with `order by created_at, id`), capped as
-- above. Over no rows it gives the empty vector.
create aggregate case_search_agg(tsvector) (
  sfunc = case_search_append,
  stype = tsvector,
  initcond = ''
);

-- Backfill, set-based: one pass over case_messages in (case_id, created_at, id) order, and
-- each case written once. Concatenating the stored message vectors rather than running
-- to_tsvector over the joined bodies again is ~10× cheaper, and it cannot exceed the limit.
update cases c
   set thread_search = t.thread,
       notes_search = t.notes
  from (select case_id,
               case_search_agg(search order by created_at, id) filter (where kind <> 'note') as thread,
               case_search_agg(search order by created_at, id) filter (where kind = 'note') as notes
          from case_messages
         group by case_id) t
 where c.id = t.case_id;

-- Built after the backfill: one index build is much faster than a million index insertions.
create index cases_thread_search_idx on cases using gin (thread_search);
create index cases_notes_search_idx on cases using gin (notes_search);

-- New messages: append their vectors to their cases', one UPDATE per statement (a bulk insert
-- of thousands of messages touches each of their cases once). The cases service has already
-- locked the case (lockVisible) in the same transaction.
create function case_messages_search_added() returns trigger
language plpgsql as $$
begin
  update cases c
     set thread_search = case_search_append(c.thread_search, a.thread),
         notes_search = case_search_append(c.notes_search, a.notes)
    from (select case_id,
                 case_search_agg(search order by created_at, id) filter (where kind <> 'note') as thread,
                 case_search_agg(search order by created_at, id) filter (where kind = 'note') as notes
            from added
           group by case_id) a
   where c.id = a.case_id;
  return null;
end
$$;
create trigger case_messages_search_added
  after insert on case_messages
  referencing new table as added
  for each statement execute function case_messages_search_added();

-- Rebuilds the vectors of these cases from their messages as they are now.
create function case_search_rebuild(ids uuid[]) returns void
language sql as $$
  update cases c
     set thread_search = (select case_search_agg(m.search order by m.created_at, m.id)
                            from case_messages m where m.case_id = c.id and m.kind <> 'note'),
         notes_search = (select case_search_agg(m.search order by m.created_at, m.id)
                           from case_messages m where m.case_id = c.id and m.kind = 'note')
   where c.id = any (ids);
$$;

-- A message moved (a merge moves the duplicate's thread to the survivor: both cases are
-- rebuilt, the duplicate to empty), its kind or body changed, or deleted: rebuild the cases
-- concerned. Updates of other columns (e.g. author_id set null when a user is deleted) rebuild
-- nothing. (A trigger with transition tables cannot name columns, hence the comparison.)
create function case_messages_search_changed() returns trigger
language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform case_search_rebuild(array(select distinct case_id from gone));
  else
    perform case_search_rebuild(array(
      select distinct x.case_id
        from gone o
        join kept n on n.id = o.id
       cross join lateral (values (o.case_id), (n.case_id)) as x(case_id)
       where o.case_id <> n.case_id or o.kind <> n.kind or o.body <> n.body));
  end if;
  return null;
end
$$;
create trigger case_messages_search_updated
  after update on case_messages
  referencing old table as gone new table as kept
  for each statement execute function case_messages_search_changed();
create trigger case_messages_search_deleted
  after delete on case_messages
  referencing old table as gone
  for each statement execute function case_messages_search_changed();
