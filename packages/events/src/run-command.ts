// One way to run a command for handlers, service managers and template checks: @smeconf/templates' runCommand.
export { runCommand, type CommandResult } from '@smeconf/templates';
