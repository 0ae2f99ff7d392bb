import type { QueryResultRow } from 'pg';
import type { CacheFamily } from '../config';
import type { SnowflakeInput } from '../entities/snowflake';
import { checkOptions } from '../query/check-options';
import { DatabaseError } from '../errors/database-error';
import { ValidationError, type FieldError } from '../errors/validation-error';
import { buildTableModel } from '../query/build-table-model';
import { coerceValue } from '../query/coerce-value';
import { isPlainObject } from '../query/is-plain-object';
import { groupArrays, groupByColumns } from '../query/bulk-insert';
import { insertManyStatement } from '../query/bulk-insert-statements';
import { bulkUpdateStatement, type BulkUpdateRow } from '../query/bulk-update-statements';
import { writesGuild } from '../query/ensure-guild';
import { countStatement, existsStatement, findAllStatement, getByIdStatement, paginateStatement } from '../query/select-statements';
import type { Statement } from '../query/sql';
import type { ColumnModel, TableModel } from '../query/table-model';
import { upsertStatement } from '../query/upsert-statement';
import {
  deleteByIdStatement,
  deleteWhereStatement,
  insertStatement,
  updateByIdStatement,
  updateWhereStatement,
} from '../query/write-statements';
import type { DatabaseService } from '../service/database-service';
import type { StatementOptions, StatementRunner } from '../service/statement-runner';
import { UnitOfWork } from '../service/unit-of-work';
import { entityHydrator, type Hydrator } from './entity-hydrator';
import { prepareColumns } from './prepare-columns';
import { prepareValues, type PreparedValues, type WriteMode } from './prepare-values';
import { CREATES_GUILD } from './ensure-guild-sql';
import type {
  BulkUpdate,
  EntityFilter,
  FindAllOptions,
  FindOneOptions,
  Page,
  PaginateOptions,
  UpdateWhereOptions,
  UpsertOptions,
  Values,
} from './repository-types';

/** The most rows one page may hold. */
export const MAX_PER_PAGE = 1000;
// The keys each options object takes: anything else is refused, never ignored.
const FILTER_OPTIONS = ['filters'] as const;
const FIND_ONE_OPTIONS = ['filters', 'orderBy'] as const;
const FIND_ALL_OPTIONS = ['filters', 'orderBy', 'limit', 'offset'] as const;
const PAGINATE_OPTIONS = ['filters', 'orderBy', 'page', 'perPage'] as const;
const UPDATE_WHERE_OPTIONS = ['filters', 'values'] as const;
const UPSERT_OPTIONS = ['filters', 'defaults', 'values'] as const;
const BULK_UPDATE_ITEM = ['id', 'values'] as const;
const PREPARED: StatementOptions = { prepare: true };
// count's options: prepared, its one row read as an array (see count).
const COUNT: StatementOptions = { prepare: true, rowsAsArrays: true };
/**
 * The options of a prepared statement whose rows are only ever hydrated (the select list, in order): they are read
 * as arrays, which spares pg a keyed object per row (see StatementOptions.rowsAsArrays).
 */
export const HYDRATED: StatementOptions = { prepare: true, rowsAsArrays: true };
const CREATES_GUILD_HYDRATED: StatementOptions = { ...CREATES_GUILD, rowsAsArrays: true };

/**
 * The generic operations every repository has (docs/guide.md, "BaseRepository"). Each validates its input, has
 * its statement built by a pure builder of src/query (from the entity's metadata, every value bound), sends it straight
 * to the connection TypeORM manages, and turns the rows, keyed by property name, into entity instances. Inserts into
 * guild-owned tables create the guild row when it is missing, in the same statement.
 *
 * ```ts
 * const open = await db.case.findAll({ filters: { guildId, caseStatus: true }, orderBy: { caseNumber: 'DESC' }, limit: 10 });
 * ```
 */
export abstract class BaseRepository<T extends object, TId = SnowflakeInput> {
  private cachedModel: TableModel | undefined;
  private cachedHydrator: Hydrator<T> | undefined;

  /** What the repository runs its statements through: the service's narrow side, never its lifecycle. */
  protected readonly runner: StatementRunner;
  /** The unit of work withSession runs in: the container's, or one of this service's when built by hand. */
  private readonly unitOfWork: UnitOfWork;

  constructor(
    service: DatabaseService,
    protected readonly entity: new () => T,
    unitOfWork?: UnitOfWork,
  ) {
    this.runner = service;
    this.unitOfWork = unitOfWork ?? new UnitOfWork(service);
  }

  /** The SQL builders' view of the entity, built once from TypeORM's metadata. */
  protected get model(): TableModel {
    return (this.cachedModel ??= buildTableModel(this.runner.metadata(this.entity)));
  }

  /**
   * Inserts one row and returns it as stored (defaults and generated keys filled in). Insert-only fields (a guild's
   * `caseCount`) may be given here; fields the repository assigns (a case's `caseNumber`) may not.
   * @throws ValidationError before any SQL; UniqueViolationError / ForeignKeyViolationError / CheckViolationError.
   *
   * ```ts
   * const snippet = await db.snippet.create({ guildId, snippetName: 'rules', snippetContent: 'Be kind.', snippetUserId: userId });
   * snippet.uses; // 0: defaults and the generated snippetId are filled in
   * ```
   */
  async create(values: Values<T>): Promise<T> {
    const prepared = this.prepare(values, 'insert');
    const result = await this.runStatement(insertStatement(this.model, prepared), this.insertOptions(prepared.columns, true));
    return this.hydrate(this.firstRow(result.rows));
  }

  /**
   * Inserts many rows in one statement and returns them in input order. The values go as one array per column
   * (`INSERT … SELECT FROM unnest(…)`), so any number of rows is one statement; rows that set different fields
   * become separate INSERTs in that statement. Every row is validated first; nothing is written if any fails.
   * @throws ValidationError naming `[index].field` for every failing field of every row.
   *
   * ```ts
   * const [faq, help] = await db.snippet.createMany([
   *   { guildId, snippetName: 'faq', snippetContent: 'See #faq.', snippetUserId: userId },
   *   { guildId, snippetName: 'help', snippetUserId: userId, locked: true },
   * ]); // in input order, though the two rows set different fields
   * ```
   */
  async createMany(values: ReadonlyArray<Values<T>>): Promise<T[]> {
    if (!Array.isArray(values)) throw ValidationError.forField(this.model.entityName, 'values', 'must be an array of rows');
    if (values.length === 0) return [];
    // A repository that adds checks of its own to prepare (permission commands refuse restricted names) keeps every
    // row on that path: prepareColumns knows the entity's rules only.
    const batch = this.prepare === BaseRepository.prototype.prepare ? prepareColumns(this.model, this.entity, values) : undefined;
    if (batch !== undefined) {
      const { statement, createsGuild } = insertManyStatement(this.model, [batch]);
      return (await this.runStatement(statement, { prepare: true, createsGuild, rowsAsArrays: true })).rows.map((r) => this.hydrate(r));
    }
    // Every index, not map: a hole in a sparse array is a missing row to refuse, not one to skip. Every row's
    // problems are gathered before one ValidationError, so a caller fixes a batch in one round.
    const rows: PreparedValues[] = [];
    const errors: FieldError[] = [];
    for (let i = 0; i < values.length; i++) {
      try {
        rows.push(this.prepareRow(values[i], i));
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        errors.push(...e.errors);
      }
    }
    if (errors.length > 0) throw new ValidationError(this.model.entityName, errors);
    const groups = groupByColumns(rows);
    const { statement, createsGuild } = insertManyStatement(this.model, groups.map((group) => groupArrays(group, rows)));
    if (groups.length === 1) {
      return (await this.runStatement(statement, { prepare: true, createsGuild, rowsAsArrays: true })).rows.map((r) => this.hydrate(r));
    }
    // Each row comes back labelled with its group and goes back to its place. Unnamed: the mix of groups varies
    // from call to call.
    const result = await this.runStatement<Record<string, unknown>>(statement, { createsGuild });
    const created = new Array<T>(rows.length);
    const places = groups.map((g) => g.positions.values());
    for (const row of result.rows) {
      const place = places[Number(row['__group'])]?.next().value;
      if (place === undefined) throw new DatabaseError(`${this.model.entityName}: createMany got back a row it did not insert`);
      created[place] = this.hydrate(row);
    }
    return created;
  }

  /**
   * The row with this primary key, or null. Composite keys take an object (`{ userId, guildId }`).
   *
   * ```ts
   * const { caseId } = await db.case.createCase({ guildId, caseType: CaseType.WARN, caseUserId: userId, caseModeratorId: moderatorId });
   * (await db.case.getById(caseId))?.caseNumber; // 1
   * await db.afk.getById({ userId, guildId }); // null: no such row (a composite key is an object)
   * ```
   */
  async getById(id: TId): Promise<T | null> {
    const result = await this.runStatement(getByIdStatement(this.model, this.idParams(id)), HYDRATED);
    return this.firstOrNull(result.rows);
  }

  /**
   * The first row matching `filters` in `orderBy` order, or null.
   *
   * ```ts
   * await db.case.createCase({ guildId, caseType: CaseType.BAN, caseUserId: userId, caseModeratorId: moderatorId });
   * const latest = await db.case.findOne({ filters: { guildId, caseUserId: userId }, orderBy: { caseNumber: 'DESC' } }); // the BAN, case 2
   * await db.case.findOne({ filters: { guildId, caseType: CaseType.KICK } }); // null: no row matches
   * ```
   */
  async findOne(options: FindOneOptions<T> = {}): Promise<T | null> {
    this.checkOptions(options, FIND_ONE_OPTIONS, 'findOne');
    const rows = await this.findAll({ ...options, limit: 1 });
    return rows[0] ?? null;
  }

  /**
   * Rows matching `filters`, ordered, limited and offset.
   *
   * ```ts
   * const [first, second] = await db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' }, limit: 2 });
   * const rest = await db.case.findAll({ filters: { guildId }, orderBy: { caseNumber: 'ASC' }, offset: 1 });
   * rest.map((c) => c.caseNumber); // [2]: every case but the first
   * ```
   */
  async findAll(options: FindAllOptions<T> = {}): Promise<T[]> {
    this.checkOptions(options, FIND_ALL_OPTIONS, 'findAll');
    const limit = this.optionalCount('limit', options.limit);
    const offset = this.optionalCount('offset', options.offset);
    const statement = findAllStatement(this.model, { filters: options.filters, orderBy: options.orderBy, limit, offset });
    const result = await this.runStatement(statement, HYDRATED);
    return result.rows.map((r) => this.hydrate(r));
  }

  /**
   * How many rows match `filters`.
   *
   * ```ts
   * await db.snippet.count({ filters: { guildId, locked: false } }); // 2
   * await db.snippet.count(); // 3: without filters, every row of every guild
   * ```
   */
  count(options: { readonly filters?: EntityFilter<T> } = {}): Promise<number> {
    // The bench's count target (issue #18): no async frame, and the row read as an array, so pg builds no keyed
    // object for it; 3 µs less client CPU per call, measured (bench/RESULTS.md). A cached count may come back keyed.
    let statement: Statement;
    try {
      this.checkOptions(options, FILTER_OPTIONS, 'count');
      statement = countStatement(this.model, options.filters);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.runStatement<QueryResultRow>(statement, COUNT).then((result) => {
      const row = this.firstRow(result.rows);
      return Number(Array.isArray(row) ? row[0] : row['n']);
    });
  }

  /**
   * Whether any row matches `filters`.
   *
   * ```ts
   * await db.case.exists({ filters: { guildId, caseUserId: userId, caseType: CaseType.BAN } }); // true
   * await db.afk.exists({ filters: { guildId, userId } }); // false
   * ```
   */
  async exists(options: { readonly filters?: EntityFilter<T> } = {}): Promise<boolean> {
    this.checkOptions(options, FILTER_OPTIONS, 'exists');
    const result = await this.runStatement<{ e: boolean }>(existsStatement(this.model, options.filters), PREPARED);
    return this.firstRow(result.rows).e;
  }

  /**
   * Updates the row with this key and returns it, or null when there is none.
   * @throws ValidationError before any SQL, also for a field no update may change (a guild's `caseCount`, a case's
   * `caseNumber` or `guildId`; see WriteRule).
   *
   * ```ts
   * const { snippetId } = await db.snippet.createSnippet({ guildId, snippetName: 'old', snippetContent: 'Old text', snippetUserId: userId });
   * const updated = await db.snippet.updateById(snippetId, { snippetContent: 'New text' }); // the row as stored now
   * await db.snippet.updateById('999999999', { locked: true }); // null: no such row, nothing thrown
   * ```
   */
  async updateById(id: TId, values: Values<T>): Promise<T | null> {
    const prepared = this.prepare(values, 'update');
    const result = await this.runStatement(updateByIdStatement(this.model, prepared, this.idParams(id)), HYDRATED);
    return this.firstOrNull(result.rows);
  }

  /**
   * Updates every row matching `filters`; returns how many rows changed. Filters may name any field.
   * @throws ValidationError before any SQL, also for a field no update may change (see updateById).
   *
   * ```ts
   * await db.snippet.updateWhere({ filters: { guildId, snippetUserId: userId }, values: { locked: true } }); // 4: every match, already locked or not
   * await db.snippet.updateWhere({ filters: { guildId, snippetName: 'none' }, values: { locked: true } }); // 0: no row matched
   * ```
   */
  async updateWhere(options: UpdateWhereOptions<T>): Promise<number> {
    this.requireFilters(options, UPDATE_WHERE_OPTIONS, 'updateWhere');
    const prepared = this.prepare(options.values, 'update');
    return this.affectedRows(updateWhereStatement(this.model, prepared, options.filters), PREPARED);
  }

  /**
   * Updates many rows, each by its primary key with its own values, in ONE statement (`UPDATE … FROM unnest(…)`;
   * Tux's bulk_update sends one UPDATE per row) and returns how many rows changed (keys with no row count nothing).
   * Rows may set different fields. Every item is checked first, under the same write rules as updateById; nothing is
   * sent if any fails, and two items with the same key are refused (which one would win is not defined in SQL).
   * @throws ValidationError naming `[index].field` for every bad item, before any SQL.
   *
   * ```ts
   * const changed = await db.case.bulkUpdate([
   *   { id: first.caseId, values: { caseReason: 'Spam (appeal denied)' } },
   *   { id: second.caseId, values: { caseStatus: false } },
   * ]);
   * ```
   */
  async bulkUpdate(updates: ReadonlyArray<BulkUpdate<T, TId>>): Promise<number> {
    if (!Array.isArray(updates)) throw ValidationError.forField(this.model.entityName, 'updates', 'must be an array of { id, values }');
    const rows: BulkUpdateRow[] = [];
    const errors: FieldError[] = [];
    const seen = new Map<string, number>();
    // Every index, not map: a hole in a sparse array is a missing item to refuse, not one to skip.
    for (let i = 0; i < updates.length; i++) {
      try {
        const item: unknown = updates[i];
        this.checkOptions(item, BULK_UPDATE_ITEM, 'bulkUpdate');
        const key = this.idParams(item.id);
        const set = this.prepare(item.values, 'update', `[${i}]`);
        if (set.columns.length === 0) throw ValidationError.forField(this.model.entityName, `[${i}].values`, 'must set at least one field');
        const name = JSON.stringify(key.map(String));
        const first = seen.get(name);
        if (first !== undefined) throw ValidationError.forField(this.model.entityName, `[${i}].id`, `is the same row as [${first}]: give each row once`);
        seen.set(name, i);
        rows.push({ key, set });
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        errors.push(...e.errors.map((f) => (f.field.startsWith('[') ? f : { field: `[${i}].${f.field}`, message: f.message })));
      }
    }
    if (errors.length > 0) throw new ValidationError(this.model.entityName, errors);
    if (rows.length === 0) return 0;
    return this.affectedRows(bulkUpdateStatement(this.model, rows));
  }

  /**
   * Deletes the row with this key; true when a row was deleted.
   *
   * ```ts
   * const { snippetId } = await db.snippet.createSnippet({ guildId, snippetName: 'temp', snippetUserId: userId });
   * await db.snippet.deleteById(snippetId); // true
   * await db.snippet.deleteById(snippetId); // false: already gone, nothing thrown
   * ```
   */
  async deleteById(id: TId): Promise<boolean> {
    return (await this.affectedRows(deleteByIdStatement(this.model, this.idParams(id)), PREPARED)) > 0;
  }

  /**
   * Deletes every row matching `filters` (required; `{}` deletes all); returns how many were deleted.
   *
   * ```ts
   * await db.snippet.deleteWhere({ filters: { guildId, snippetName: { in: ['faq', 'help'] } } }); // 2
   * ```
   */
  async deleteWhere(options: { readonly filters: EntityFilter<T> }): Promise<number> {
    this.requireFilters(options, FILTER_OPTIONS, 'deleteWhere');
    return this.affectedRows(deleteWhereStatement(this.model, options.filters), PREPARED);
  }

  /**
   * The row whose unique key equals `filters`, created from `filters` + `defaults` when missing.
   * One `INSERT … ON CONFLICT` statement: concurrent callers all get the same single row. `defaults` are only
   * inserted, so they may set an insert-only field (import a guild's count: `getOrCreate({ guildId }, { caseCount })`).
   * @returns [row, created]
   * @throws ValidationError when `filters` is not exactly a unique key of the entity, or a field's write rule refuses it.
   *
   * ```ts
   * const [rank, created] = await db.permissionRanks.getOrCreate({ guildId, rank: 3 }, { name: 'Moderator' }); // created: true
   * const [same, again] = await db.permissionRanks.getOrCreate({ guildId, rank: 3 }, { name: 'Mod' }); // again: false, same.name: 'Moderator'
   * ```
   */
  async getOrCreate(filters: Values<T>, defaults: Values<T> = {}): Promise<[T, boolean]> {
    if (!isPlainObject(defaults)) throw ValidationError.forField(this.model.entityName, 'defaults', `must be an object of fields (leave it out for none), not ${describeValue(defaults)}`);
    return this.upsert({ filters, defaults });
  }

  /**
   * Inserts `filters` + `defaults` + `values`, or, when a row with that unique key exists, updates it with
   * `values` only. One `INSERT … ON CONFLICT DO UPDATE` statement, race-free. An insert-only field (a guild's
   * `caseCount`) may be among `defaults`, never among `values`.
   * @returns [row, created]
   * @throws ValidationError before any SQL, for bad fields or a field its write rule refuses (see WriteRule).
   *
   * ```ts
   * const [row, created] = await db.levels.upsert({ filters: { userId, guildId }, defaults: { xp: 500 }, values: { blacklisted: true } });
   * // created: true, row.level: 5 (stored with the XP)
   * const [again] = await db.levels.upsert({ filters: { userId, guildId }, defaults: { xp: 0 }, values: { blacklisted: false } });
   * // again.xp: 500, again.blacklisted: false: an existing row gets `values` only
   * ```
   */
  async upsert(options: UpsertOptions<T>): Promise<[T, boolean]> {
    this.checkOptions(options, UPSERT_OPTIONS, 'upsert');
    // Spread into the insert, a number or an array would add nothing and be ignored without a word.
    for (const field of ['values', 'defaults'] as const) {
      const given: unknown = options[field];
      if (given !== undefined && !isPlainObject(given)) {
        throw ValidationError.forField(this.model.entityName, `options.${field}`, `must be an object of fields (leave it out for none), not ${describeValue(given)}`);
      }
    }
    const key = this.conflictKey(options.filters);
    const values = options.values ?? {};
    // `values` may update an existing row, so they obey the update rules (no insert-only column such as a guild's
    // caseCount); `filters` and `defaults` are only ever inserted. DO UPDATE sets only `values` (or, with none, a key
    // column to the value it already holds, so the row comes back), never an insert-only column.
    const updated = this.prepare(values, 'update');
    const inserted = this.prepare({ ...options.defaults, ...values, ...options.filters }, 'insert');
    const statement = upsertStatement(this.model, { key, inserted, updated: updated.columns });
    const result = await this.runStatement<Record<string, unknown>>(statement, { ...this.insertOptions(inserted.columns), upsert: true });
    return this.withCreatedFlag(this.firstRow(result.rows));
  }

  /**
   * One page of rows plus the total: `page` starts at 1, `perPage` is 1–1000 (default 20). One statement
   * (the total rides along as a scalar count), plus a count only when a page after the first is empty.
   *
   * ```ts
   * await db.case.createCases(guildId, [1, 2, 3].map(() => ({ caseType: CaseType.WARN, caseUserId: userId, caseModeratorId: moderatorId })));
   * const page = await db.case.paginate({ filters: { guildId }, orderBy: { caseNumber: 'DESC' }, page: 2, perPage: 2 });
   * // page.items: cases 3 and 2; total: 5, pages: 3, hasNext: true, hasPrev: true
   * ```
   */
  async paginate(options: PaginateOptions<T> = {}): Promise<Page<T>> {
    this.checkOptions(options, PAGINATE_OPTIONS, 'paginate');
    // Only a missing page or perPage takes the default: null is a value, and not a number.
    const page = options.page === undefined ? 1 : options.page;
    const perPage = options.perPage === undefined ? 20 : options.perPage;
    if (!Number.isSafeInteger(page) || page < 1) throw ValidationError.forField(this.model.entityName, 'page', 'must be an integer ≥ 1');
    if (!Number.isSafeInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
      throw ValidationError.forField(this.model.entityName, 'perPage', `must be an integer from 1 to ${MAX_PER_PAGE}`);
    }
    // The rows skipped are bound as an int8 OFFSET: keep them an exact integer, as `limit` and `offset` are.
    if (!Number.isSafeInteger((page - 1) * perPage)) {
      throw ValidationError.forField(this.model.entityName, 'page', `is too far: (page - 1) × perPage must be at most ${Number.MAX_SAFE_INTEGER}`);
    }
    const statement = paginateStatement(this.model, { filters: options.filters, orderBy: options.orderBy, perPage, offset: (page - 1) * perPage });
    const rows = (await this.runStatement<Record<string, unknown>>(statement, PREPARED)).rows;
    // An empty first page means no rows at all; past the end, the total needs its own count.
    const total = rows.length > 0 ? Number(rows[0]?.['__total']) : page === 1 ? 0 : await this.count({ filters: options.filters });
    // The entities take their columns only: `__total` stays behind.
    const items = rows.map((row) => this.hydrate(row));
    const pages = Math.ceil(total / perPage);
    return { items, total, page, perPage, pages, hasNext: page < pages, hasPrev: page > 1 };
  }

  /**
   * The seed's `with_session`: runs `fn` in a unit of work (or joins the current one), so every write it
   * makes through any repository commits together or not at all.
   *
   * ```ts
   * await db.case.withSession(async (cases) => {
   *   await cases.createCase({ guildId, caseType: CaseType.JAIL, caseUserId: userId, caseModeratorId: moderatorId });
   *   await db.guildConfig.setJailRoleId(guildId, roleId); // same transaction: both commit, or neither
   * });
   * ```
   */
  async withSession<R>(fn: (repository: this) => Promise<R>): Promise<R> {
    if (typeof fn !== 'function') throw ValidationError.forField(this.model.entityName, 'fn', 'must be a function (repository) => Promise');
    return this.unitOfWork.run(() => fn(this));
  }

  /**
   * The cache family of this repository's reads (undefined: not cached). The service caches only declared reads of
   * one guild outside units, so setting it covers every read method of the repository, generic ones included.
   */
  protected readonly cacheFamily: CacheFamily | undefined = undefined;

  /** Runs a built statement (see src/query) on the ambient transaction or the pool; reads under the cacheFamily. */
  protected runStatement<R extends QueryResultRow = QueryResultRow>(statement: Statement, options?: StatementOptions) {
    const family = this.cacheFamily;
    return this.runner.run<R>(statement, family !== undefined && options?.cache === undefined ? { ...options, cache: family } : options);
  }

  /**
   * Turns a row into an entity instance, its columns only: a row keyed by property name, or one read as an array of
   * the select list (see entityHydrator).
   */
  protected hydrate(row: QueryResultRow): T {
    return (this.cachedHydrator ??= entityHydrator(this.entity, [...this.model.columns.keys()]))(row);
  }

  /** Validates a write (see prepareValues). */
  protected prepare(values: unknown, mode: WriteMode, path?: string, provided?: ReadonlySet<string>) {
    return prepareValues(this.model, this.entity, values, mode, path, provided);
  }

  /** The first row as an entity, or null when the statement returned none (a lookup or a write by key). */
  protected firstOrNull(rows: ReadonlyArray<QueryResultRow>): T | null {
    const row = rows[0];
    return row === undefined ? null : this.hydrate(row);
  }

  /** Runs a write and returns how many rows it changed (0 when the driver reports no count). */
  protected async affectedRows(statement: Statement, options?: StatementOptions): Promise<number> {
    return (await this.runStatement(statement, options)).rowCount ?? 0;
  }

  /** Bound values of a member's user and guild ids, in that order (per-member tables). @throws ValidationError for a bad id. */
  protected memberParams(userId: unknown, guildId: unknown): unknown[] {
    return [this.coerce('userId', userId, 'userId'), this.coerce('guildId', guildId, 'guildId')];
  }

  /** The first row of a result that must have one. */
  protected firstRow<R>(rows: R[]): R {
    const row = rows[0];
    if (row === undefined) throw new DatabaseError(`${this.model.entityName}: the statement returned no row where one was certain`);
    return row;
  }

  /** The column of a property this repository's SQL names (never user input). */
  protected column(property: string): ColumnModel {
    const column = this.model.columns.get(property);
    if (!column) throw new DatabaseError(`${this.model.entityName} has no column ${property}`);
    return column;
  }

  /** Validates one value for a property's column and returns it ready to bind (see coerceValue). */
  protected coerce(property: string, value: unknown, path: string = property): unknown {
    return coerceValue(this.model, this.column(property), value, path);
  }

  /** `[entity, created]` from a row carrying the `__created` flag of an upsert. */
  protected withCreatedFlag(row: Record<string, unknown>): [T, boolean] {
    return [this.hydrate(row), row['__created'] === true];
  }

  /** Bound values of a row's key (see TableModel.idKeys) given as a scalar or, for composite keys, an object. */
  protected idParams(id: unknown): unknown[] {
    const keys = this.model.idKeys;
    if (keys.length === 1) return [coerceValue(this.model, keys[0] as ColumnModel, id, keys[0]?.property ?? 'id')];
    if (typeof id !== 'object' || id === null) {
      throw ValidationError.forField(this.model.entityName, 'id', `must be an object with ${keys.map((k) => k.property).join(' and ')}`);
    }
    const record = id as Record<string, unknown>;
    const unknown = Object.keys(record).filter((name) => !keys.some((k) => k.property === name));
    if (unknown.length > 0) throw ValidationError.forField(this.model.entityName, unknown[0] as string, `is not part of the key (${keys.map((k) => k.property).join(', ')})`);
    return keys.map((k) => coerceValue(this.model, k, record[k.property], k.property));
  }

  /** Validates row `index` of a bulk insert (see prepareValues); every error is named `[index].field`. */
  protected prepareRow(row: unknown, index: number, provided?: ReadonlySet<string>) {
    try {
      return this.prepare(row, 'insert', `[${index}]`, provided);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      throw new ValidationError(this.model.entityName, e.errors.map((f) => ({ field: f.field.startsWith('[') ? f.field : `[${index}].${f.field}`, message: f.message })));
    }
  }

  /**
   * Options of an insert of `columns`: one that writes the guild column creates its guild row (see writesGuild).
   * `hydrated`: its rows are only hydrated, so they are read as arrays.
   */
  private insertOptions(columns: ReadonlyArray<ColumnModel>, hydrated = false): StatementOptions {
    if (writesGuild(this.model, columns)) return hydrated ? CREATES_GUILD_HYDRATED : CREATES_GUILD;
    return hydrated ? HYDRATED : PREPARED;
  }

  private conflictKey(filters: unknown): ReadonlyArray<ColumnModel> {
    if (typeof filters !== 'object' || filters === null) {
      throw ValidationError.forField(this.model.entityName, 'filters', 'must be an object naming a unique key');
    }
    const names = Object.keys(filters).sort().join(',');
    const key = this.model.uniqueKeys.find((k) => k.map((c) => c.property).sort().join(',') === names);
    if (!key) {
      const options = this.model.uniqueKeys.map((k) => `{ ${k.map((c) => c.property).join(', ')} }`).join(' or ');
      throw ValidationError.forField(this.model.entityName, 'filters', `must name exactly one unique key: ${options}`);
    }
    return key;
  }

  private optionalCount(name: string, value: unknown): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw ValidationError.forField(this.model.entityName, name, 'must be a non-negative integer');
    }
    return value;
  }

  /**
   * JavaScript callers can pass anything where the types say an options object, and a misspelt key (`filter`)
   * would silently widen a read or a write to every row: refuse both with a ValidationError (see checkOptions).
   */
  protected checkOptions<K extends string>(options: unknown, allowed: ReadonlyArray<K>, method: string): asserts options is Partial<Record<K, unknown>> {
    checkOptions(this.model.entityName, options, allowed, method);
  }

  private requireFilters(options: unknown, allowed: ReadonlyArray<string>, method: string): void {
    this.checkOptions(options, allowed, method);
    if ((options as { filters?: unknown }).filters === undefined) {
      throw ValidationError.forField(this.model.entityName, 'filters', `is required by ${method} (pass {} to affect every row on purpose)`);
    }
  }
}

// What a value that should have been an object of fields is, for the message.
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return value instanceof Date ? 'a Date' : typeof value === 'object' ? 'an object of another class' : `a ${typeof value}`;
}
