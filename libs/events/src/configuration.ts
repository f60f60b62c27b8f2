import { z } from 'zod';
import { ValidationError } from './errors';

/** A setting that is missing or malformed: start-up stops with a message that names it (and never echoes a secret). */
export class ConfigurationError extends ValidationError {
  constructor(
    readonly setting: string,
    problem: string,
    missing = false,
  ) {
    super(missing ? 'missing_setting' : 'invalid_setting', `Setting ${setting} ${problem}`, { setting });
  }
}

/** The process environment, or a test's stand-in. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A setting's text: trimmed, and absent when empty. */
export const settingText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

/**
 * Reads settings from the environment with a zod schema whose keys are the setting names.
 * @throws ConfigurationError naming the first setting that is missing or bad, with the schema's message.
 */
export function readSettings<Schema extends z.ZodType>(schema: Schema, env: Environment): z.output<Schema> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const setting = String(issue?.path[0] ?? 'environment');
  const missing = !env[setting]?.trim();
  const problem = issue?.code === 'invalid_type' && missing ? 'is required' : (issue?.message ?? 'is invalid');
  throw new ConfigurationError(setting, problem, missing);
}
