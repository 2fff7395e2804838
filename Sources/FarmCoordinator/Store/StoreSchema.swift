import GRDB

/// The state database's tables, created and evolved by numbered migrations.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs, clips, attempts, workers") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    spec TEXT NOT NULL,
                    state TEXT NOT NULL,
                    submitted_at REAL NOT NULL,
                    finished_at REAL,
                    rollout_path TEXT NOT NULL
                );
                CREATE TABLE clips (
                    job INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                    idx INTEGER NOT NULL,
                    file TEXT NOT NULL,
                    steps TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    failures INTEGER NOT NULL,
                    worker TEXT,
                    failed_on TEXT NOT NULL,
                    error TEXT,
                    path TEXT,
                    PRIMARY KEY (job, idx)
                );
                CREATE TABLE attempts (
                    job INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    attempt INTEGER NOT NULL,
                    worker TEXT NOT NULL,
                    started_at REAL NOT NULL,
                    ended_at REAL,
                    outcome TEXT NOT NULL,
                    error TEXT,
                    PRIMARY KEY (job, idx, attempt),
                    FOREIGN KEY (job, idx) REFERENCES clips(job, idx) ON DELETE CASCADE
                );
                CREATE TABLE workers (
                    id TEXT PRIMARY KEY,
                    info TEXT NOT NULL,
                    state TEXT NOT NULL,
                    job INTEGER,
                    idx INTEGER,
                    attempt INTEGER,
                    last_heard REAL NOT NULL
                );
                CREATE INDEX jobs_by_state ON jobs(state);
                """)
        }
        migrator.registerMigration("v2: clips belong to a stream; clips removed under keep_last_n_clips") { db in
            try db.execute(sql: """
                ALTER TABLE clips ADD COLUMN stream INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE clips ADD COLUMN removed TEXT;
                CREATE INDEX clips_by_path ON clips(path);
                """)
        }
        migrator.registerMigration("v3: workers lost while holding a clip (poison clips)") { db in
            try db.execute(sql: "ALTER TABLE clips ADD COLUMN lost_workers INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v4: run folders belong to the client key that first submitted into them") { db in
            try db.execute(sql: """
                CREATE TABLE run_owners (
                    workflow TEXT NOT NULL,
                    task TEXT NOT NULL,
                    run TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    PRIMARY KEY (workflow, task, run)
                );
                """)
        }
        migrator.registerMigration("v5: a clip waiting for a worker is stored as the wire names it, queued") { db in
            try db.execute(sql: "UPDATE clips SET state = 'queued' WHERE state = 'pending'")
        }
        return migrator
    }
}
