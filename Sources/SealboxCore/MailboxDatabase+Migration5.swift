// Migration v5 (gap 11 of issue 8): nothing in the database orders the rows of one day
// by arrival. Before it, `items.seq` (AUTOINCREMENT), `audit.seq` and the rowids of
// every table numbered rows in the order they were stored, and with any outside log the
// order gives the time of day. Every table is rebuilt as WITHOUT ROWID, keyed by random
// values (case references, item and attachment ids, lookup hashes), so the b-tree order
// is the order of those keys. The only order kept is `position`, an item's (and an audit
// entry's) place inside its own case: the reporter and the team need it, and it says
// nothing about the order of reports across the office.
//
// Rules this migration follows: append-only (v1–v4 stay as released); nothing is lost
// (every row is copied, positions come from the old `seq` order inside each case, the
// cursor tombstones of deleted items keep a day no later than their own); GRDB runs it
// with foreign keys off and checks them afterwards.
extension MailboxDatabase {
    static let withoutArrivalOrderSQL = """
        CREATE TABLE cases_v5 (
            ref TEXT PRIMARY KEY NOT NULL,
            lookup_hash BLOB NOT NULL UNIQUE,
            reporter_key BLOB NOT NULL,
            status TEXT NOT NULL DEFAULT 'received',
            received_day TEXT NOT NULL,
            acknowledged_day TEXT,
            updated_day TEXT NOT NULL,
            kdf_opslimit INTEGER,
            kdf_memlimit INTEGER
        ) STRICT, WITHOUT ROWID;
        INSERT INTO cases_v5 (ref, lookup_hash, reporter_key, status, received_day, acknowledged_day, updated_day,
                              kdf_opslimit, kdf_memlimit)
            SELECT ref, lookup_hash, reporter_key, status, received_day, acknowledged_day, updated_day,
                   kdf_opslimit, kdf_memlimit
            FROM cases ORDER BY ref;

        CREATE TABLE items_v5 (
            id TEXT PRIMARY KEY NOT NULL,
            case_ref TEXT NOT NULL REFERENCES cases(ref) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 1),
            kind TEXT NOT NULL,
            day TEXT NOT NULL,
            envelope BLOB NOT NULL,
            status TEXT,
            UNIQUE (case_ref, position)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO items_v5 (id, case_ref, position, kind, day, envelope, status)
            SELECT id, case_ref, ROW_NUMBER() OVER (PARTITION BY case_ref ORDER BY seq), kind, day, envelope, status
            FROM items ORDER BY id;

        CREATE TABLE attachments_v5 (
            id TEXT PRIMARY KEY NOT NULL,
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            size INTEGER NOT NULL,
            blob BLOB NOT NULL
        ) STRICT, WITHOUT ROWID;
        INSERT INTO attachments_v5 (id, item_id, size, blob) SELECT id, item_id, size, blob FROM attachments ORDER BY id;

        CREATE TABLE audit_v5 (
            case_ref TEXT NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 1),
            day TEXT NOT NULL,
            staff_key TEXT NOT NULL,
            action TEXT NOT NULL,
            PRIMARY KEY (case_ref, position)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO audit_v5 (case_ref, position, day, staff_key, action)
            SELECT case_ref, ROW_NUMBER() OVER (PARTITION BY case_ref ORDER BY seq), day, staff_key, action
            FROM audit ORDER BY case_ref;

        CREATE TABLE cursor_tombstones_v5 (
            id TEXT PRIMARY KEY NOT NULL,
            day TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;
        INSERT INTO cursor_tombstones_v5 (id, day)
            SELECT t.id, COALESCE(
                (SELECT i.day FROM items i WHERE i.seq < t.seq ORDER BY i.seq DESC LIMIT 1),
                (SELECT MIN(i.day) FROM items i), '2000-01-01')
            FROM cursor_tombstones t ORDER BY t.id;

        CREATE TABLE pending_purges_v5 (
            case_ref TEXT PRIMARY KEY NOT NULL
        ) STRICT, WITHOUT ROWID;
        INSERT INTO pending_purges_v5 (case_ref) SELECT case_ref FROM pending_purges ORDER BY case_ref;

        DROP TABLE attachments;
        DROP TABLE items;
        DROP TABLE cases;
        DROP TABLE audit;
        DROP TABLE cursor_tombstones;
        DROP TABLE pending_purges;
        ALTER TABLE cases_v5 RENAME TO cases;
        ALTER TABLE items_v5 RENAME TO items;
        ALTER TABLE attachments_v5 RENAME TO attachments;
        ALTER TABLE audit_v5 RENAME TO audit;
        ALTER TABLE cursor_tombstones_v5 RENAME TO cursor_tombstones;
        ALTER TABLE pending_purges_v5 RENAME TO pending_purges;
        CREATE INDEX cases_kdf_cost ON cases(kdf_opslimit, kdf_memlimit);
        CREATE INDEX items_feed ON items(day, id);
        CREATE INDEX attachments_item ON attachments(item_id);
        """
}
