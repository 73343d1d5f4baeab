// Every handler runs through runSafe: it yields once so a cancellation that is already queued can
// arrive, gives up with RequestCancelled when the client cancelled, and turns an exception into a
// log line and an empty answer — one broken feature never takes the server down. (The same shape
// as VS Code's css-language-features server.)

import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

export interface Logger {
  error(message: string): void;
}

export function runSafe<T>(
  log: Logger,
  name: string,
  token: CancellationToken | undefined,
  empty: T,
  fn: () => T | Promise<T>,
): Promise<T | ResponseError<void>> {
  return new Promise((resolve) => {
    const failed = (e: unknown): void => {
      const err = e as Error;
      log.error(`${name} failed: ${err?.stack ?? err?.message ?? String(e)}`);
      resolve(empty);
    };
    setImmediate(() => {
      if (token?.isCancellationRequested) {
        resolve(cancelled());
        return;
      }
      try {
        // A handler that works in slices returns a promise; it is judged the same way when it settles.
        Promise.resolve(fn()).then((result) => resolve(token?.isCancellationRequested ? cancelled() : result), failed);
      } catch (e) {
        failed(e);
      }
    });
  });
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
