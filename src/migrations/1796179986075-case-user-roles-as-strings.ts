import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case's role ids (`case_user_roles`) become JSON strings where earlier versions stored JSON numbers: they kept a
 * role id given as a number (as Tux passes them) as a number, and one given as a string or bigint as a string, so
 * one column held both and a containment query on `'["123"]'` missed the rows holding `[123]`. Writes now always
 * store decimal strings (SnowflakeListColumn); this rewrites the rows that hold a number, each in its place in
 * the list. jsonb keeps a number's exact digits, so no id loses one. Rows holding only strings are not touched.
 *
 * down() leaves the strings: every version reads them, and which ids once were numbers is not recorded.
 *
 * Locks: an UPDATE of the rows holding a number (row locks only), after one scan of `cases`.
 */
export class CaseUserRolesAsStrings1796179986075 implements MigrationInterface {
  name = 'CaseUserRolesAsStrings1796179986075';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "cases" SET "case_user_roles" = (
  SELECT jsonb_agg(CASE WHEN jsonb_typeof(role.id) = 'number' THEN to_jsonb(role.id #>> '{}') ELSE role.id END ORDER BY role.place)
  FROM jsonb_array_elements("case_user_roles") WITH ORDINALITY AS role(id, place)
)
WHERE jsonb_typeof("case_user_roles") = 'array' AND jsonb_path_exists("case_user_roles", '$[*] ? (@.type() == "number")')`);
  }

  async down(): Promise<void> {
    // Nothing to undo: see the class comment.
  }
}
