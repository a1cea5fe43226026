export { ErrorCodes, type ErrorCode } from './codes.ts';
export {
  ToolError,
  DbError,
  UsageError,
  InternalError,
  isToolError,
  type ToolErrorOptions,
} from './tool-error.ts';
