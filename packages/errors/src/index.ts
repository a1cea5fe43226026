export { ErrorCodes, type ErrorCode } from './codes.ts';
export {
  ToolError,
  DbError,
  UsageError,
  InternalError,
  isToolError,
  toToolError,
  type ToolErrorOptions,
} from './tool-error.ts';
