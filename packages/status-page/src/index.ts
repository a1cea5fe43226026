// @smeconf/status-page: the HTTP server and the page of `smeconf serve`
// (docs/status-page.md). A library: the status, the preflight and the
// events come in as functions; it reads no database or environment.
export { statusPageHandler, listenStatusPage, oldestCheck, SECURITY_HEADERS, type StatusPageOptions, type RunningStatusPage } from './server.ts';
export { renderPage, type PageModel } from './page.ts';
export { readRecentEvents, pageEvent, type PageEvent } from './recent-events.ts';
export { authorized, sameSecret, REALM } from './auth.ts';
export { FormTokens, FORM_TOKEN_MAX_AGE_MS } from './form-token.ts';
export { sameOriginProblem } from './same-origin.ts';
export { escapeHtml, html, SafeHtml, type HtmlValue } from './html.ts';
export {
  statusPageSettings,
  STATUS_PAGE_RECORD,
  DEFAULT_PORT,
  DEFAULT_ADDRESS,
  DEFAULT_RECHECK_SECONDS,
  MIN_TOKEN_LENGTH,
  type StatusPageSettings,
  type SettingsOverrides,
} from './settings.ts';
