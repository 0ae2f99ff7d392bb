import { JoinColumn, ManyToOne } from 'typeorm';
import { Guild } from './guild';

/**
 * The `guild_id → guild` foreign key every guild-owned table has (ON DELETE CASCADE, so removing a guild
 * removes all its rows). Apply it to a `guild?: Guild` property next to the entity's own guild_id column.
 */
export function GuildReference(table: string): PropertyDecorator {
  return (target, property) => {
    ManyToOne(() => Guild, { onDelete: 'CASCADE', nullable: false })(target, property);
    JoinColumn({ name: 'guild_id', foreignKeyConstraintName: `fk_${table}_guild` })(target, property);
  };
}
