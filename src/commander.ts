// commander, in one place. The build bundles it into dist/main.js (the only chunk `onboard --help` loads).
export { Command, Option, CommanderError } from 'commander';
