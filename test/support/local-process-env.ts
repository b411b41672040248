/**
 * The AWS SDK and the commands read their endpoints from the process environment, as they do in real
 * use, so tests that run them in this process point `process.env` at the local environment.
 */
import type { LocalEnvironment } from '../../local/environment.js';

/** Sets the local environment's variables (and `extra` over them) in `process.env`; returns the undo. */
export function pointProcessEnvAt(local: LocalEnvironment, extra: Readonly<Record<string, string>> = {}): () => void {
  const saved = { ...process.env };
  // Node 20 is expected here: the SDK's warning about it would only clutter the output.
  Object.assign(process.env, local.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, extra);
  return () => {
    process.env = saved;
  };
}
