import sqlite3 from 'sqlite3';

// A plain sqlite3 connection with promises, for what TypeORM's shared connection must not do:
// hold a file lock of its own (the data directory lock) or stand in for another process.

export class SqliteConnection {
  private constructor(private readonly db: sqlite3.Database, readonly path: string) {}

  static open(path: string): Promise<SqliteConnection> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(new SqliteConnection(db, path))));
    });
  }

  run(sql: string, params: unknown[] = []): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, (error) => (error ? reject(error) : resolve()));
    });
  }

  all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.db.all<T>(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.db.close((error) => (error ? reject(error) : resolve()));
    });
  }
}
