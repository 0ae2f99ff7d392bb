import { injectable } from 'tsyringe';
import { Snippet } from '../entities/snippet';
import type { SnowflakeInput } from '../entities/snowflake';
import { NotFoundError } from '../errors/not-found-error';
import { ValidationError } from '../errors/validation-error';
import { escapeLike } from '../query/escape-like';
import {
  aliasesStatement,
  createAliasStatement,
  deleteSnippetByNameStatement,
  incrementUsesStatement,
  snippetByNameStatement,
  toggleLockStatement,
} from '../query/snippet-statements';
import { DatabaseService } from '../service/database-service';
import { UnitOfWork } from '../service/unit-of-work';
import { BaseRepository } from './base-repository';
import { preparedValue, type PreparedValues, type WriteMode } from './prepare-values';

/** What createSnippet takes: uses start at 0, ids and timestamps come from the database. */
export interface NewSnippet {
  /** The snippet's name, 1–100 characters, unique in the guild whatever the letter case. */
  readonly snippetName: string;
  /** The snippet's text, at most 4000 characters; null or omitted for none. */
  readonly snippetContent?: string | null;
  /** The snippet's author: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly snippetUserId: SnowflakeInput;
  /** The guild the snippet belongs to: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly guildId: SnowflakeInput;
  /** Makes the snippet an alias of the snippet with this name (createAlias checks the target exists). */
  readonly alias?: string | null;
  /** Whether the snippet starts locked against edits (default false). */
  readonly locked?: boolean;
}

/** What createAlias takes: the alias's name, the name it points at, the guild and the alias's author. */
export interface NewAliasOptions {
  /** The alias's name, 1–100 characters, unique in the guild whatever the letter case. */
  readonly aliasName: string;
  /** The snippet (or alias) to point at, any letter case. */
  readonly targetName: string;
  /** The guild of the alias and its target: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly guildId: SnowflakeInput;
  /** The alias's author: Discord snowflake (a string; a bigint or safe-integer number is accepted). */
  readonly userId: SnowflakeInput;
}

const NEW_ALIAS_KEYS = ['aliasName', 'targetName', 'guildId', 'userId'] as const;

const NEW_SNIPPET_KEYS = ['snippetName', 'snippetContent', 'snippetUserId', 'guildId', 'alias', 'locked'] as const;

// createAlias without a userId: the alias statement copies the target's author.
const AUTHOR_FROM_TARGET: ReadonlySet<string> = new Set(['snippetUserId']);

/**
 * Text snippets and their aliases. Names are unique per guild ignoring case (the expression index
 * uq_snippet_guild_name on (guild_id, lower(snippet_name))), and this repository's own lookups by name
 * (getSnippetByName, createAlias, …) ignore case too. The generic filters compare a name exactly, as every filter
 * does: `findOne({ filters: { guildId, snippetName: 'Rules' } })` misses `rules`; `{ snippetName: { ilike: 'rules' } }`
 * (with escapeLike for user input) matches either.
 */
@injectable()
export class SnippetRepository extends BaseRepository<Snippet> {
  constructor(service: DatabaseService, unitOfWork?: UnitOfWork) {
    super(service, Snippet, unitOfWork);
  }

  /**
   * Every write, the generic ones too, refuses an alias of itself: a write giving `alias` and `snippetName` that are
   * the same name in any letter case (getSnippetByName would resolve the alias to itself).
   * @throws ValidationError for such an alias.
   */
  protected override prepare(values: unknown, mode: WriteMode, path?: string, provided?: ReadonlySet<string>): PreparedValues {
    const prepared = super.prepare(values, mode, path, provided);
    const alias = preparedValue(prepared, 'alias');
    const name = preparedValue(prepared, 'snippetName');
    if (typeof alias === 'string' && typeof name === 'string' && alias.toLowerCase() === name.toLowerCase()) {
      throw ValidationError.forField(this.model.entityName, 'alias', 'must name another snippet, not the snippet itself');
    }
    return prepared;
  }

  /**
   * Creates a snippet (and the guild row if the guild has none yet) in one statement and returns it.
   * @throws ValidationError for bad input or a key that is not a NewSnippet field (uses, ids and timestamps are the
   * database's); UniqueViolationError (constraint uq_snippet_guild_name) when the guild already has a snippet of that
   * name in any letter case.
   *
   * ```ts
   * const rules = await db.snippet.createSnippet({ snippetName: 'rules', snippetContent: 'Be nice.', snippetUserId: userId, guildId }); // uses 0, unlocked
   * const taken = await db.snippet.createSnippet({ snippetName: 'Rules', snippetUserId: userId, guildId }).catch((e) => e); // UniqueViolationError
   * ```
   */
  async createSnippet(values: NewSnippet): Promise<Snippet> {
    this.checkOptions(values, NEW_SNIPPET_KEYS, 'createSnippet');
    return this.create(values);
  }

  /**
   * The snippet with this name in the guild (any letter case), or null. An alias resolves to its target in
   * the same statement; an alias whose target no longer exists comes back itself (alias set, no content).
   * @throws ValidationError for a bad name or guild id.
   *
   * ```ts
   * const rules = await db.snippet.getSnippetByName('RULES', guildId); // the 'rules' snippet: any letter case; null when none
   * ```
   */
  async getSnippetByName(name: string, guildId: SnowflakeInput): Promise<Snippet | null> {
    const result = await this.runStatement(snippetByNameStatement(this.model, this.guild(guildId), this.name(name, 'name')), { prepare: true });
    return this.firstOrNull(result.rows);
  }

  /**
   * Creates `aliasName` as an alias of the snippet named `targetName` (any case; an alias of an alias points at the
   * final target) in one statement, and returns the alias. One options object, so the two names cannot be swapped:
   * a positional call (the old `(aliasName, targetName, …)` or Tux's `(original_name, alias_name, guild_id)`) is
   * refused. For Tux's argument order use createSnippetAlias.
   * @throws NotFoundError when the guild has no snippet named `targetName`; UniqueViolationError when `aliasName` is
   * taken; ValidationError, before any SQL, for bad input or a positional call.
   *
   * ```ts
   * const alias = await db.snippet.createAlias({ aliasName: 'r', targetName: 'rules', guildId, userId: moderatorId });
   * ```
   */
  async createAlias(options: NewAliasOptions): Promise<Snippet> {
    if (typeof options !== 'object' || options === null) {
      throw ValidationError.forField(
        this.model.entityName,
        'options',
        'must be { aliasName, targetName, guildId, userId }: write createAlias({ aliasName, targetName, guildId, userId }), or createSnippetAlias(originalName, aliasName, guildId) in Tux\'s order',
      );
    }
    this.checkOptions(options, NEW_ALIAS_KEYS, 'createAlias');
    return this.insertAlias(options.targetName, options.aliasName, options.guildId, options.userId);
  }

  /**
   * Tux's create_snippet_alias(original_name, alias_name, guild_id), in Tux's argument order: creates `aliasName`
   * as an alias of the snippet named `originalName` (any case) and returns it. The alias's author is `userId`, or,
   * as in Tux, the original's author when omitted. Unlike Tux, the alias copies no content: lookups by name follow
   * it to the original (getSnippetByName), so an edit of the original shows through.
   * @throws NotFoundError when the guild has no snippet named `originalName`; UniqueViolationError when
   * `aliasName` is taken; ValidationError, before any SQL, for bad input.
   *
   * ```ts
   * const alias = await db.snippet.createSnippetAlias('rules', 'rule', guildId);
   * ```
   */
  async createSnippetAlias(originalName: string, aliasName: string, guildId: SnowflakeInput, userId?: SnowflakeInput): Promise<Snippet> {
    return this.insertAlias(originalName, aliasName, guildId, userId);
  }

  /**
   * The aliases pointing at the snippet named `targetName` (any case), by name; empty when none. @throws ValidationError.
   *
   * ```ts
   * const names = (await db.snippet.getAliases('RULES', guildId)).map((a) => a.snippetName); // ['r', 'rule']
   * ```
   */
  async getAliases(targetName: string, guildId: SnowflakeInput): Promise<Snippet[]> {
    const statement = aliasesStatement(this.model, this.guild(guildId), this.name(targetName, 'targetName'));
    return (await this.runStatement(statement, { prepare: true })).rows.map((r) => this.hydrate(r));
  }

  /**
   * Deletes the snippet (or alias) with this name, any case; true when one was deleted. Aliases of a deleted
   * snippet stay and then resolve to themselves (see getSnippetByName). @throws ValidationError.
   *
   * ```ts
   * const deleted = await db.snippet.deleteSnippetByName('R', guildId); // true (the alias 'r'); false when no such name
   * ```
   */
  async deleteSnippetByName(name: string, guildId: SnowflakeInput): Promise<boolean> {
    const statement = deleteSnippetByNameStatement(this.model, this.guild(guildId), this.name(name, 'name'));
    return (await this.affectedRows(statement, { prepare: true })) > 0;
  }

  /**
   * Adds one use atomically (`uses = uses + 1`, one statement), saturating at 2147483647 (the int4 maximum) rather
   * than overflowing; returns the new count, or null when no such snippet. @throws ValidationError for a bad id.
   *
   * ```ts
   * const { snippetId } = (await db.snippet.getSnippetByName('rules', guildId))!;
   * const uses = await db.snippet.incrementUses(snippetId); // 1: the new count
   * ```
   */
  async incrementUses(snippetId: SnowflakeInput): Promise<number | null> {
    const result = await this.runStatement<{ uses: number }>(incrementUsesStatement(this.model, this.snippetId(snippetId)), { prepare: true });
    return result.rows[0]?.uses ?? null;
  }

  /**
   * Flips `locked` atomically (`NOT locked`) and returns the snippet, or null when no such snippet. @throws ValidationError.
   *
   * ```ts
   * const { snippetId } = (await db.snippet.getSnippetByName('rules', guildId))!;
   * const locked = (await db.snippet.toggleLock(snippetId))?.locked; // true; the next call unlocks it
   * ```
   */
  async toggleLock(snippetId: SnowflakeInput): Promise<Snippet | null> {
    const result = await this.runStatement(toggleLockStatement(this.model, this.snippetId(snippetId)), { prepare: true });
    return this.firstOrNull(result.rows);
  }

  /**
   * Snippets whose name contains `term` (any case; `%`, `_` and `\` in the term match literally), by name,
   * at most `limit` (default 25). @throws ValidationError for a non-string term or a bad limit.
   *
   * ```ts
   * const names = (await db.snippet.searchSnippets(guildId, 'RUL')).map((s) => s.snippetName); // ['rule', 'rules']: aliases too
   * ```
   */
  async searchSnippets(guildId: SnowflakeInput, term: string, limit = 25): Promise<Snippet[]> {
    if (typeof term !== 'string') throw ValidationError.forField(this.model.entityName, 'term', 'must be a string');
    return this.findAll({ filters: { guildId, snippetName: { ilike: `%${escapeLike(term)}%` } }, orderBy: { snippetName: 'ASC' }, limit });
  }

  /**
   * The guild's most used snippets, most uses first (ties by name), at most `limit` (default 10). @throws ValidationError.
   *
   * ```ts
   * const top = (await db.snippet.getPopularSnippets(guildId, 5)).map((s) => [s.snippetName, s.uses]); // [['rules', 1], ['rule', 0]]
   * ```
   */
  getPopularSnippets(guildId: SnowflakeInput, limit = 10): Promise<Snippet[]> {
    return this.findAll({ filters: { guildId }, orderBy: { uses: 'DESC', snippetName: 'ASC' }, limit });
  }

  /**
   * Snippets a user created in a guild, by name; empty when none. @throws ValidationError.
   *
   * ```ts
   * const names = (await db.snippet.getSnippetsByCreator(userId, guildId)).map((s) => s.snippetName); // ['rule', 'rules']: 'rule' has the author of 'rules'
   * ```
   */
  getSnippetsByCreator(userId: SnowflakeInput, guildId: SnowflakeInput): Promise<Snippet[]> {
    return this.findAll({ filters: { guildId, snippetUserId: userId }, orderBy: { snippetName: 'ASC' } });
  }

  /**
   * Every snippet and alias of a guild, by name. @throws ValidationError.
   *
   * ```ts
   * const all = (await db.snippet.getSnippetsByGuild(guildId)).map((s) => [s.snippetName, s.alias]); // [['rule', 'rules'], ['rules', null]]
   * ```
   */
  getSnippetsByGuild(guildId: SnowflakeInput): Promise<Snippet[]> {
    return this.findAll({ filters: { guildId }, orderBy: { snippetName: 'ASC' } });
  }

  /**
   * How many snippets (aliases included) a guild has. @throws ValidationError.
   *
   * ```ts
   * const count = await db.snippet.countSnippets(guildId); // 2: aliases count too
   * ```
   */
  countSnippets(guildId: SnowflakeInput): Promise<number> {
    return this.count({ filters: { guildId } });
  }

  /** Validates and inserts an alias (see createAliasStatement); a missing `userId` takes the target's author. */
  private async insertAlias(targetName: unknown, aliasName: unknown, guildId: unknown, userId: unknown): Promise<Snippet> {
    // An insert whose author, when not given, the statement takes from the target.
    const prepared = this.prepare({ snippetName: aliasName, guildId, ...(userId === undefined ? {} : { snippetUserId: userId }) }, 'insert', undefined, userId === undefined ? AUTHOR_FROM_TARGET : undefined);
    const alias = {
      guildId: this.param(prepared, 'guildId'),
      aliasName: this.param(prepared, 'snippetName'),
      userId: preparedValue(prepared, 'snippetUserId') ?? null,
      targetName: this.name(targetName, 'targetName'),
    };
    const result = await this.runStatement(createAliasStatement(this.model, alias), { prepare: true });
    if (result.rows.length === 0) throw NotFoundError.forId(this.model.entityName, String(targetName));
    return this.hydrate(this.firstRow(result.rows));
  }

  private param(prepared: PreparedValues, property: string): unknown {
    const value = preparedValue(prepared, property);
    if (value === undefined) throw ValidationError.forField(this.model.entityName, property, 'is required');
    return value;
  }

  private guild(guildId: unknown): unknown {
    return this.coerce('guildId', guildId, 'guildId');
  }

  private name(name: unknown, path: string): unknown {
    return this.coerce('snippetName', name, path);
  }

  private snippetId(snippetId: unknown): unknown {
    return this.idParams(snippetId)[0];
  }
}
