import { describe, expect, it } from 'vitest';
import { roomyObject } from '../../../functions/ecs/roomy-object.js';

describe('roomyObject', () => {
  it('makes an object that cannot be told from an object literal', () => {
    const made = roomyObject({ a: 1, b: 'x' });
    const literal = { a: 1, b: 'x' };

    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
    expect(made.constructor).toBe(Object);
    expect(Object.keys(made)).toEqual(['a', 'b']);
    expect(made).toStrictEqual(literal);
    expect(JSON.stringify(made)).toBe(JSON.stringify(literal));
    expect(structuredClone(made)).toStrictEqual(literal);
  });

  it('has none of the fields its constructor lists for size', () => {
    const made: Record<string, unknown> = roomyObject({});

    expect(Object.getOwnPropertyNames(made)).toEqual([]);
    expect('f0' in made).toBe(false);
  });

  it('takes any number of fields, in the order they are added', () => {
    const made: Record<string, unknown> = roomyObject({ first: true });
    for (let i = 0; i < 60; i++) made[`k${i}`] = i;

    expect(Object.keys(made)).toHaveLength(61);
    expect(Object.keys(made)[0]).toBe('first');
    expect(made.k59).toBe(59);
  });

  it('gives each call its own object', () => {
    const a: Record<string, unknown> = roomyObject({ x: 1 });
    const b: Record<string, unknown> = roomyObject({ x: 1 });
    a.y = 2;

    expect(b).toStrictEqual({ x: 1 });
  });
});
