import { describe, expect, it } from 'vitest';
import { isAbsent, prunedCopy, setOwn } from '../../../functions/ecs/prune.js';

describe('prunedCopy', () => {
  it('drops null, empty strings, empty objects and empty arrays at any depth', () => {
    const value = { a: null, b: '', c: {}, d: [], e: { f: { g: null } }, h: [null, '', [], {}, 'x'], i: 0, j: false, k: { l: 'm' } };

    expect(prunedCopy(value)).toStrictEqual({ h: ['x'], i: 0, j: false, k: { l: 'm' } });
  });

  it('finds nothing in a value that is empty all the way down', () => {
    expect(prunedCopy({ a: [{ b: [null] }], c: '' })).toBeUndefined();
  });

  it('drops what JSON cannot carry', () => {
    expect(
      prunedCopy({ a: undefined, b: () => 1, c: Number.NaN, d: Number.POSITIVE_INFINITY, e: 10n, f: Symbol('s'), g: 1 }),
    ).toStrictEqual({ g: 1 });
  });

  it('copies and leaves its input unchanged', () => {
    const value = { a: { b: null, c: 'x' } };

    const copy = prunedCopy(value) as { a: object };

    expect(value).toStrictEqual({ a: { b: null, c: 'x' } });
    expect(copy.a).not.toBe(value.a);
  });

  it('keeps a field named __proto__ as an own field', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}}') as unknown;

    const copy = prunedCopy(value) as object;

    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"x":1}}');
  });
});

describe('setOwn', () => {
  it('sets an ordinary field and a field named __proto__ alike', () => {
    const target: Record<string, unknown> = {};

    setOwn(target, 'a', 1);
    setOwn(target, '__proto__', 2);

    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(JSON.stringify(target)).toBe('{"a":1,"__proto__":2}');
  });
});

describe('isAbsent', () => {
  it.each([
    [undefined, true],
    [null, true],
    ['', true],
    [0, false],
    [false, false],
    [' ', false],
  ])('says %j is absent: %j', (value, expected) => {
    expect(isAbsent(value)).toBe(expected);
  });
});
