"""The record database's schema: the metadata, every table and index, and SQLite's connection pragmas."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()

dossiers = sa.Table(
    "dossiers",
    metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("meta", sa.JSON, nullable=False, default=dict),
    sa.Column("documents", sa.JSON, nullable=False, default=list),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, default=0, server_default="0"),  # +1 at every correction
    sa.Column("claimed_by", sa.String(100), nullable=True),  # the reviewer who has it open from the queue
    sa.Column("claimed_until", sa.Float, nullable=True),
    sa.Column("centre", sa.String(64), nullable=True, index=True),  # the service centre that received it
    sa.Column("procedure", sa.String(64), nullable=True),  # the procedure's key (schemas/procedures.json)
    sa.Column("deleted_at", sa.Float, nullable=True),  # in the trash since (an admin deleted it in the app)
    sa.Column("deleted_by", sa.String(100), nullable=True),
)

originals = sa.Table(
    "originals",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("object_key", sa.String(200), nullable=False),
    sa.Column("first_name", sa.String(500), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

files = sa.Table(
    "dossier_files",
    metadata,
    sa.Column("dossier_code", sa.String(64), sa.ForeignKey("dossiers.code"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=True),
    sa.Column("kind", sa.String(8), nullable=True),
    sa.Column("pages", sa.Integer, nullable=True),
    sa.Column("error_kind", sa.String(64), nullable=True),
    sa.Column("error_message", sa.Text, nullable=True),
)

pages = sa.Table(
    "pages",
    metadata,
    sa.Column("dossier_code", sa.String(64), sa.ForeignKey("dossiers.code"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("file_position", sa.Integer, nullable=False),
    sa.Column("source_page", sa.Integer, nullable=False),
    sa.Column("state", sa.String(12), nullable=False),  # pending | running | done | failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("lease_until", sa.Float, nullable=True),
    sa.Column("result", sa.JSON, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("updated_at", sa.Float, nullable=False),
)
# The sweeper looks for pages left pending or running too long across all dossiers.
sa.Index("pages_by_state_and_age", pages.c.state, pages.c.updated_at)


corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dossier_code", sa.String(64), sa.ForeignKey("dossiers.code"), nullable=False),
    sa.Column("target", sa.String(32), nullable=False),  # document_type | field | word
    sa.Column("document", sa.Integer, nullable=True),  # index in the dossier's documents
    sa.Column("key", sa.String(64), nullable=True),  # field key, or page:word for OCR text
    sa.Column("old", sa.Text, nullable=True),
    sa.Column("new", sa.Text, nullable=True),
    sa.Column("pages", sa.JSON, nullable=True),  # the document's page numbers at the time
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

# --- the web app: staff, their API tokens, the search text of each dossier ----------------------------------

users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),  # counter | reviewer | admin
    sa.Column("password_hash", sa.String(200), nullable=True),  # argon2; None: API token only
    sa.Column("lang", sa.String(8), nullable=False, default="vi"),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.Float, nullable=False),
    # the centres whose dossiers the user serves, space-separated; '' for every centre (admins, one-centre setups)
    sa.Column("centres", sa.Text, nullable=False, default="", server_default=""),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),  # the token itself is never stored
    sa.Column("user_name", sa.String(100), sa.ForeignKey("users.name"), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=True),  # None: never (made with --days 0)
)

# --- sign-in: server-side sessions, failed sign-ins counted per account and per address, the audit -------------

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id_sha256", sa.String(64), primary_key=True),  # the cookie carries the id; only its hash is kept
    sa.Column("user_name", sa.String(100), sa.ForeignKey("users.name"), nullable=False, index=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("seen_at", sa.Float, nullable=False),
    sa.Column("ended_at", sa.Float, nullable=True),  # logout, password change, user disabled
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),  # user:NAME | addr:ADDRESS
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False),
    sa.Column("locked", sa.Boolean, nullable=False, default=False),  # until an admin unlocks it
)

login_audit = sa.Table(
    "login_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("user_name", sa.String(100), nullable=False),  # as typed (cut to 100); never a password
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),  # ok | wrong | throttled | locked | busy
)

read_audit = sa.Table(
    "read_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("dossier_code", sa.String(64), nullable=False, index=True),  # no foreign key: kept after a delete
    sa.Column("what", sa.String(16), nullable=False),  # record | page | image | pdf
    sa.Column("page", sa.Integer, nullable=True),
)

# --- deletion: what was removed, by whom and when (counts, never names), and the corrections' audit kept -------

deletion_audit = sa.Table(
    "deletion_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("dossier_code", sa.String(64), nullable=False, index=True),  # no foreign key: the dossier is gone
    sa.Column("files", sa.Integer, nullable=False),
    sa.Column("pages", sa.Integer, nullable=False),
    sa.Column("objects", sa.Integer, nullable=False),  # page images, OCR TSV, the PDF, originals removed
    sa.Column("originals_removed", sa.Integer, nullable=False),
    sa.Column("originals_kept", sa.Integer, nullable=False),  # shared with another dossier
    sa.Column("corrections", sa.Integer, nullable=False),
)

deleted_corrections = sa.Table(
    "deleted_corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),  # the correction's id, as it was
    sa.Column("deletion_id", sa.Integer, sa.ForeignKey("deletion_audit.id"), nullable=False, index=True),
    sa.Column("dossier_code", sa.String(64), nullable=False),
    sa.Column("target", sa.String(32), nullable=False),
    sa.Column("document", sa.Integer, nullable=True),
    sa.Column("key", sa.String(64), nullable=True),  # which field or word; its values (citizens' data) are not kept
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

dossier_search = sa.Table(
    "dossier_search",
    metadata,
    sa.Column("dossier_code", sa.String(64), sa.ForeignKey("dossiers.code"), primary_key=True),
    sa.Column("folded", sa.Text, nullable=False),  # code, citizen, page text, field values: lower case, no diacritics
    sa.Column("indexed_at", sa.Float, nullable=False),
    sa.Column("text", sa.Text, nullable=False, server_default=""),  # the same as printed (NFC)
)

# --- the watch folder's intake journal: one row per file taken, so a restarted watcher resumes -------------

watch_intake = sa.Table(
    "watch_intake",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("root", sa.String(1000), nullable=False),  # the watch folder, absolute
    sa.Column("path", sa.String(1000), nullable=False),  # the file inside it, as found
    sa.Column("folder", sa.String(1000), nullable=False),  # its subfolder ('' at the top)
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("mtime_ns", sa.BigInteger, nullable=False),  # with size: is the file in the folder still this one?
    sa.Column("state", sa.String(12), nullable=False),  # received | stored | split | done | duplicate | failed
    sa.Column("segments", sa.JSON, nullable=True),  # [{"code", "first", "last"}]: the dossiers the file makes
    sa.Column("error_kind", sa.String(64), nullable=True),
    sa.Column("error_message", sa.Text, nullable=True),
    sa.Column("settled", sa.Boolean, nullable=False, default=False),  # the file has left the folder
    sa.Column("settled_as", sa.String(1000), nullable=True),  # done/… | failed/… | deleted | vanished
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)


# --- the outbox: every change of a dossier's status, written with the change, delivered to the portal -------

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),  # per dossier: the order of its changes
    sa.Column("key", sa.String(36), nullable=False, unique=True),  # the idempotency key: the same at every attempt
    sa.Column("dossier_code", sa.String(64), nullable=False),  # no foreign key: a deletion is a change too
    sa.Column("centre", sa.String(64), nullable=True),  # the dossier's centre: whose admins see the change
    sa.Column("status", sa.String(16), nullable=False),  # the new status, or "deleted"
    sa.Column("at", sa.Float, nullable=False),  # when the status changed
    sa.Column("body", sa.Text, nullable=False),  # the JSON sent, byte for byte at every attempt (it is signed)
    sa.Column("state", sa.String(12), nullable=False),  # pending | delivered | failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("since", sa.Float, nullable=True),  # the first attempt since it was written or resent
    sa.Column("next_at", sa.Float, nullable=False),  # not tried again before (the backoff)
    sa.Column("lease", sa.String(32), nullable=True),  # the deliverer sending it now ...
    sa.Column("lease_until", sa.Float, nullable=True),  # ... and until when; after that another may
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("delivered_at", sa.Float, nullable=True),
)
# The deliverer's question: the oldest change of each dossier not delivered yet.
sa.Index("outbox_by_dossier", outbox.c.dossier_code, outbox.c.id)
sa.Index("outbox_by_state", outbox.c.state, outbox.c.next_at)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA secure_delete=ON")  # a deleted row (a citizen's name) is overwritten, not left in free pages
    cur.close()
