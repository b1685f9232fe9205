// The command table: names, flags and help. It imports no command module (src/commands/index.ts maps each name to
// its module, loaded only when that command runs), so completion and the help layout can read it.
import { Command, Option } from './commander.js';
import { VERSION } from './version.js';

/** Every command, by the name the table gives it; src/commands/index.ts holds the module of each. */
export type CommandName =
  | 'test-order'
  | 'sync'
  | 'authorize'
  | 'settings'
  | 'track'
  | 'status'
  | 'report'
  | 'connect'
  | 'disconnect'
  | 'orders'
  | 'doctor'
  | 'completion'
  | 'complete'
  | 'sandbox serve'
  | 'sandbox reset';

/** Runs a command by name (its module: src/commands/index.ts) with commander's action arguments. */
export type Dispatch = (name: CommandName, args: unknown[]) => Promise<void>;

const EXIT_CODES_HELP = `
Exit codes:
  0    done: the target was reached, or a reading command ran
  1    failed: a system refused, was unreachable or answered unexpectedly
  2    bad usage or input, or input needed but not interactive
  3    needs attention: the order has a problem a person must fix
  4    credentials rejected
  8    pending: waiting on something outside, --timeout reached, or "no"
  130  cancelled by Ctrl-C (143: SIGTERM); progress is saved first

Environment:
  ONBOARD_CONFIG_DIR, ONBOARD_PROFILE, ONBOARD_NO_INPUT,
  ONBOARD_SANDBOX_WAIT_MS,
  ONBOARD_SHOPIFY_TOKEN, ONBOARD_SHOPIFY_CLIENT_SECRET,
  ONBOARD_WOOCOMMERCE_KEY, ONBOARD_WOOCOMMERCE_SECRET,
  ONBOARD_BIGCOMMERCE_TOKEN, ONBOARD_FLXPOINT_TOKEN,
  NO_COLOR, FORCE_COLOR, CI, HTTPS_PROXY/NO_PROXY
`;

function withAuthorizeWithin(command: Command): Command {
  return command.option('--authorize-within <duration>', 'how long after reaching the portal payment may stay unauthorized (default 24h)');
}

/** `launcher`: how the user started onboard (`npx onboard` through npx), so the help's example can be pasted. */
export function buildProgram(dispatch: Dispatch, launcher = 'onboard'): Command {
  const program = new Command('onboard')
    .description('Walk a dropship dealer through their first test order: store → Order Manager → dealer portal → tracking back on the store.')
    .version(VERSION, '-V, --version')
    .option('--json', 'print one JSON document on stdout (errors too)')
    .option('--no-input', 'never prompt; fail at once naming the flag that answers')
    .addOption(new Option('--non-interactive', 'alias of --no-input'))
    .option('--no-color', 'no colour')
    .option('--verbose', 'log each HTTP request (secrets redacted)')
    .option('--sandbox', 'use the embedded sandbox instead of your real systems')
    .option('--scenario <name>', 'sandbox scenario for a new order (needs --sandbox)')
    .option('--profile <name>', 'keep one dealer apart from another (env ONBOARD_PROFILE)')
    .option('--timeout <duration>', 'give up waiting after this long and exit 8 (0: do not wait)')
    .option('--poll-interval <duration>', 'how often a waiting command looks again')
    .addHelpText('after', `${EXIT_CODES_HELP}\nTry it without any account:  ${launcher} test-order --sandbox`)
    .configureHelp({ showGlobalOptions: true });

  const action =
    (name: CommandName) =>
    (...args: unknown[]) =>
      dispatch(name, args);

  withAuthorizeWithin(
    program
      .command('test-order')
      .description('the six-step wizard: place a test order and follow it to tracking on your store')
      .option('--order <ref>', 'use an existing store order (1001, #1001 or portal:ID)')
      .option('--create', 'place the order by API (asks for the details on a terminal; flags below answer)')
      .option('--variant <id>', '--create: the item (a small, low-dollar one)')
      .option('--quantity <n>', '--create: quantity (default 1)')
      .option('--email <address>', '--create: customer email')
      .option('--ship-name <name>', '--create: ship-to name')
      .option('--ship-address1 <street>', '--create: street address')
      .option('--ship-city <city>', '--create: city')
      .option('--ship-province <province>', '--create: state or province')
      .option('--ship-zip <zip>', '--create: ZIP or postal code')
      .option('--ship-country <code>', '--create: ISO two-letter country code')
      .option('--ship-phone <phone>', '--create: phone')
      .option('--shipping-title <text>', '--create: shipping method title, as Order Manager must map it')
      .option('--shipping-price <amount>', '--create: shipping price (default 0.01)')
      .option('--vendor <name>', 'limit item suggestions to one vendor')
      .option('-y, --yes', 'answer yes (never authorizes above your auto-authorize maximum)')
      .option('--restart', 'abandon the unfinished run and start a new one')
      .addHelpText(
        'after',
        `
Examples:
  onboard test-order --sandbox                try it all without accounts
  onboard test-order                          your store and portal
                                              (onboard connect … first)
  onboard test-order --order 1001 --yes       follow an order already on
                                              your store
  onboard test-order --yes --timeout 0 --json for scripts: do what can be
                                              done now, exit 8 while waiting`,
      ),
  ).action(action('test-order'));

  withAuthorizeWithin(
    program
      .command('sync')
      .description('bring every tracked order up to date from the store, Order Manager and the portal')
      .option('--force', 'also press Order Sync where possible, and ignore cached state'),
  ).action(action('sync'));

  program
    .command('authorize')
    .description('authorize payment for one order (or show the clicks and verify)')
    .argument('<order>', '1001, #1001 or portal:ID')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--watch', 'wait until the authorization shows')
    .action(action('authorize'));

  program
    .command('settings')
    .description('show or set the portal auto-authorize settings')
    .option('--auto-authorize', 'turn "Auto Authorize Orders For Payment" on')
    .option('--no-auto-authorize', 'turn it off')
    .option('--max <amount>', '"Only Auto Authorize Up to a Maximum Order Total" (e.g. 50 or 49.99)')
    .option('--no-max', 'remove the maximum')
    .option('--path', 'print the configuration directory')
    .action(action('settings'));

  withAuthorizeWithin(
    program
      .command('track')
      .description('one order across the three systems')
      .argument('<order>', '1001, #1001 or portal:ID')
      .option('--watch', 'wait until the tracking is on the store or a problem needs you'),
  ).action(action('track'));

  withAuthorizeWithin(
    program.command('status').description('every tracked order, its stage and what it waits for').option('--all-profiles', "every profile's runs in one table"),
  ).action(action('status'));

  program
    .command('report')
    .description("a run's report: the six stages with times and evidence, the confirmations, the supplier email")
    .argument('[order]', '1001, #1001 or portal:ID (default: the newest run)')
    .option('--format <format>', 'markdown (default), json or html')
    .option('--output <file>', 'write it to a file (0600) instead of the terminal')
    .option('--force', 'overwrite an existing --output file')
    .option('--open', 'open the HTML page in your browser (or say where the file is)')
    .option('--email', 'print the supplier email, ready to paste')
    .action(action('report'));

  program
    .command('connect')
    .description("check one system's credentials against its API and store them")
    .argument('<system>', 'shopify, woocommerce, bigcommerce, flxpoint or inventory-source')
    .option('--store <domain>', 'Shopify: NAME.myshopify.com')
    .option('--client-id <id>', "Shopify: a Dev Dashboard app's client ID (its secret from ONBOARD_SHOPIFY_CLIENT_SECRET or --token-stdin)")
    .option('--client-secret <secret>', "Shopify: that app's client secret (prefer the environment or --token-stdin)")
    .option('--token <token>', 'Shopify (an admin-created app), BigCommerce, Flxpoint: the API token (prefer the environment or --token-stdin)')
    .option('--url <url>', 'WooCommerce: the store address (https)')
    .option('--consumer-key <key>', 'WooCommerce: the REST API consumer key')
    .option('--consumer-secret <secret>', 'WooCommerce: the REST API consumer secret')
    .option('--store-hash <hash>', 'BigCommerce: the store hash')
    .option('--portal-url <url>', 'Flxpoint: the dealer portal address')
    .option('--supplier-email <address>', "Flxpoint: the supplier's email for step 4")
    .option('--plan <plan>', 'Inventory Source: basic, plus or vip')
    .option('--api-url <url>', 'use another API base (a sandbox server, a test double)')
    .option('--token-stdin', 'read the secrets from stdin, one line each, in flag order')
    .option('--no-check', 'store without calling the API')
    .action(action('connect'));

  program
    .command('disconnect')
    .description("forget one system's credentials")
    .argument('<system>', 'shopify, woocommerce, bigcommerce, flxpoint or inventory-source')
    .action(action('disconnect'));

  program
    .command('orders')
    .description('orders on the sales channel, newest first')
    .option('--since <duration>', 'created since (default 7d)')
    .option('--limit <n>', 'how many (default 50, 0 for all)')
    .action(action('orders'));

  program
    .command('doctor')
    .description('check configuration, credentials, permissions and reachability, with fixes')
    .option('--bundle <file>', 'write a support bundle (secrets removed, customer data masked)')
    .option('--force', 'overwrite an existing bundle file')
    .option('--include-customer-data', 'keep customer personal data in the bundle')
    .option('--fix', 'move damaged files under the configuration directory aside (says where)')
    .action(action('doctor'));

  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish (the README says how to install it)')
    .argument('<shell>', 'bash, zsh or fish')
    .action(action('completion'));
  program
    .command('complete', { hidden: true })
    .description('the completion candidates for the words typed (the completion script asks this)')
    .argument('[words...]')
    .action(action('complete'));

  const sandbox = program.command('sandbox').description('the embedded sandbox: run it as a server, or reset it');
  sandbox
    .command('serve')
    .description('run the sandbox world as a standalone server and print its address and credentials')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)')
    .action(action('sandbox serve'));
  sandbox
    .command('reset')
    .description("delete this profile's sandbox world and sandbox records")
    .option('-y, --yes', 'do not ask')
    .action(action('sandbox reset'));

  return program;
}
