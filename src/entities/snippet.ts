import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { IsBoolean, IsInt, IsOptional, MaxLength, Min, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import { RowId } from './row-id';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A named text snippet of a guild, or an alias pointing at another snippet's name. */
@Entity({ name: 'snippet' })
@Check('snippet_name_not_empty', 'length("snippet_name") > 0')
@Check('snippet_uses_non_negative', '"uses" >= 0')
// UNIQUE (guild_id, lower(snippet_name)): an expression index TypeORM cannot express; the migration owns it.
@Index('uq_snippet_guild_name', { synchronize: false })
export class Snippet {
  /** Database-generated id, a bigint returned as a string; the primary key with guildId, and unique by itself (see RowId). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'snippet_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_snippet' })
  @RowId()
  snippetId!: string;

  /** The name the snippet is called by, 1–100 characters; unique in its guild whatever the letter case. */
  @Column({ type: 'varchar', name: 'snippet_name', length: 100 })
  @MinLength(1)
  @MaxLength(100)
  snippetName!: string;

  /** The snippet's text, at most 4000 characters; null when it has none (an alias has none of its own). */
  @Column({ type: 'varchar', name: 'snippet_content', length: 4000, nullable: true })
  @IsOptional()
  @MaxLength(4000)
  snippetContent!: string | null;

  /** The snippet's author: Discord snowflake, as a string. */
  @SnowflakeColumn('snippet_user_id')
  snippetUserId!: Snowflake;

  /** The guild the snippet belongs to: Discord snowflake, as a string. Part of the primary key. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_snippet' })
  guildId!: Snowflake;

  /** The owning Guild as a TypeORM relation (guild_id, ON DELETE CASCADE); the repositories never load it: read `guildId`. */
  @GuildReference('snippet')
  guild?: Guild;

  /** How many times the snippet was used, ≥ 0 (default 0); incrementUses adds one in SQL. */
  @Column({ type: 'int', name: 'uses', default: 0 })
  @IsInt()
  @Min(0)
  uses!: number;

  /** Whether the snippet is locked against edits (the bot enforces it; toggleLock flips it); default false. */
  @Column({ type: 'boolean', name: 'locked', default: false })
  @IsBoolean()
  locked!: boolean;

  /** When set, this snippet is an alias of the snippet with this name (1–100 characters, another snippet's). */
  @Column({ type: 'varchar', name: 'alias', length: 100, nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(100)
  alias!: string | null;

  /** When the row was created (set by the database). */
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** When the row last changed (set by the database on every update). */
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
