CREATE TABLE organization (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	data       TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE incidents (
	id               INTEGER PRIMARY KEY,
	title            TEXT NOT NULL,
	status           TEXT NOT NULL,
	discovered_at    TEXT NOT NULL,
	occurred_from    TEXT,
	occurred_to      TEXT,
	contained_at     TEXT,
	time_zone        TEXT NOT NULL DEFAULT '',
	what_happened    TEXT NOT NULL DEFAULT '',
	cause            TEXT NOT NULL DEFAULT '',
	systems_affected TEXT NOT NULL DEFAULT '[]',
	elements         INTEGER NOT NULL DEFAULT 0,
	encrypted        INTEGER NOT NULL DEFAULT 0,
	key_compromised  INTEGER NOT NULL DEFAULT 0,
	harm_likely      TEXT NOT NULL DEFAULT 'unknown',
	le_delay         INTEGER NOT NULL DEFAULT 0,
	le_note          TEXT NOT NULL DEFAULT '',
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL
);

CREATE TABLE import_batches (
	id               INTEGER PRIMARY KEY,
	incident_id      INTEGER NOT NULL REFERENCES incidents (id),
	file_name        TEXT NOT NULL,
	file_sha256      TEXT NOT NULL,
	complete         INTEGER NOT NULL DEFAULT 0,
	started_at       TEXT NOT NULL,
	finished_at      TEXT,
	rows_done        INTEGER NOT NULL DEFAULT 0,
	quarantine_bytes INTEGER NOT NULL DEFAULT 0,
	imported         INTEGER NOT NULL DEFAULT 0,
	updated          INTEGER NOT NULL DEFAULT 0,
	unchanged        INTEGER NOT NULL DEFAULT 0,
	duplicates       INTEGER NOT NULL DEFAULT 0,
	rejected         INTEGER NOT NULL DEFAULT 0,
	-- upserted is set once any chunk met an existing key; until then every row
	-- was a plain insert and imported counts them, so finishing needs no scan.
	upserted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_batches_resume ON import_batches (incident_id, file_sha256, complete);

-- people: who was affected and which elements of theirs leaked (never the values).
-- contact packs the fields that are only ever read with the row (external id, names, phone,
-- address, locale), separated by U+001F, so that a bulk import binds few values per row.
-- Read people through sqlstore (FindPeople, scanPerson) to get the fields unpacked; in SQL,
-- filter on email <> '' for e-mail reach and mailable = 1 for a postal address.
-- change: i inserted, c changed, u unchanged, in the batch that last saw the row;
-- dup_count: rows of that batch merged into this one from later chunks.
CREATE TABLE people (
	id           INTEGER PRIMARY KEY,
	incident_id  INTEGER NOT NULL, -- no FOREIGN KEY: a per-row check would slow bulk imports; BeginImport checks the incident
	pkey         TEXT NOT NULL,
	email        TEXT NOT NULL DEFAULT '',
	jurisdiction TEXT NOT NULL DEFAULT '',
	contact      TEXT NOT NULL DEFAULT '',
	elements     INTEGER NOT NULL,
	minor        INTEGER NOT NULL DEFAULT 0,
	deceased     INTEGER NOT NULL DEFAULT 0,
	no_contact   INTEGER NOT NULL DEFAULT 0,
	mailable     INTEGER NOT NULL DEFAULT 0,
	content_hash INTEGER NOT NULL,
	first_batch  INTEGER NOT NULL,
	batch        INTEGER NOT NULL,
	change       TEXT NOT NULL DEFAULT 'i',
	dup_count    INTEGER NOT NULL DEFAULT 0,
	UNIQUE (incident_id, pkey)
);
