/** Kinds of moderation case (stored by name in the native enum `case_type`). */
export enum CaseType {
  BAN = 'BAN',
  UNBAN = 'UNBAN',
  HACKBAN = 'HACKBAN',
  TEMPBAN = 'TEMPBAN',
  KICK = 'KICK',
  TIMEOUT = 'TIMEOUT',
  UNTIMEOUT = 'UNTIMEOUT',
  WARN = 'WARN',
  JAIL = 'JAIL',
  UNJAIL = 'UNJAIL',
  SNIPPETBAN = 'SNIPPETBAN',
  SNIPPETUNBAN = 'SNIPPETUNBAN',
  POLLBAN = 'POLLBAN',
  POLLUNBAN = 'POLLUNBAN',
}

/** A member's permission level in a guild, lowest first (native enum `permission_level`). */
export enum PermissionLevel {
  MEMBER = 'MEMBER',
  TRUSTED = 'TRUSTED',
  JUNIOR_MODERATOR = 'JUNIOR_MODERATOR',
  MODERATOR = 'MODERATOR',
  SENIOR_MODERATOR = 'SENIOR_MODERATOR',
  ADMINISTRATOR = 'ADMINISTRATOR',
  HEAD_ADMINISTRATOR = 'HEAD_ADMINISTRATOR',
  SERVER_OWNER = 'SERVER_OWNER',
}

/** How far a guild got through the bot's set-up wizard (native enum `onboarding_stage`). */
export enum OnboardingStage {
  NOT_STARTED = 'NOT_STARTED',
  DISCOVERED = 'DISCOVERED',
  INITIALIZED = 'INITIALIZED',
  CONFIGURED = 'CONFIGURED',
  COMPLETED = 'COMPLETED',
}
