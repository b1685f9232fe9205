// Resolve hook: appends each resolved module URL to $ONBOARD_LOADED_LOG.
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.ONBOARD_LOADED_LOG) appendFileSync(process.env.ONBOARD_LOADED_LOG, `${result.url}\n`);
  return result;
}
