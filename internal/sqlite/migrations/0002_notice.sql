-- Notices: drafted templates (every version kept), per-incident settings,
-- approvals; remedy programmes and code pools; the hash-chained audit log.
CREATE TABLE notice_templates (
	id          INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	locale      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	source      TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	drafted_by  TEXT NOT NULL DEFAULT '',
	drafted_at  TEXT NOT NULL,
	UNIQUE (incident_id, locale, version)
);

CREATE TABLE notice_settings (
	incident_id  INTEGER PRIMARY KEY REFERENCES incidents (id),
	signer_name  TEXT NOT NULL DEFAULT '',
	signer_title TEXT NOT NULL DEFAULT '',
	steps        TEXT NOT NULL DEFAULT '[]',
	secret       TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);

CREATE TABLE notice_approvals (
	id            INTEGER PRIMARY KEY,
	incident_id   INTEGER NOT NULL REFERENCES incidents (id),
	approved_by   TEXT NOT NULL,
	hash          TEXT NOT NULL,
	template_hash TEXT NOT NULL,
	facts_hash    TEXT NOT NULL,
	rules_version TEXT NOT NULL,
	approved_at   TEXT NOT NULL
);
CREATE INDEX notice_approvals_incident ON notice_approvals (incident_id, id);

CREATE TABLE remedy_programs (
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	kind        TEXT NOT NULL,
	provider    TEXT NOT NULL DEFAULT '',
	months      INTEGER NOT NULL DEFAULT 0,
	description TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL,
	deadline    TEXT NOT NULL DEFAULT '',
	updated_at  TEXT NOT NULL,
	PRIMARY KEY (incident_id, kind)
);

-- One row per code; person_id is set when the code is assigned.
CREATE TABLE remedy_codes (
	id          INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	kind        TEXT NOT NULL,
	code        TEXT NOT NULL,
	person_id   INTEGER REFERENCES people (id),
	assigned_at TEXT,
	UNIQUE (incident_id, kind, code)
);
CREATE UNIQUE INDEX remedy_codes_person ON remedy_codes (incident_id, kind, person_id);
CREATE INDEX remedy_codes_free ON remedy_codes (incident_id, kind, person_id, id);

CREATE TABLE audit_log (
	seq         INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	incident_id INTEGER NOT NULL DEFAULT 0,
	subject     TEXT NOT NULL DEFAULT '',
	detail      TEXT NOT NULL DEFAULT '',
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
);
CREATE INDEX audit_log_incident ON audit_log (incident_id, seq);

-- The log's last entry, kept apart so that deleting the newest rows shows.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  INTEGER NOT NULL,
	hash TEXT NOT NULL
);
