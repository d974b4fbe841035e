-- Dossier team server, schema version 1: the blind, append-only relay of team spaces.
--
-- Run once per database by a superuser (`dossier team server-sql | psql -d dossier`); running it again
-- is harmless. The server never sees a record: it keeps sealed entries, orders them by
-- compare-and-swap on each space's head, checks their chain hash and who may append, and wakes
-- listeners. Every client checks everything it reads again (signatures, seals, the chain).
--
-- Who is who: a person's LOGIN role is a member of the NOLOGIN group `dossier_member`. The caller is
-- always `session_user`, the login that authenticated: `SET ROLE` changes nothing here, and the
-- SECURITY DEFINER functions (whose `current_user` is their owner) see the same caller as the row
-- level security policies.
--
-- Errors the client tells apart, by SQLSTATE: DSMOV the head moved (nothing appended: pull, rebase,
-- retry), DSREV the device was removed from the space, DSREJ any other refusal.

BEGIN;

DO $roles$
BEGIN
  -- Owns the tables; FORCE ROW LEVEL SECURITY binds it too, so owning them reads nothing.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dossier_owner') THEN
    CREATE ROLE dossier_owner NOLOGIN;
  END IF;
  -- The group every person's login belongs to.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dossier_member') THEN
    CREATE ROLE dossier_member NOLOGIN;
  END IF;
  -- Owns the SECURITY DEFINER functions: it reads and advances heads across row level security.
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dossier_definer') THEN
    CREATE ROLE dossier_definer NOLOGIN BYPASSRLS;
  END IF;
END
$roles$;

-- Nobody but the DBA creates objects in the schema the definer's functions resolve names in (the
-- default since PostgreSQL 15, said again for a database that was upgraded from an older one).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE TABLE IF NOT EXISTS dossier_schema (version int PRIMARY KEY);

DO $version$
BEGIN
  IF (SELECT max(version) FROM dossier_schema) > 1 THEN
    RAISE EXCEPTION 'this database holds Dossier server schema %, newer than this SQL (1)',
      (SELECT max(version) FROM dossier_schema);
  END IF;
END
$version$;

INSERT INTO dossier_schema (version) VALUES (1) ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS space (
  id uuid PRIMARY KEY,
  -- The hash of entry 1: the root every member pins.
  genesis bytea UNIQUE,
  head_seq bigint NOT NULL DEFAULT 0,
  head_hash bytea NOT NULL,
  -- Set by the operator while a restored server is repaired: no append is taken.
  frozen boolean NOT NULL DEFAULT false
);

CREATE TABLE IF NOT EXISTS space_member (
  space_id uuid NOT NULL REFERENCES space,
  device bytea NOT NULL CHECK (length(device) = 32),
  pg_role name NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'reader')),
  active boolean NOT NULL,
  PRIMARY KEY (space_id, device)
);
CREATE INDEX IF NOT EXISTS space_member_pg_role ON space_member (pg_role, space_id);

CREATE TABLE IF NOT EXISTS space_entry (
  space_id uuid NOT NULL REFERENCES space,
  seq bigint NOT NULL,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  entry_id uuid UNIQUE NOT NULL,
  author bytea NOT NULL,
  epoch int NOT NULL,
  kind smallint NOT NULL,
  mac bytea NOT NULL,
  nonce bytea NOT NULL,
  body bytea NOT NULL,
  sig bytea NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (space_id, seq)
);

CREATE TABLE IF NOT EXISTS space_key (
  space_id uuid NOT NULL REFERENCES space,
  epoch int NOT NULL,
  device bytea NOT NULL,
  wrapped bytea NOT NULL,
  signer bytea NOT NULL,
  signature bytea NOT NULL,
  PRIMARY KEY (space_id, epoch, device)
);

CREATE TABLE IF NOT EXISTS blob (
  space_id uuid NOT NULL REFERENCES space,
  name bytea NOT NULL,
  size bigint NOT NULL CHECK (size >= 0),
  chunks int NOT NULL CHECK (chunks >= 0),
  complete boolean NOT NULL DEFAULT false,
  PRIMARY KEY (space_id, name)
);

CREATE TABLE IF NOT EXISTS blob_chunk (
  space_id uuid NOT NULL,
  name bytea NOT NULL,
  n int NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (space_id, name, n),
  FOREIGN KEY (space_id, name) REFERENCES blob
);
-- Ciphertext does not compress: skip TOAST's attempt.
ALTER TABLE blob_chunk ALTER data SET STORAGE EXTERNAL;

ALTER TABLE dossier_schema OWNER TO dossier_owner;
ALTER TABLE space OWNER TO dossier_owner;
ALTER TABLE space_member OWNER TO dossier_owner;
ALTER TABLE space_entry OWNER TO dossier_owner;
ALTER TABLE space_key OWNER TO dossier_owner;
ALTER TABLE blob OWNER TO dossier_owner;
ALTER TABLE blob_chunk OWNER TO dossier_owner;

-- The length-prefixed part of a chain hash: its length as 8 big-endian bytes, then the bytes.
CREATE OR REPLACE FUNCTION dossier_lp(part bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog
RETURN int8send(length(part)::bigint) || part;

-- The chain hash of an entry header, byte for byte `chain_hash` of dossier-core
-- (core/src/store/sync/mod.rs).
CREATE OR REPLACE FUNCTION dossier_chain_hash(space_id uuid, seq bigint, prev_hash bytea,
  entry_id uuid, author bytea, epoch int, kind smallint, mac bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, public
RETURN sha256(dossier_lp(convert_to('dossier-space/1', 'UTF8')) || dossier_lp(uuid_send(space_id))
  || dossier_lp(int8send(seq)) || dossier_lp(prev_hash) || dossier_lp(uuid_send(entry_id))
  || dossier_lp(author) || dossier_lp(int4send(epoch)) || dossier_lp(int2send(kind))
  || dossier_lp(mac));

-- The caller's standing in a space: its best role among its active devices ('admin', 'editor',
-- 'reader'), 'revoked' when it has devices there but none active, 'stranger' when it has none,
-- 'none' when there is no such space.
CREATE OR REPLACE FUNCTION dossier_standing(space uuid) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
  SELECT CASE
    WHEN NOT EXISTS (SELECT FROM public.space s WHERE s.id = space) THEN 'none'
    ELSE coalesce(
      (SELECT CASE WHEN bool_or(m.active AND m.role = 'admin') THEN 'admin'
                   WHEN bool_or(m.active AND m.role = 'editor') THEN 'editor'
                   WHEN bool_or(m.active) THEN 'reader'
                   ELSE 'revoked' END
         FROM public.space_member m
        WHERE m.space_id = space AND m.pg_role = session_user
       HAVING count(*) > 0),
      'stranger')
  END
$$;

-- Whether the caller may read a space: an active device of its login there. Row level security asks
-- it for every row, so it looks at the member table under the definer's rights (a policy on
-- space_member reading space_member would recurse).
CREATE OR REPLACE FUNCTION dossier_reads(space uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
  SELECT EXISTS (SELECT FROM public.space_member m
                  WHERE m.space_id = space AND m.pg_role = session_user AND m.active)
$$;

-- Raises the refusal that says why the caller may not write to a space, if it may not; `need` is
-- 'editor' (appending, storing files) or 'admin' (membership, keys).
CREATE OR REPLACE FUNCTION dossier_require(space uuid, need text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  standing text := dossier_standing(space);
BEGIN
  IF standing = 'none' THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = format('no team space %s on this server', space);
  ELSIF standing = 'stranger' THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ',
      MESSAGE = format('login %s has no device in team space %s', session_user, space);
  ELSIF standing = 'revoked' THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREV',
      MESSAGE = format('login %s was removed from team space %s', session_user, space);
  ELSIF standing = 'reader' OR (need = 'admin' AND standing <> 'admin') THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ',
      MESSAGE = format('login %s has the role %s in team space %s; this needs %s', session_user,
        standing, space, CASE WHEN need = 'admin' THEN 'admin' ELSE 'editor or admin' END);
  END IF;
END
$$;

-- The append trigger: the compare-and-swap on the space's head. It locks the space row, so appends
-- to a space are serialized and commit in seq order ("seq > h" never skips a row); checks that the
-- author is an active writing device of the caller's login, that the entry continues the head, and
-- that its hash is the chain hash of its header; then advances the head and wakes the listeners.
CREATE OR REPLACE FUNCTION dossier_entry_append() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  s public.space%ROWTYPE;
  m public.space_member%ROWTYPE;
  h bytea;
BEGIN
  SELECT * INTO s FROM public.space WHERE id = NEW.space_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ',
      MESSAGE = format('no team space %s on this server', NEW.space_id);
  END IF;
  SELECT * INTO m FROM public.space_member
   WHERE space_id = NEW.space_id AND device = NEW.author AND pg_role = session_user;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = format(
      'the author of entry %s is not a device of login %s in team space %s', NEW.seq, session_user,
      NEW.space_id);
  ELSIF NOT m.active THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREV', MESSAGE = format(
      'the author of entry %s was removed from team space %s', NEW.seq, NEW.space_id);
  ELSIF m.role = 'reader' THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = format(
      'the author of entry %s is a reader in team space %s: readers do not write', NEW.seq,
      NEW.space_id);
  ELSIF s.frozen THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = format(
      'team space %s is frozen by the server''s operator while it is repaired', NEW.space_id);
  END IF;
  IF NEW.seq <> s.head_seq + 1 OR NEW.prev_hash IS DISTINCT FROM s.head_hash THEN
    RAISE EXCEPTION USING ERRCODE = 'DSMOV', MESSAGE = format(
      'the head of team space %s is entry %s, not %s: pull and try again', NEW.space_id,
      s.head_seq, NEW.seq - 1);
  END IF;
  IF length(NEW.author) <> 32 OR length(NEW.mac) <> 32 OR length(NEW.hash) <> 32 THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = format(
      'entry %s: author, mac and hash must be 32 bytes each', NEW.seq);
  END IF;
  h := dossier_chain_hash(NEW.space_id, NEW.seq, NEW.prev_hash, NEW.entry_id, NEW.author,
    NEW.epoch, NEW.kind, NEW.mac);
  IF NEW.hash <> h THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = format(
      'entry %s: its hash is not the chain hash of its header', NEW.seq);
  END IF;
  UPDATE public.space
     SET head_seq = NEW.seq, head_hash = h,
         genesis = CASE WHEN NEW.seq = 1 THEN h ELSE genesis END
   WHERE id = NEW.space_id;
  NEW.received_at := now();
  PERFORM pg_notify('dossier_' || replace(NEW.space_id::text, '-', ''), NEW.seq::text);
  RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER dossier_append BEFORE INSERT ON space_entry
  FOR EACH ROW EXECUTE FUNCTION dossier_entry_append();

-- Creates a space with an empty log, the caller's `device` its first (admin) device.
CREATE OR REPLACE FUNCTION dossier_create_space(space_id uuid, device bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
  IF length(device) <> 32 THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = 'a device key is 32 bytes';
  END IF;
  INSERT INTO public.space (id, head_seq, head_hash) VALUES (space_id, 0, decode(repeat('00', 32), 'hex'))
  ON CONFLICT (id) DO NOTHING;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ',
      MESSAGE = format('team space %s already exists on this server', space_id);
  END IF;
  INSERT INTO public.space_member (space_id, device, pg_role, role, active)
  VALUES (space_id, device, session_user, 'admin', true);
END
$$;

-- Adds a device to a space, changes its role or (in)activates it, as the log says; only for an
-- active admin device's login. `pg_role` NULL is the caller's own login.
CREATE OR REPLACE FUNCTION dossier_set_member(space_id uuid, device bytea, role text, pg_role name,
  active boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  login name := coalesce(pg_role, session_user);
BEGIN
  PERFORM dossier_require(space_id, 'admin');
  IF length(device) <> 32 THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = 'a device key is 32 bytes';
  END IF;
  IF role NOT IN ('admin', 'editor', 'reader') THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ',
      MESSAGE = format('no role %L: admin, editor or reader', role);
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles r WHERE r.rolname = login) THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = format(
      'no login %I on this server: the DBA creates it first (dossier team server-sql --role NAME)', login);
  END IF;
  INSERT INTO public.space_member AS m (space_id, device, pg_role, role, active)
  VALUES (space_id, device, login, role, active)
  ON CONFLICT ON CONSTRAINT space_member_pkey
  -- A change of role or a removal names no login: the device keeps the one it had.
  DO UPDATE SET pg_role = coalesce(dossier_set_member.pg_role, m.pg_role), role = EXCLUDED.role,
    active = EXCLUDED.active;
END
$$;

-- Stores chunk `n` of a sealed file; the same chunk sent again is kept once.
CREATE OR REPLACE FUNCTION dossier_put_chunk(space_id uuid, name bytea, n int, chunks int,
  size bigint, data bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  b public.blob%ROWTYPE;
BEGIN
  PERFORM dossier_require(space_id, 'editor');
  IF n < 0 OR n >= chunks THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ',
      MESSAGE = format('chunk %s of a file of %s chunks', n, chunks);
  END IF;
  INSERT INTO public.blob (space_id, name, size, chunks) VALUES (space_id, name, size, chunks)
  ON CONFLICT DO NOTHING;
  SELECT * INTO b FROM public.blob x WHERE x.space_id = dossier_put_chunk.space_id
     AND x.name = dossier_put_chunk.name;
  IF b.size <> size OR b.chunks <> chunks THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = format(
      'the file is stored as %s bytes in %s chunks, not %s in %s', b.size, b.chunks, size, chunks);
  END IF;
  INSERT INTO public.blob_chunk (space_id, name, n, data) VALUES (space_id, name, n, data)
  ON CONFLICT DO NOTHING;
END
$$;

-- Marks a sealed file complete: every chunk there, and their sizes add up to the file's.
CREATE OR REPLACE FUNCTION dossier_complete_blob(space_id uuid, name bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  b public.blob%ROWTYPE;
  have int;
  bytes bigint;
BEGIN
  PERFORM dossier_require(space_id, 'editor');
  SELECT * INTO b FROM public.blob x WHERE x.space_id = dossier_complete_blob.space_id
     AND x.name = dossier_complete_blob.name FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ', MESSAGE = 'no chunk of this file on the server';
  END IF;
  SELECT count(*), coalesce(sum(length(c.data)), 0) INTO have, bytes FROM public.blob_chunk c
   WHERE c.space_id = b.space_id AND c.name = b.name;
  IF have <> b.chunks THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ',
      MESSAGE = format('the file has %s of its %s chunks on the server', have, b.chunks);
  ELSIF bytes <> b.size THEN
    RAISE EXCEPTION USING ERRCODE = 'DSREJ',
      MESSAGE = format('the file''s chunks hold %s bytes, not %s', bytes, b.size);
  END IF;
  UPDATE public.blob x SET complete = true WHERE x.space_id = b.space_id AND x.name = b.name;
END
$$;

ALTER FUNCTION dossier_standing(uuid) OWNER TO dossier_definer;
ALTER FUNCTION dossier_reads(uuid) OWNER TO dossier_definer;
ALTER FUNCTION dossier_require(uuid, text) OWNER TO dossier_definer;
ALTER FUNCTION dossier_entry_append() OWNER TO dossier_definer;
ALTER FUNCTION dossier_create_space(uuid, bytea) OWNER TO dossier_definer;
ALTER FUNCTION dossier_set_member(uuid, bytea, text, name, boolean) OWNER TO dossier_definer;
ALTER FUNCTION dossier_put_chunk(uuid, bytea, int, int, bigint, bytea) OWNER TO dossier_definer;
ALTER FUNCTION dossier_complete_blob(uuid, bytea) OWNER TO dossier_definer;

REVOKE ALL ON FUNCTION dossier_standing(uuid), dossier_reads(uuid), dossier_require(uuid, text),
  dossier_entry_append(), dossier_create_space(uuid, bytea),
  dossier_set_member(uuid, bytea, text, name, boolean),
  dossier_put_chunk(uuid, bytea, int, int, bigint, bytea), dossier_complete_blob(uuid, bytea)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dossier_standing(uuid), dossier_reads(uuid), dossier_create_space(uuid, bytea), dossier_set_member(uuid, bytea, text, name, boolean),
  dossier_put_chunk(uuid, bytea, int, int, bigint, bytea), dossier_complete_blob(uuid, bytea)
  TO dossier_member;

-- What the definer's functions touch; nothing more.
GRANT SELECT, INSERT, UPDATE ON space, space_member, blob TO dossier_definer;
GRANT SELECT, INSERT ON blob_chunk TO dossier_definer;
GRANT SELECT ON space_entry TO dossier_definer;

-- Members read what row level security lets them, append entries and wrapped keys, and change
-- nothing: no UPDATE, DELETE or TRUNCATE, ever.
REVOKE ALL ON dossier_schema, space, space_member, space_entry, space_key, blob, blob_chunk
  FROM dossier_member;
GRANT SELECT ON dossier_schema, space, space_member, space_entry, space_key, blob, blob_chunk
  TO dossier_member;
GRANT INSERT ON space_entry, space_key TO dossier_member;

ALTER TABLE dossier_schema ENABLE ROW LEVEL SECURITY;
ALTER TABLE space ENABLE ROW LEVEL SECURITY;
ALTER TABLE space_member ENABLE ROW LEVEL SECURITY;
ALTER TABLE space_entry ENABLE ROW LEVEL SECURITY;
ALTER TABLE space_key ENABLE ROW LEVEL SECURITY;
ALTER TABLE blob ENABLE ROW LEVEL SECURITY;
ALTER TABLE blob_chunk ENABLE ROW LEVEL SECURITY;
ALTER TABLE dossier_schema FORCE ROW LEVEL SECURITY;
ALTER TABLE space FORCE ROW LEVEL SECURITY;
ALTER TABLE space_member FORCE ROW LEVEL SECURITY;
ALTER TABLE space_entry FORCE ROW LEVEL SECURITY;
ALTER TABLE space_key FORCE ROW LEVEL SECURITY;
ALTER TABLE blob FORCE ROW LEVEL SECURITY;
ALTER TABLE blob_chunk FORCE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS dossier_read ON dossier_schema;
CREATE POLICY dossier_read ON dossier_schema FOR SELECT USING (true);
DROP POLICY IF EXISTS dossier_read ON space;
CREATE POLICY dossier_read ON space FOR SELECT USING (dossier_reads(id));
DROP POLICY IF EXISTS dossier_read ON space_member;
CREATE POLICY dossier_read ON space_member FOR SELECT USING (dossier_reads(space_id));
DROP POLICY IF EXISTS dossier_read ON space_entry;
CREATE POLICY dossier_read ON space_entry FOR SELECT USING (dossier_reads(space_id));
DROP POLICY IF EXISTS dossier_read ON space_key;
CREATE POLICY dossier_read ON space_key FOR SELECT USING (dossier_reads(space_id));
DROP POLICY IF EXISTS dossier_read ON blob;
CREATE POLICY dossier_read ON blob FOR SELECT USING (dossier_reads(space_id));
DROP POLICY IF EXISTS dossier_read ON blob_chunk;
CREATE POLICY dossier_read ON blob_chunk FOR SELECT USING (dossier_reads(space_id));
-- Who may append is decided by the trigger, which says why it refuses.
DROP POLICY IF EXISTS dossier_append ON space_entry;
CREATE POLICY dossier_append ON space_entry FOR INSERT WITH CHECK (true);
DROP POLICY IF EXISTS dossier_wrap ON space_key;
CREATE POLICY dossier_wrap ON space_key FOR INSERT WITH CHECK (dossier_standing(space_id) = 'admin');

COMMIT;
