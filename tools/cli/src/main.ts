import { CommanderError } from 'commander';
import { isCommandflowError } from '@commandflow/events';
import { CliError } from './cliError';
import { buildProgram } from './commands';

/** The `commandflow` CLI: exit 0 on success, 1 on a failure, 2 on a usage error. */
buildProgram()
  .parseAsync()
  .catch((error: unknown) => {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    const usage = error instanceof CliError && error.exitCode === 2;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`commandflow: ${isCommandflowError(error) ? `${message} (${error.code})` : message}\n`);
    process.exitCode = usage ? 2 : 1;
  });
