// kysely's Migrator asks the dialect's introspector whether its tables exist. PostgreSQL's stock introspector
// answers by reading every table of every schema of the database, and calls pg_get_serial_sequence on each
// column by name: a schema that another process drops meanwhile (another venue's, a test run's clean-up)
// makes that read fail with `schema "..." does not exist` and the store would not open. Measured: 70 of
// 1,743 stock reads failed while a second connection created and dropped schemas. This introspector reads
// only the connection's own schema (the first on its search_path), which nothing else drops.
import { PostgresDialect, PostgresIntrospector, sql, type DatabaseIntrospector, type DatabaseMetadata, type DatabaseMetadataOptions, type Kysely, type SchemaMetadata, type TableMetadata } from 'kysely';

interface ColumnRow {
  table_name: string;
  kind: string;
  column_name: string;
  data_type: string;
  not_null: boolean;
  column_default: string | null;
  schema: string;
}

/** kysely's internal tables: hidden unless asked for, as the stock introspector does. */
const KYSELY_TABLES = /^kysely_migration(_lock)?$/;

export class CurrentSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<any>;
  readonly #schemas: PostgresIntrospector;

  constructor(db: Kysely<any>) {
    this.#db = db;
    this.#schemas = new PostgresIntrospector(db);
  }

  /** The list of schemas reads pg_namespace only, which a concurrent drop does not break. */
  getSchemas(): Promise<SchemaMetadata[]> {
    return this.#schemas.getSchemas();
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    // the catalog by oid, filtered to one namespace before anything looks a name up
    const { rows } = await sql<ColumnRow>`
      select c.relname as table_name, c.relkind::text as kind, a.attname as column_name, t.typname as data_type,
        a.attnotnull as not_null, pg_get_expr(d.adbin, d.adrelid) as column_default, n.nspname as schema
      from pg_catalog.pg_namespace n
      join pg_catalog.pg_class c on c.relnamespace = n.oid
      join pg_catalog.pg_attribute a on a.attrelid = c.oid
      join pg_catalog.pg_type t on t.oid = a.atttypid
      left join pg_catalog.pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
      where n.nspname = current_schema() and c.relkind in ('r', 'v', 'p') and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attnum`.execute(this.#db);
    const tables = new Map<string, { name: string; isView: boolean; schema: string; columns: TableMetadata['columns'][number][] }>();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && KYSELY_TABLES.test(row.table_name)) continue;
      let table = tables.get(row.table_name);
      if (table === undefined) {
        table = { name: row.table_name, isView: row.kind === 'v', schema: row.schema, columns: [] };
        tables.set(row.table_name, table);
      }
      table.columns.push({
        name: row.column_name,
        dataType: row.data_type,
        isNullable: !row.not_null,
        hasDefaultValue: row.column_default !== null,
        isAutoIncrementing: row.column_default?.startsWith('nextval(') ?? false,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}

/** PostgreSQL as kysely speaks it, introspecting only the connection's current schema. */
export class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
