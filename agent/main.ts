import "./v8-flags";
import { HELP, UsageError, parseArgs, type Options } from "./cli/args";
import { ARGV_TOKEN_WARNING, resolveToken } from "./cli/token";
import { enroll } from "./commands/enroll";
import { CommandError, commandContext } from "./commands/context";
import { once } from "./commands/once";
import { run } from "./commands/run";
import { status } from "./commands/status";
import { update } from "./commands/update";
import { ConfigError } from "./config";
import { createLogger } from "./log";
import { AGENT_VERSION } from "./version";

/** Exit codes: 0 ok, 1 the command failed (message on stderr), 2 bad usage. */
async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = await resolveToken(parseArgs(argv));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`infra-watch-agent: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (options.command === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (options.command === "version") {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  const context = commandContext(options, createLogger({ verbose: options.verbose }), AGENT_VERSION);
  if (options.tokenSource === "argv") context.log.warn(ARGV_TOKEN_WARNING);
  try {
    switch (options.command) {
      case "enroll":
        return await enroll(context);
      case "run":
        return await run(context);
      case "once":
        return await once(context);
      case "status":
        return await status(context);
      case "update":
        return await update(context);
    }
  } catch (err) {
    if (err instanceof CommandError || err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`infra-watch-agent: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`infra-watch-agent: unexpected error: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
