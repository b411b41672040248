import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Starts `npm start`'s entry as its own process, as a user or a CI job would, and waits for it to end. */
function startDemo(args: string[], cwd: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((done, fail) => {
    // tsx is resolved from here, since the demo runs in a directory of its own (it writes .local-out/ there).
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'local/demo.ts'), ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    // Generous: a demo that hangs after its report is what this test catches, and that is minutes, not seconds.
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      done({ code, signal, stdout });
    });
  });
}

describe('npm start', () => {
  it('prints its report and exits 0 on its own, with nothing left holding the process open', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'symantec-edr-demo-'));
    try {
      const result = await startDemo(['--ticks', '2', '--interval-seconds', '1', '--history', '50'], cwd);

      expect(result.signal).toBeNull();
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/versions due but not delivered\s+0/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);

  it('delivers to the emulated Security Lake with --delivery security-lake, every due version once, in event-day partitions', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'symantec-edr-demo-'));
    try {
      const result = await startDemo(['--ticks', '2', '--interval-seconds', '1', '--history', '50', '--delivery', 'security-lake'], cwd);

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/documents delivered to Security Lake\s+5\d/);
      expect(result.stdout).toMatch(/duplicates delivered\s+0/);
      expect(result.stdout).toMatch(/versions due but not delivered\s+0/);
      expect(result.stdout).toMatch(
        /Parquet objects .* \.local-out\/security-lake\/[^/]+\/ext\/symantec-edr-cloud\/ \(\d+ objects, \d event days\)/,
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);
});
