// Being written (connect framework); replaced before this lands.
import { UsageError } from '../core/errors.js';
import type { CommandModule } from './types.js';

const command: CommandModule = async () => {
  throw new UsageError('onboard orders is not available yet');
};
export default command;
