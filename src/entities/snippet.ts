import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { IsBoolean, IsInt, IsOptional, MaxLength, Min, MinLength } from 'class-validator';
import { SnowflakeColumn } from './snowflake-column';
import { GuildReference } from './guild-reference';
import type { Guild } from './guild';
import type { Snowflake } from './snowflake';

/** A named text snippet of a guild, or an alias pointing at another snippet's name. */
@Entity({ name: 'snippet' })
@Check('snippet_name_not_empty', 'length("snippet_name") > 0')
@Check('snippet_uses_non_negative', '"uses" >= 0')
// UNIQUE (guild_id, lower(snippet_name)): an expression index TypeORM cannot express; the migration owns it.
@Index('uq_snippet_guild_name', { synchronize: false })
export class Snippet {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', name: 'snippet_id', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_snippet' })
  snippetId!: string;

  @Column({ type: 'varchar', name: 'snippet_name', length: 100 })
  @MinLength(1)
  @MaxLength(100)
  snippetName!: string;

  @Column({ type: 'varchar', name: 'snippet_content', length: 4000, nullable: true })
  @IsOptional()
  @MaxLength(4000)
  snippetContent!: string | null;

  @SnowflakeColumn('snippet_user_id')
  snippetUserId!: Snowflake;

  @SnowflakeColumn('guild_id')
  guildId!: Snowflake;

  @GuildReference('snippet')
  guild?: Guild;

  @Column({ type: 'int', name: 'uses', default: 0 })
  @IsInt()
  @Min(0)
  uses!: number;

  @Column({ type: 'boolean', name: 'locked', default: false })
  @IsBoolean()
  locked!: boolean;

  /** When set, this snippet is an alias of the snippet with this name. */
  @Column({ type: 'varchar', name: 'alias', length: 100, nullable: true })
  @IsOptional()
  @MaxLength(100)
  alias!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
