import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole schema the entities describe. Generated from the entities by TypeORM's schema builder (so the two agree),
 * plus the three indexes TypeORM cannot express (DESC columns, an expression), which the entities declare
 * with `synchronize: false`.
 */
export class InitialSchema1764140000000 implements MigrationInterface {
  name = 'InitialSchema1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "guild" ("guild_id" bigint NOT NULL, "guild_name" character varying(100), "case_count" integer NOT NULL DEFAULT '0', "guild_joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "case_count_non_negative" CHECK ("case_count" >= 0), CONSTRAINT "pk_guild" PRIMARY KEY ("guild_id"))`);
    await queryRunner.query(`CREATE TABLE "afk" ("user_id" bigint NOT NULL, "guild_id" bigint NOT NULL, "nickname" character varying(100), "afk_message" character varying(500) NOT NULL, "since" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "until" TIMESTAMP WITH TIME ZONE, "enforced" boolean NOT NULL DEFAULT false, "perm_afk" boolean NOT NULL DEFAULT false, CONSTRAINT "user_id_positive" CHECK ("user_id" > 0), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "afk_until_after_since" CHECK ("until" IS NULL OR "until" > "since"), CONSTRAINT "pk_afk" PRIMARY KEY ("user_id", "guild_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_afk_until_temporary" ON "afk" ("until") WHERE "perm_afk" = false AND "until" IS NOT NULL`);
    await queryRunner.query(`CREATE TYPE "public"."case_type" AS ENUM('BAN', 'UNBAN', 'HACKBAN', 'TEMPBAN', 'KICK', 'TIMEOUT', 'UNTIMEOUT', 'WARN', 'JAIL', 'UNJAIL', 'SNIPPETBAN', 'SNIPPETUNBAN', 'POLLBAN', 'POLLUNBAN')`);
    await queryRunner.query(`CREATE TABLE "cases" ("case_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "case_number" integer NOT NULL, "case_type" "public"."case_type" NOT NULL, "case_user_id" bigint NOT NULL, "case_moderator_id" bigint NOT NULL, "guild_id" bigint NOT NULL, "case_reason" character varying(2000), "case_status" boolean NOT NULL DEFAULT true, "case_processed" boolean NOT NULL DEFAULT false, "case_expires_at" TIMESTAMP WITH TIME ZONE, "case_user_roles" jsonb NOT NULL DEFAULT '[]', "case_metadata" jsonb, "mod_log_message_id" bigint, "case_created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "case_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_cases_guild_case_number" UNIQUE ("guild_id", "case_number"), CONSTRAINT "case_user_id_positive" CHECK ("case_user_id" > 0), CONSTRAINT "case_moderator_id_positive" CHECK ("case_moderator_id" > 0), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "mod_log_message_id_positive" CHECK ("mod_log_message_id" > 0), CONSTRAINT "case_number_positive" CHECK ("case_number" >= 1), CONSTRAINT "pk_cases" PRIMARY KEY ("case_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_cases_unprocessed_expiry" ON "cases" ("case_expires_at") WHERE "case_processed" = false AND "case_expires_at" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "ix_cases_guild_created" ON "cases" ("guild_id", "case_created_at")`);
    await queryRunner.query(`CREATE INDEX "ix_cases_guild_moderator" ON "cases" ("guild_id", "case_moderator_id")`);
    await queryRunner.query(`CREATE INDEX "ix_cases_guild_user" ON "cases" ("guild_id", "case_user_id")`);
    await queryRunner.query(`CREATE TYPE "public"."onboarding_stage" AS ENUM('NOT_STARTED', 'DISCOVERED', 'INITIALIZED', 'CONFIGURED', 'COMPLETED')`);
    await queryRunner.query(`CREATE TABLE "guild_config" ("guild_id" bigint NOT NULL, "prefix" character varying(10) NOT NULL DEFAULT '!', "log_channel_id" bigint, "mod_log_id" bigint, "audit_log_id" bigint, "join_log_id" bigint, "private_log_id" bigint, "report_log_id" bigint, "dev_log_id" bigint, "jail_channel_id" bigint, "jail_role_id" bigint, "onboarding_completed" boolean NOT NULL DEFAULT false, "onboarding_stage" "public"."onboarding_stage", "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "log_channel_id_positive" CHECK ("log_channel_id" > 0), CONSTRAINT "mod_log_id_positive" CHECK ("mod_log_id" > 0), CONSTRAINT "audit_log_id_positive" CHECK ("audit_log_id" > 0), CONSTRAINT "join_log_id_positive" CHECK ("join_log_id" > 0), CONSTRAINT "private_log_id_positive" CHECK ("private_log_id" > 0), CONSTRAINT "report_log_id_positive" CHECK ("report_log_id" > 0), CONSTRAINT "dev_log_id_positive" CHECK ("dev_log_id" > 0), CONSTRAINT "jail_channel_id_positive" CHECK ("jail_channel_id" > 0), CONSTRAINT "jail_role_id_positive" CHECK ("jail_role_id" > 0), CONSTRAINT "prefix_not_empty" CHECK (length("prefix") > 0), CONSTRAINT "pk_guild_config" PRIMARY KEY ("guild_id"))`);
    await queryRunner.query(`CREATE TYPE "public"."permission_level" AS ENUM('MEMBER', 'TRUSTED', 'JUNIOR_MODERATOR', 'MODERATOR', 'SENIOR_MODERATOR', 'ADMINISTRATOR', 'HEAD_ADMINISTRATOR', 'SERVER_OWNER')`);
    await queryRunner.query(`CREATE TABLE "guild_permissions" ("guild_id" bigint NOT NULL, "user_id" bigint NOT NULL, "permission_level" "public"."permission_level" NOT NULL DEFAULT 'MEMBER', CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "user_id_positive" CHECK ("user_id" > 0), CONSTRAINT "pk_guild_permissions" PRIMARY KEY ("guild_id", "user_id"))`);
    await queryRunner.query(`CREATE TABLE "levels" ("user_id" bigint NOT NULL, "guild_id" bigint NOT NULL, "xp" double precision NOT NULL DEFAULT '0', "level" integer NOT NULL DEFAULT '0', "blacklisted" boolean NOT NULL DEFAULT false, "last_message" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "user_id_positive" CHECK ("user_id" > 0), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "level_non_negative" CHECK ("level" >= 0), CONSTRAINT "xp_non_negative" CHECK ("xp" >= 0), CONSTRAINT "pk_levels" PRIMARY KEY ("user_id", "guild_id"))`);
    await queryRunner.query(`CREATE TABLE "permission_ranks" ("permission_rank_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "guild_id" bigint NOT NULL, "rank" integer NOT NULL, "name" character varying(100) NOT NULL, "description" character varying(500), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_permission_ranks_guild_name" UNIQUE ("guild_id", "name"), CONSTRAINT "uq_permission_ranks_guild_rank" UNIQUE ("guild_id", "rank"), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "permission_rank_name_not_empty" CHECK (length("name") > 0), CONSTRAINT "permission_rank_range" CHECK ("rank" BETWEEN 0 AND 10), CONSTRAINT "pk_permission_ranks" PRIMARY KEY ("permission_rank_id"))`);
    await queryRunner.query(`CREATE TABLE "permission_assignments" ("assignment_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "guild_id" bigint NOT NULL, "permission_rank_id" bigint NOT NULL, "role_id" bigint NOT NULL, CONSTRAINT "uq_permission_assignments_guild_role" UNIQUE ("guild_id", "role_id"), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "permission_rank_id_positive" CHECK ("permission_rank_id" > 0), CONSTRAINT "role_id_positive" CHECK ("role_id" > 0), CONSTRAINT "pk_permission_assignments" PRIMARY KEY ("assignment_id"))`);
    await queryRunner.query(`CREATE TABLE "permission_commands" ("command_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "guild_id" bigint NOT NULL, "command_name" character varying(100) NOT NULL, "required_rank" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_permission_commands_guild_command" UNIQUE ("guild_id", "command_name"), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "permission_command_name_not_empty" CHECK (length("command_name") > 0), CONSTRAINT "permission_command_rank_range" CHECK ("required_rank" BETWEEN 0 AND 10), CONSTRAINT "pk_permission_commands" PRIMARY KEY ("command_id"))`);
    await queryRunner.query(`CREATE TABLE "reminder" ("reminder_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "reminder_content" character varying(2000) NOT NULL, "reminder_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reminder_channel_id" bigint NOT NULL, "reminder_user_id" bigint NOT NULL, "reminder_sent" boolean NOT NULL DEFAULT false, "guild_id" bigint NOT NULL, CONSTRAINT "reminder_channel_id_positive" CHECK ("reminder_channel_id" > 0), CONSTRAINT "reminder_user_id_positive" CHECK ("reminder_user_id" > 0), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "pk_reminder" PRIMARY KEY ("reminder_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_reminder_due" ON "reminder" ("reminder_expires_at") WHERE "reminder_sent" = false`);
    await queryRunner.query(`CREATE TABLE "snippet" ("snippet_id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "snippet_name" character varying(100) NOT NULL, "snippet_content" character varying(4000), "snippet_user_id" bigint NOT NULL, "guild_id" bigint NOT NULL, "uses" integer NOT NULL DEFAULT '0', "locked" boolean NOT NULL DEFAULT false, "alias" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "snippet_user_id_positive" CHECK ("snippet_user_id" > 0), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "snippet_uses_non_negative" CHECK ("uses" >= 0), CONSTRAINT "snippet_name_not_empty" CHECK (length("snippet_name") > 0), CONSTRAINT "pk_snippet" PRIMARY KEY ("snippet_id"))`);
    await queryRunner.query(`CREATE TABLE "starboard" ("guild_id" bigint NOT NULL, "starboard_channel_id" bigint NOT NULL, "starboard_emoji" character varying(64) NOT NULL, "starboard_threshold" integer NOT NULL DEFAULT '1', CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "starboard_channel_id_positive" CHECK ("starboard_channel_id" > 0), CONSTRAINT "starboard_threshold_positive" CHECK ("starboard_threshold" >= 1), CONSTRAINT "pk_starboard" PRIMARY KEY ("guild_id"))`);
    await queryRunner.query(`CREATE TABLE "starboard_message" ("message_id" bigint NOT NULL, "guild_id" bigint NOT NULL, "message_channel_id" bigint NOT NULL, "message_user_id" bigint NOT NULL, "message_content" character varying(4000) NOT NULL, "message_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "star_count" integer NOT NULL DEFAULT '0', "starboard_message_id" bigint NOT NULL, CONSTRAINT "message_id_positive" CHECK ("message_id" > 0), CONSTRAINT "guild_id_positive" CHECK ("guild_id" > 0), CONSTRAINT "message_channel_id_positive" CHECK ("message_channel_id" > 0), CONSTRAINT "message_user_id_positive" CHECK ("message_user_id" > 0), CONSTRAINT "starboard_message_id_positive" CHECK ("starboard_message_id" > 0), CONSTRAINT "star_count_non_negative" CHECK ("star_count" >= 0), CONSTRAINT "pk_starboard_message" PRIMARY KEY ("message_id"))`);
    await queryRunner.query(`ALTER TABLE "afk" ADD CONSTRAINT "fk_afk_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "cases" ADD CONSTRAINT "fk_cases_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "guild_config" ADD CONSTRAINT "fk_guild_config_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "guild_permissions" ADD CONSTRAINT "fk_guild_permissions_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "levels" ADD CONSTRAINT "fk_levels_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "permission_ranks" ADD CONSTRAINT "fk_permission_ranks_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "permission_assignments" ADD CONSTRAINT "fk_permission_assignments_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "permission_assignments" ADD CONSTRAINT "fk_permission_assignments_rank" FOREIGN KEY ("permission_rank_id") REFERENCES "permission_ranks"("permission_rank_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "permission_commands" ADD CONSTRAINT "fk_permission_commands_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "reminder" ADD CONSTRAINT "fk_reminder_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "snippet" ADD CONSTRAINT "fk_snippet_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "starboard" ADD CONSTRAINT "fk_starboard_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "starboard_message" ADD CONSTRAINT "fk_starboard_message_guild" FOREIGN KEY ("guild_id") REFERENCES "guild"("guild_id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // Indexes TypeORM cannot express; the entities mark them synchronize: false.
    await queryRunner.query(`CREATE INDEX "ix_levels_leaderboard" ON "levels" ("guild_id", "xp" DESC) WHERE "blacklisted" = false`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_snippet_guild_name" ON "snippet" ("guild_id", lower("snippet_name"))`);
    await queryRunner.query(`CREATE INDEX "ix_starboard_message_top" ON "starboard_message" ("guild_id", "star_count" DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_starboard_message_top"`);
    await queryRunner.query(`DROP INDEX "public"."uq_snippet_guild_name"`);
    await queryRunner.query(`DROP INDEX "public"."ix_levels_leaderboard"`);
    await queryRunner.query(`ALTER TABLE "starboard_message" DROP CONSTRAINT "fk_starboard_message_guild"`);
    await queryRunner.query(`ALTER TABLE "starboard" DROP CONSTRAINT "fk_starboard_guild"`);
    await queryRunner.query(`ALTER TABLE "snippet" DROP CONSTRAINT "fk_snippet_guild"`);
    await queryRunner.query(`ALTER TABLE "reminder" DROP CONSTRAINT "fk_reminder_guild"`);
    await queryRunner.query(`ALTER TABLE "permission_commands" DROP CONSTRAINT "fk_permission_commands_guild"`);
    await queryRunner.query(`ALTER TABLE "permission_assignments" DROP CONSTRAINT "fk_permission_assignments_rank"`);
    await queryRunner.query(`ALTER TABLE "permission_assignments" DROP CONSTRAINT "fk_permission_assignments_guild"`);
    await queryRunner.query(`ALTER TABLE "permission_ranks" DROP CONSTRAINT "fk_permission_ranks_guild"`);
    await queryRunner.query(`ALTER TABLE "levels" DROP CONSTRAINT "fk_levels_guild"`);
    await queryRunner.query(`ALTER TABLE "guild_permissions" DROP CONSTRAINT "fk_guild_permissions_guild"`);
    await queryRunner.query(`ALTER TABLE "guild_config" DROP CONSTRAINT "fk_guild_config_guild"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "fk_cases_guild"`);
    await queryRunner.query(`ALTER TABLE "afk" DROP CONSTRAINT "fk_afk_guild"`);
    await queryRunner.query(`DROP TABLE "starboard_message"`);
    await queryRunner.query(`DROP TABLE "starboard"`);
    await queryRunner.query(`DROP TABLE "snippet"`);
    await queryRunner.query(`DROP INDEX "public"."ix_reminder_due"`);
    await queryRunner.query(`DROP TABLE "reminder"`);
    await queryRunner.query(`DROP TABLE "permission_commands"`);
    await queryRunner.query(`DROP TABLE "permission_assignments"`);
    await queryRunner.query(`DROP TABLE "permission_ranks"`);
    await queryRunner.query(`DROP TABLE "levels"`);
    await queryRunner.query(`DROP TABLE "guild_permissions"`);
    await queryRunner.query(`DROP TYPE "public"."permission_level"`);
    await queryRunner.query(`DROP TABLE "guild_config"`);
    await queryRunner.query(`DROP TYPE "public"."onboarding_stage"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cases_guild_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cases_guild_moderator"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cases_guild_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cases_unprocessed_expiry"`);
    await queryRunner.query(`DROP TABLE "cases"`);
    await queryRunner.query(`DROP TYPE "public"."case_type"`);
    await queryRunner.query(`DROP INDEX "public"."ix_afk_until_temporary"`);
    await queryRunner.query(`DROP TABLE "afk"`);
    await queryRunner.query(`DROP TABLE "guild"`);
  }
}
