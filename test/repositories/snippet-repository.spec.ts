import { expect } from 'chai';
import { UniqueViolationError } from '../../src/errors/constraint-errors';
import { NotFoundError } from '../../src/errors/not-found-error';
import { ValidationError } from '../../src/errors/validation-error';
import { useTestDatabase } from '../support/test-database';

describe('SnippetRepository', () => {
  const t = useTestDatabase({ poolSize: 20, deleteGuilds: 'afterEach' });
  const { newGuild, countStatements } = t;
  const USER = '123456789012345678';
  const snippet = (guildId: string, snippetName: string, snippetContent: string | null = `content of ${snippetName}`) =>
    t.db.snippet.createSnippet({ snippetName, snippetContent, snippetUserId: USER, guildId });

  describe('createSnippet', () => {
    it('creates the snippet and the missing guild row in exactly one statement', async () => {
      const guildId = newGuild();
      expect(await t.db.guild.getById(guildId)).to.equal(null);
      const { result: s, statements } = await countStatements(() => snippet(guildId, 'Rules', 'Be nice'));
      expect(statements).to.have.length(1);
      expect(s).to.include({ snippetName: 'Rules', snippetContent: 'Be nice', snippetUserId: USER, guildId, uses: 0, locked: false, alias: null });
      expect(s.snippetId).to.be.a('string');
      expect(s.createdAt).to.be.instanceOf(Date);
      expect(await t.db.guild.getById(guildId)).to.not.equal(null);
    });

    it('refuses an empty alias or an alias of itself, on every write path, before any SQL', async () => {
      const guildId = newGuild();
      const rules = await snippet(guildId, 'rules', 'Be nice');
      const { statements } = await countStatements(async () => {
        await expect(t.db.snippet.createSnippet({ snippetName: 'Loop', snippetUserId: USER, guildId, alias: 'loop' })).to.be.rejectedWith(ValidationError, /alias must name another snippet/);
        await expect(t.db.snippet.create({ snippetName: 'e', snippetUserId: USER, guildId, alias: '' })).to.be.rejectedWith(ValidationError, /alias/);
        await expect(t.db.snippet.updateById(rules.snippetId, { snippetName: 'r', alias: 'R' })).to.be.rejectedWith(ValidationError, /alias must name another snippet/);
      });
      expect(statements).to.have.length(0);
      expect(await t.db.snippet.getById(rules.snippetId)).to.include({ snippetName: 'rules', alias: null });
    });

    it('lets 20 concurrent first snippets of a brand-new guild all succeed (one guild row)', async () => {
      const guildId = newGuild();
      const created = await Promise.all(Array.from({ length: 20 }, (_, i) => snippet(guildId, `s${i}`)));
      expect(new Set(created.map((s) => s.snippetId)).size).to.equal(20);
      expect(await t.db.guild.count({ filters: { guildId } })).to.equal(1);
    });

    it('accepts bigint snowflakes and keeps every digit', async () => {
      const guildId = newGuild();
      const s = await t.db.snippet.createSnippet({ snippetName: 'big', snippetUserId: 9223372036854775807n, guildId: BigInt(guildId) });
      expect(s.snippetUserId).to.equal('9223372036854775807');
      expect(s.guildId).to.equal(guildId);
      expect(s.snippetContent).to.equal(null);
    });

    it('rejects a name that differs only in case with UniqueViolationError naming uq_snippet_guild_name', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'Linux');
      const error = await t.db.snippet.createSnippet({ snippetName: 'lINUX', snippetUserId: USER, guildId }).then(
        () => expect.fail('a duplicate name was accepted'),
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(UniqueViolationError);
      expect((error as UniqueViolationError).constraint).to.equal('uq_snippet_guild_name');
      expect(await t.db.snippet.countSnippets(guildId)).to.equal(1);
    });

    it('allows the same name in another guild', async () => {
      const [a, b] = [newGuild(), newGuild()];
      await snippet(a, 'faq');
      expect((await snippet(b, 'FAQ')).guildId).to.equal(b);
    });

    it('rejects bad input with ValidationError before sending SQL', async () => {
      const guildId = newGuild();
      const { statements } = await countStatements(async () => {
        await expect(t.db.snippet.createSnippet({ snippetName: '', snippetUserId: USER, guildId })).to.be.rejectedWith(ValidationError, /snippetName/);
        await expect(t.db.snippet.createSnippet({ snippetName: 'x'.repeat(101), snippetUserId: USER, guildId })).to.be.rejectedWith(ValidationError, /at most 100/);
        await expect(t.db.snippet.createSnippet({ snippetName: 'a', snippetUserId: USER, guildId: '12.5' })).to.be.rejectedWith(ValidationError, /guildId/);
        await expect(t.db.snippet.createSnippet({ snippetName: 'a', snippetUserId: 2 ** 60 as unknown as string, guildId })).to.be.rejectedWith(ValidationError, /snippetUserId/);
        await expect(t.db.snippet.createSnippet({ snippetName: 'a', snippetUserId: USER, guildId, nope: 1 } as never)).to.be.rejectedWith(ValidationError, /nope/);
        await expect(t.db.snippet.createSnippet({ snippetName: 'a\u0000b', snippetUserId: USER, guildId })).to.be.rejectedWith(ValidationError, /NUL/);
      });
      expect(statements).to.deep.equal([]);
    });

    it('is also what the generic create does (guild row included)', async () => {
      const guildId = newGuild();
      const s = await t.db.snippet.create({ snippetName: 'generic', snippetUserId: USER, guildId });
      expect(s.uses).to.equal(0);
      expect(await t.db.guild.exists({ filters: { guildId } })).to.equal(true);
    });
  });

  describe('getSnippetByName', () => {
    it('finds a snippet whatever the case of the name, and returns null when there is none', async () => {
      const guildId = newGuild();
      const s = await snippet(guildId, 'KernelPanic');
      expect((await t.db.snippet.getSnippetByName('kernelpanic', guildId))?.snippetId).to.equal(s.snippetId);
      expect((await t.db.snippet.getSnippetByName('KERNELPANIC', guildId))?.snippetName).to.equal('KernelPanic');
      expect(await t.db.snippet.getSnippetByName('kernel', guildId)).to.equal(null);
      expect(await t.db.snippet.getSnippetByName('kernelpanic', newGuild())).to.equal(null);
    });

    it('follows an alias to its target in one statement', async () => {
      const guildId = newGuild();
      const target = await snippet(guildId, 'install', 'Use the package manager');
      await t.db.snippet.createAlias({ aliasName: 'setup', targetName: 'install', guildId, userId: USER });
      const { result, statements } = await countStatements(() => t.db.snippet.getSnippetByName('SETUP', guildId));
      expect(statements).to.have.length(1);
      expect(result?.snippetId).to.equal(target.snippetId);
      expect(result?.snippetContent).to.equal('Use the package manager');
    });

    it('returns the alias itself when its target was deleted', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'old');
      await t.db.snippet.createAlias({ aliasName: 'legacy', targetName: 'old', guildId, userId: USER });
      expect(await t.db.snippet.deleteSnippetByName('old', guildId)).to.equal(true);
      const dangling = await t.db.snippet.getSnippetByName('legacy', guildId);
      expect(dangling).to.include({ snippetName: 'legacy', alias: 'old', snippetContent: null });
    });

    it('treats % and _ in the name literally', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'abc');
      expect(await t.db.snippet.getSnippetByName('a_c', guildId)).to.equal(null);
      expect(await t.db.snippet.getSnippetByName('%', guildId)).to.equal(null);
    });
  });

  describe('createAlias', () => {
    it('creates an alias holding the target’s stored name, in one statement', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'Arch');
      const { result: alias, statements } = await countStatements(() => t.db.snippet.createAlias({ aliasName: 'btw', targetName: 'arch', guildId, userId: '42' }));
      expect(statements).to.have.length(1);
      expect(alias).to.include({ snippetName: 'btw', alias: 'Arch', snippetContent: null, snippetUserId: '42', guildId, uses: 0 });
    });

    it('points an alias of an alias at the final target', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'root');
      await t.db.snippet.createAlias({ aliasName: 'first', targetName: 'root', guildId, userId: USER });
      const second = await t.db.snippet.createAlias({ aliasName: 'second', targetName: 'FIRST', guildId, userId: USER });
      expect(second.alias).to.equal('root');
      expect((await t.db.snippet.getSnippetByName('second', guildId))?.snippetName).to.equal('root');
    });

    it('throws NotFoundError when the target does not exist (and creates nothing)', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'exists');
      await expect(t.db.snippet.createAlias({ aliasName: 'a', targetName: 'missing', guildId, userId: USER })).to.be.rejectedWith(NotFoundError, /missing/);
      expect(await t.db.snippet.countSnippets(guildId)).to.equal(1);
    });

    it('throws UniqueViolationError when the alias name is taken in any case', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'one');
      await snippet(guildId, 'two');
      await expect(t.db.snippet.createAlias({ aliasName: 'TWO', targetName: 'one', guildId, userId: USER })).to.be.rejectedWith(UniqueViolationError);
    });

    it('validates every argument', async () => {
      const guildId = newGuild();
      await expect(t.db.snippet.createAlias({ aliasName: '', targetName: 'x', guildId, userId: USER })).to.be.rejectedWith(ValidationError, /snippetName/);
      await expect(t.db.snippet.createAlias({ aliasName: 'a', targetName: 42 as unknown as string, guildId, userId: USER })).to.be.rejectedWith(ValidationError, /targetName/);
      await expect(t.db.snippet.createAlias({ aliasName: 'a', targetName: 'x', guildId, userId: '0' })).to.be.rejectedWith(ValidationError, /snippetUserId/);
    });
  });

  describe('getAliases', () => {
    it('lists the aliases of a snippet by name, whatever the case of the target name', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'Docs');
      await snippet(guildId, 'other');
      await t.db.snippet.createAlias({ aliasName: 'zeta', targetName: 'docs', guildId, userId: USER });
      await t.db.snippet.createAlias({ aliasName: 'alpha', targetName: 'Docs', guildId, userId: USER });
      await t.db.snippet.createAlias({ aliasName: 'unrelated', targetName: 'other', guildId, userId: USER });
      expect((await t.db.snippet.getAliases('DOCS', guildId)).map((s) => s.snippetName)).to.deep.equal(['alpha', 'zeta']);
      expect(await t.db.snippet.getAliases('nothing', guildId)).to.deep.equal([]);
    });
  });

  describe('deleteSnippetByName', () => {
    it('deletes by name in any case and reports whether a row went', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'Gone');
      expect(await t.db.snippet.deleteSnippetByName('gONE', guildId)).to.equal(true);
      expect(await t.db.snippet.deleteSnippetByName('gone', guildId)).to.equal(false);
      expect(await t.db.snippet.countSnippets(guildId)).to.equal(0);
    });
  });

  describe('incrementUses', () => {
    it('returns the new count in exactly one statement', async () => {
      const s = await snippet(newGuild(), 'count');
      const { result, statements } = await countStatements(() => t.db.snippet.incrementUses(s.snippetId));
      expect(result).to.equal(1);
      expect(statements).to.have.length(1);
      expect(await t.db.snippet.incrementUses(BigInt(s.snippetId))).to.equal(2);
    });

    it('counts exactly 100 after 100 concurrent increments', async () => {
      const s = await snippet(newGuild(), 'hot');
      const counts = await Promise.all(Array.from({ length: 100 }, () => t.db.snippet.incrementUses(s.snippetId)));
      expect((await t.db.snippet.getById(s.snippetId))?.uses).to.equal(100);
      // Every caller saw a distinct new value: no lost update.
      expect(new Set(counts).size).to.equal(100);
    });

    it('returns null for an unknown snippet and rejects a bad id', async () => {
      expect(await t.db.snippet.incrementUses('9223372036854775807')).to.equal(null);
      await expect(t.db.snippet.incrementUses('abc')).to.be.rejectedWith(ValidationError);
    });
  });

  describe('toggleLock', () => {
    it('flips locked each call and returns the snippet, or null when there is none', async () => {
      const s = await snippet(newGuild(), 'lockme');
      expect((await t.db.snippet.toggleLock(s.snippetId))?.locked).to.equal(true);
      const unlocked = await t.db.snippet.toggleLock(s.snippetId);
      expect(unlocked?.locked).to.equal(false);
      expect(unlocked?.updatedAt.getTime()).to.be.at.least(s.updatedAt.getTime());
      expect(await t.db.snippet.toggleLock('9223372036854775807')).to.equal(null);
    });

    it('is atomic: an even number of concurrent toggles leaves it unlocked', async () => {
      const s = await snippet(newGuild(), 'flip');
      await Promise.all(Array.from({ length: 20 }, () => t.db.snippet.toggleLock(s.snippetId)));
      expect((await t.db.snippet.getById(s.snippetId))?.locked).to.equal(false);
    });
  });

  describe('searchSnippets', () => {
    it('matches a substring of the name in any case, by name, up to the limit', async () => {
      const guildId = newGuild();
      for (const name of ['ubuntu-install', 'Debian-Install', 'arch', 'install']) await snippet(guildId, name);
      expect((await t.db.snippet.searchSnippets(guildId, 'INSTALL')).map((s) => s.snippetName)).to.deep.equal(['Debian-Install', 'install', 'ubuntu-install']);
      expect(await t.db.snippet.searchSnippets(guildId, 'install', 2)).to.have.length(2);
      expect(await t.db.snippet.searchSnippets(guildId, 'nothing')).to.deep.equal([]);
    });

    it('treats %, _ and \\ in the term literally', async () => {
      const guildId = newGuild();
      for (const name of ['100%', '1000', 'snake_case', 'snakeXcase', 'back\\slash', 'backslash']) await snippet(guildId, name);
      const names = async (term: string) => (await t.db.snippet.searchSnippets(guildId, term)).map((s) => s.snippetName);
      expect(await names('%')).to.deep.equal(['100%']);
      expect(await names('0%')).to.deep.equal(['100%']);
      expect(await names('_')).to.deep.equal(['snake_case']);
      expect(await names('e_c')).to.deep.equal(['snake_case']);
      expect(await names('\\')).to.deep.equal(['back\\slash']);
    });

    it('only searches the given guild and rejects a non-string term or bad limit', async () => {
      const [a, b] = [newGuild(), newGuild()];
      await snippet(a, 'shared-name');
      expect(await t.db.snippet.searchSnippets(b, 'shared')).to.deep.equal([]);
      await expect(t.db.snippet.searchSnippets(a, null as unknown as string)).to.be.rejectedWith(ValidationError, /term/);
      await expect(t.db.snippet.searchSnippets(a, 'x', -1)).to.be.rejectedWith(ValidationError, /limit/);
    });
  });

  describe('listing and counting', () => {
    it('getPopularSnippets orders by uses descending, ties by name, up to the limit', async () => {
      const guildId = newGuild();
      const [a, b, c] = [await snippet(guildId, 'a'), await snippet(guildId, 'b'), await snippet(guildId, 'c')];
      for (let i = 0; i < 3; i++) await t.db.snippet.incrementUses(b.snippetId);
      await t.db.snippet.incrementUses(c.snippetId);
      expect((await t.db.snippet.getPopularSnippets(guildId)).map((s) => [s.snippetName, s.uses])).to.deep.equal([['b', 3], ['c', 1], ['a', 0]]);
      expect((await t.db.snippet.getPopularSnippets(guildId, 1)).map((s) => s.snippetId)).to.deep.equal([b.snippetId]);
      expect(a.uses).to.equal(0);
    });

    it('getSnippetsByCreator returns only that user’s snippets in that guild', async () => {
      const [g, other] = [newGuild(), newGuild()];
      await t.db.snippet.createSnippet({ snippetName: 'mine2', snippetUserId: '7', guildId: g });
      await t.db.snippet.createSnippet({ snippetName: 'mine1', snippetUserId: '7', guildId: g });
      await t.db.snippet.createSnippet({ snippetName: 'theirs', snippetUserId: '8', guildId: g });
      await t.db.snippet.createSnippet({ snippetName: 'elsewhere', snippetUserId: '7', guildId: other });
      expect((await t.db.snippet.getSnippetsByCreator('7', g)).map((s) => s.snippetName)).to.deep.equal(['mine1', 'mine2']);
    });

    it('getSnippetsByGuild and countSnippets include aliases', async () => {
      const guildId = newGuild();
      await snippet(guildId, 'b');
      await t.db.snippet.createAlias({ aliasName: 'a', targetName: 'b', guildId, userId: USER });
      expect((await t.db.snippet.getSnippetsByGuild(guildId)).map((s) => s.snippetName)).to.deep.equal(['a', 'b']);
      expect(await t.db.snippet.countSnippets(guildId)).to.equal(2);
      expect(await t.db.snippet.countSnippets(newGuild())).to.equal(0);
    });
  });
});
