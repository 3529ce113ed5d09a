-- The record database as hoso made it before migrations (metadata.create_all, no alembic_version table),
-- with one row in every table. Made from workers/records/tables.py at that time; see tests/resources/README.md.
CREATE TABLE dossiers (
	code VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	meta JSON NOT NULL, 
	documents JSON NOT NULL, 
	created_at FLOAT NOT NULL, 
	updated_at FLOAT NOT NULL, 
	PRIMARY KEY (code)
);
CREATE TABLE originals (
	sha256 VARCHAR(64) NOT NULL, 
	size BIGINT NOT NULL, 
	object_key VARCHAR(200) NOT NULL, 
	first_name VARCHAR(500) NOT NULL, 
	created_at FLOAT NOT NULL, 
	PRIMARY KEY (sha256)
);
CREATE TABLE users (
	name VARCHAR(100) NOT NULL, 
	role VARCHAR(16) NOT NULL, 
	password_hash VARCHAR(200), 
	lang VARCHAR(8) NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at FLOAT NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE watch_intake (
	id INTEGER NOT NULL, 
	root VARCHAR(1000) NOT NULL, 
	path VARCHAR(1000) NOT NULL, 
	folder VARCHAR(1000) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	size BIGINT NOT NULL, 
	mtime_ns BIGINT NOT NULL, 
	state VARCHAR(12) NOT NULL, 
	segments JSON, 
	error_kind VARCHAR(64), 
	error_message TEXT, 
	settled BOOLEAN NOT NULL, 
	settled_as VARCHAR(1000), 
	created_at FLOAT NOT NULL, 
	updated_at FLOAT NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_watch_intake_sha256 ON watch_intake (sha256);
CREATE TABLE dossier_files (
	dossier_code VARCHAR(64) NOT NULL, 
	position INTEGER NOT NULL, 
	name VARCHAR(500) NOT NULL, 
	sha256 VARCHAR(64), 
	kind VARCHAR(8), 
	pages INTEGER, 
	error_kind VARCHAR(64), 
	error_message TEXT, 
	PRIMARY KEY (dossier_code, position), 
	FOREIGN KEY(dossier_code) REFERENCES dossiers (code)
);
CREATE TABLE pages (
	dossier_code VARCHAR(64) NOT NULL, 
	number INTEGER NOT NULL, 
	file_position INTEGER NOT NULL, 
	source_page INTEGER NOT NULL, 
	state VARCHAR(12) NOT NULL, 
	attempts INTEGER NOT NULL, 
	lease_until FLOAT, 
	result JSON, 
	error TEXT, 
	updated_at FLOAT NOT NULL, 
	PRIMARY KEY (dossier_code, number), 
	FOREIGN KEY(dossier_code) REFERENCES dossiers (code)
);
CREATE INDEX pages_by_state_and_age ON pages (state, updated_at);
CREATE TABLE corrections (
	id INTEGER NOT NULL, 
	dossier_code VARCHAR(64) NOT NULL, 
	target VARCHAR(32) NOT NULL, 
	document INTEGER, 
	"key" VARCHAR(64), 
	old TEXT, 
	new TEXT, 
	pages JSON, 
	who VARCHAR(100) NOT NULL, 
	at FLOAT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(dossier_code) REFERENCES dossiers (code)
);
CREATE TABLE api_tokens (
	token_sha256 VARCHAR(64) NOT NULL, 
	user_name VARCHAR(100) NOT NULL, 
	created_at FLOAT NOT NULL, 
	PRIMARY KEY (token_sha256), 
	FOREIGN KEY(user_name) REFERENCES users (name)
);
CREATE TABLE dossier_search (
	dossier_code VARCHAR(64) NOT NULL, 
	folded TEXT NOT NULL, 
	indexed_at FLOAT NOT NULL, 
	PRIMARY KEY (dossier_code), 
	FOREIGN KEY(dossier_code) REFERENCES dossiers (code)
);
INSERT INTO dossiers (code, status, meta, documents, created_at, updated_at) VALUES ('HS-OLD-1', 'needs_review', '{"folder": "land"}', '[{"type": "birth_certificate", "type_confidence": 0.91, "pages": [1], "fields": {}, "needs_review": true}]', 1700000000.0, 1700000100.0);
INSERT INTO originals (sha256, size, object_key, first_name, created_at) VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 1234, 'originals/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'giấy khai sinh.pdf', 1700000000.0);
INSERT INTO dossier_files (dossier_code, position, name, sha256, kind, pages, error_kind, error_message) VALUES ('HS-OLD-1', 0, 'giấy khai sinh.pdf', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'pdf', 1, NULL, NULL);
INSERT INTO pages (dossier_code, number, file_position, source_page, state, attempts, lease_until, result, error, updated_at) VALUES ('HS-OLD-1', 1, 0, 1, 'pending', 0, NULL, NULL, NULL, 1700000050.0);
INSERT INTO corrections (id, dossier_code, target, document, "key", old, new, pages, who, at) VALUES (1, 'HS-OLD-1', 'field', 0, 'full_name', 'Nguyen Van A', 'Nguyễn Văn A', '[1]', 'reviewer1', 1700000200.0);
INSERT INTO users (name, role, password_hash, lang, active, created_at) VALUES ('reviewer1', 'reviewer', NULL, 'vi', 1, 1700000000.0);
INSERT INTO api_tokens (token_sha256, user_name, created_at) VALUES ('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'reviewer1', 1700000000.0);
INSERT INTO dossier_search (dossier_code, folded, indexed_at) VALUES ('HS-OLD-1', 'hs-old-1 nguyen van a giay khai sinh', 1700000100.0);
INSERT INTO watch_intake (id, root, path, folder, sha256, size, mtime_ns, state, segments, error_kind, error_message, settled, settled_as, created_at, updated_at) VALUES (1, '/srv/inbox', '/srv/inbox/land/giấy khai sinh.pdf', 'land', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 1234, 1700000000000000000, 'done', '[{"code": "HS-OLD-1", "first": 1, "last": 1}]', NULL, NULL, 1, 'done/land/giấy khai sinh.pdf', 1700000000.0, 1700000060.0);
