import { describe, expect, it } from 'vitest';
import { readRepositoryFile } from './markdown.js';

describe('README.md', () => {
  const readme = readRepositoryFile('README.md');

  it('is a front door of at most 250 lines', () => {
    // Prepare / act
    const lines = readme.replace(/\n$/, '').split('\n').length;
    // Assess
    expect(lines).toBeLessThanOrEqual(250);
  });

  it('keeps the two quick-start commands', () => {
    // Assess
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
