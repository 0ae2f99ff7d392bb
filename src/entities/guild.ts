import { Check, Column, CreateDateColumn, Entity, UpdateDateColumn } from 'typeorm';
import { IsDate, IsInt, IsOptional, MaxLength, Min } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { InsertOnly } from './write-rule';
import type { Snowflake } from './snowflake';

/** A Discord guild the bot is in; its `caseCount` is the counter behind case numbers. */
@Entity({ name: 'guild' })
@Check('case_count_non_negative', '"case_count" >= 0')
export class Guild {
  /** The guild's Discord id (snowflake, as a string); the primary key, never changed. */
  @SnowflakeColumn('guild_id', { primaryKey: 'pk_guild' })
  @InsertOnly('is the guild’s Discord id, which never changes (every row of the guild refers to it)')
  guildId!: Snowflake;

  /** The guild's name, at most 100 characters; null when unknown. */
  @Column({ type: 'varchar', name: 'guild_name', length: 100, nullable: true })
  @IsOptional()
  @MaxLength(100)
  guildName!: string | null;

  /**
   * The highest case number issued in this guild; only ever changed by atomic SQL (createCase, createCases).
   * May be given when the guild row is created, to continue a count imported from elsewhere.
   */
  @Column({ type: 'int', name: 'case_count', default: 0 })
  @InsertOnly(
    'is the guild’s case counter, bumped only by createCase/createCases; it can be set only when the guild row is created (create, createMany, or the defaults of getOrCreate/upsert)',
  )
  @IsInt()
  @Min(0)
  caseCount!: number;

  /** When the bot joined the guild (default: the time the row was inserted). */
  @Column({ type: 'timestamptz', name: 'guild_joined_at', default: () => 'now()' })
  @IsDate()
  guildJoinedAt!: Date;

  /** When the row was created (set by the database). */
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** When the row last changed (set by the database on every update). */
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
