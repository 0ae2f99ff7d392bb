import { expect } from 'chai';
import { highestPlaceholder } from '../../src/service/sql-placeholders';

describe('highestPlaceholder', () => {
  it('counts the highest $n, however often and in whatever order they appear', () => {
    expect(highestPlaceholder('SELECT 1')).to.equal(0);
    expect(highestPlaceholder('SELECT $1::int + $2::int')).to.equal(2);
    expect(highestPlaceholder('SELECT $2, $1, $2 WHERE x=$10')).to.equal(10);
    expect(highestPlaceholder('SELECT ($1)::text||$2')).to.equal(2);
  });

  it('skips strings, quoted identifiers, comments, dollar-quoted bodies and identifiers holding $', () => {
    expect(highestPlaceholder("SELECT '$1', 'it''s $2', \"col$3\", \"a\"\"$4\" FROM t")).to.equal(0);
    expect(highestPlaceholder("SELECT E'\\' $1', e'$2' , $3")).to.equal(3);
    expect(highestPlaceholder("SELECT 'a\\' , $1")).to.equal(1); // a standard string: the backslash is a character
    expect(highestPlaceholder('SELECT 1 -- $1\n, $2 /* $3 /* $4 */ $5 */ , $6')).to.equal(6);
    expect(highestPlaceholder('SELECT $$ $1 $$, $fn$ $2 $fn$, $3')).to.equal(3);
    expect(highestPlaceholder('SELECT a$1, b$$ FROM t$2 WHERE c = $4')).to.equal(4);
    expect(highestPlaceholder('DO $body$ BEGIN PERFORM $1; END $body$')).to.equal(0);
  });

  it('counts none in PREPARE, whose placeholders are its own parameters', () => {
    expect(highestPlaceholder('PREPARE q AS SELECT $1::int')).to.equal(0);
    expect(highestPlaceholder(' /* c */ -- d\n prepare q(int) AS SELECT $1')).to.equal(0);
    expect(highestPlaceholder('SELECT $1 AS prepare')).to.equal(1);
  });

  it('reads an unclosed string or comment to the end, as the server would refuse it anyway', () => {
    expect(highestPlaceholder("SELECT 'open $1")).to.equal(0);
    expect(highestPlaceholder('SELECT $1 /* open $2')).to.equal(1);
  });
});
