-- campaigns: rounds of notices for an incident; deliveries: one notice to one
-- person through one channel in one campaign, with its proof. Times are RFC 3339
-- text; next_at is written in a fixed-width UTC form so that it sorts as text.
CREATE TABLE campaigns (
	id            INTEGER PRIMARY KEY,
	incident_id   INTEGER NOT NULL REFERENCES incidents (id),
	name          TEXT NOT NULL,
	status        TEXT NOT NULL,
	approval      TEXT NOT NULL,
	status_reason TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	UNIQUE (incident_id, name)
);

-- next_at is when the row may next be claimed: the enqueue time, a retry time,
-- or the end of a worker's lease (so a dead worker's rows come back by
-- themselves). sends counts accepted transmissions; recoveries counts times the
-- row was found in flight after a crash and sent again.
CREATE TABLE deliveries (
	id          INTEGER PRIMARY KEY,
	campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	person_id   INTEGER NOT NULL REFERENCES people (id),
	channel     TEXT NOT NULL,
	state       TEXT NOT NULL,
	recipient   TEXT NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	sends       INTEGER NOT NULL DEFAULT 0,
	recoveries  INTEGER NOT NULL DEFAULT 0,
	claims      INTEGER NOT NULL DEFAULT 0,
	message_id  TEXT NOT NULL DEFAULT '',
	body_sha256 TEXT NOT NULL DEFAULT '',
	reply       TEXT NOT NULL DEFAULT '',
	last_error  TEXT NOT NULL DEFAULT '',
	next_at     TEXT NOT NULL,
	lease_owner TEXT NOT NULL DEFAULT '',
	print_batch TEXT NOT NULL DEFAULT '',
	fallback_of INTEGER NOT NULL DEFAULT 0,
	queued_at   TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	sent_at     TEXT,
	bounced_at  TEXT,
	UNIQUE (campaign_id, person_id, channel)
);
-- Only deliveries still to send (or in flight) are indexed for claims: a sent
-- delivery leaves the index, so the index stays the size of the queue.
CREATE INDEX deliveries_claim ON deliveries (channel, state, campaign_id, next_at)
	WHERE state IN ('queued', 'deferred', 'sending');
CREATE INDEX deliveries_person ON deliveries (incident_id, person_id);
CREATE INDEX deliveries_message ON deliveries (message_id);
CREATE INDEX deliveries_recipient ON deliveries (recipient);

CREATE TABLE delivery_events (
	id          INTEGER PRIMARY KEY,
	delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
	at          TEXT NOT NULL,
	kind        TEXT NOT NULL,
	state       TEXT NOT NULL,
	detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_events_delivery ON delivery_events (delivery_id, id);
