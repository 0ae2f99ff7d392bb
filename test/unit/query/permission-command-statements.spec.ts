import { expect } from 'chai';
import { PermissionCommand } from '../../../src/entities/permission-command';
import { buildTableModel } from '../../../src/query/build-table-model';
import {
  canRunCommandStatement,
  commandNameChain,
  commandRankStatement,
  deleteCommandRankStatement,
  setCommandRankStatement,
} from '../../../src/query/permission-command-statements';
import type { TableModel } from '../../../src/query/table-model';
import { entityMetadata } from '../../support/entity-metadata';
import { textAndValues } from './text-and-values';

describe('permission command statements', () => {
  let commands: TableModel;
  before(async () => {
    commands = buildTableModel(await entityMetadata(PermissionCommand));
  });

  it('setCommandRankStatement upserts the requirement and bumps updated_at, creating the guild row', () => {
    expect(textAndValues(setCommandRankStatement(commands, { guildId: '42', commandName: 'ban', requiredRank: 5 }))).to.deep.equal({
      text:
        'WITH "ensure_guild" AS (INSERT INTO "guild" ("guild_id") VALUES ($1) ON CONFLICT ("guild_id") DO NOTHING) ' +
        'INSERT INTO "permission_commands" ("guild_id", "command_name", "required_rank") VALUES ($1, $2, $3) ' +
        `ON CONFLICT ("guild_id", "command_name") DO UPDATE SET "required_rank" = EXCLUDED."required_rank", "updated_at" = now() RETURNING ${commands.selectList}`,
      values: ['42', 'ban', 5],
    });
  });

  it('commandNameChain lists the command, then each parent, most specific first (Tux\'s fallback order)', () => {
    expect(commandNameChain('config ranks init')).to.deep.equal(['config ranks init', 'config ranks', 'config']);
    expect(commandNameChain('ban')).to.deep.equal(['ban']);
    expect(commandNameChain('config  ranks')).to.deep.equal(['config  ranks', 'config']);
  });

  it('commandRankStatement picks the first of the chain that has a requirement; deleteCommandRankStatement the exact name', () => {
    expect(textAndValues(commandRankStatement(commands, '42', ['config ranks', 'config']))).to.deep.equal({
      text:
        'SELECT c."command_name" AS "commandName", c."required_rank" AS "requiredRank" FROM "permission_commands" c WHERE c."guild_id" = $1 ' +
        'AND c."command_name" = ANY($2::text[]) ORDER BY array_position($2::text[], c."command_name"::text) LIMIT 1',
      values: ['42', ['config ranks', 'config']],
    });
    expect(textAndValues(deleteCommandRankStatement(commands, '42', 'ban'))).to.deep.equal({
      text: 'DELETE FROM "permission_commands" WHERE "guild_id" = $1 AND "command_name" = $2',
      values: ['42', 'ban'],
    });
  });

  it('canRunCommandStatement compares the requirement that applies with the highest rank the roles hold, the guild bound once', () => {
    expect(textAndValues(canRunCommandStatement(commands, '42', ['ban'], ['7']))).to.deep.equal({
      text:
        'SELECT COALESCE((SELECT c."required_rank" FROM "permission_commands" c WHERE c."guild_id" = $1 AND c."command_name" = ANY($2::text[]) ' +
        'ORDER BY array_position($2::text[], c."command_name"::text) LIMIT 1) <= COALESCE(' +
        '(SELECT max(r."rank") FROM "permission_assignments" a JOIN "permission_ranks" r ON r."permission_rank_id" = a."permission_rank_id" ' +
        'AND r."guild_id" = a."guild_id" WHERE a."guild_id" = $1 AND a."role_id" = ANY($3::bigint[])), -1), true) AS "allowed"',
      values: ['42', ['ban'], ['7']],
    });
  });

  it('reuses the text of getCommandRank and canRunCommand, binding each call’s own values', () => {
    const rank = commandRankStatement(commands, '42', ['ban']);
    expect(textAndValues(commandRankStatement(commands, '43', ['kick x', 'kick']))).to.deep.equal({ text: rank.text, values: ['43', ['kick x', 'kick']] });
    const allowed = canRunCommandStatement(commands, '42', ['ban'], ['7']);
    expect(textAndValues(canRunCommandStatement(commands, '43', ['kick'], ['8', '9']))).to.deep.equal({ text: allowed.text, values: ['43', ['kick'], ['8', '9']] });
  });
});
