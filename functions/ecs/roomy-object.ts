/**
 * Empty plain objects with room for a few dozen fields inside the object itself.
 *
 * An object literal gets exactly the room its written fields need; every field added later goes to a
 * separate storage that is reallocated and copied every few fields. The mapping adds 10-30 fields to each
 * of the objects it builds, one by one (which fields depends on the incident), and that regrowth showed up
 * as several percent of mapping time. V8 instead sizes the objects a constructor makes from the
 * `this.<name> =` stores in its body (later trimmed to what the first objects actually used), so the
 * constructor below lists stores it never runs. Its prototype is `Object.prototype`: what it makes is an
 * ordinary object in every way JavaScript can observe (prototype, `constructor`, keys, JSON).
 */
interface RoomyObjectConstructor {
  new (): Record<string, unknown>;
}

function RoomyObjectMaker(this: Record<string, unknown>, sizeHint?: true): void {
  if (sizeHint === true) {
    this.f0 = this.f1 = this.f2 = this.f3 = this.f4 = this.f5 = this.f6 = this.f7 = this.f8 = this.f9 = undefined;
    this.f10 = this.f11 = this.f12 = this.f13 = this.f14 = this.f15 = this.f16 = this.f17 = this.f18 = this.f19 = undefined;
    this.f20 = this.f21 = this.f22 = this.f23 = this.f24 = this.f25 = this.f26 = this.f27 = this.f28 = this.f29 = undefined;
    this.f30 = this.f31 = this.f32 = undefined;
  }
}
RoomyObjectMaker.prototype = Object.prototype;

const RoomyObject = RoomyObjectMaker as unknown as RoomyObjectConstructor;

/** A new empty object with `first` as its first fields, room left for more. */
export function roomyObject<T extends object>(first: T): T {
  return Object.assign(new RoomyObject(), first) as T;
}
