// LinkFlow Code node: defines the read-only bindings and removes host-access globals. Runs once per
// context, before the author's code; receives the bindings as one JSON string.
(function (bindingsJson) {
  'use strict';
  const bindings = JSON.parse(bindingsJson);
  const freeze = (value) => {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const key of Object.keys(value)) {
        freeze(value[key]);
      }
    }
    return value;
  };
  const define = (name, value) =>
    Object.defineProperty(globalThis, name, {
      value: freeze(value),
      writable: false,
      enumerable: false,
      configurable: false,
    });
  define('$node', bindings.node);
  define('$vars', bindings.vars);
  define('$execution', bindings.execution);
  define('$workflow', bindings.workflow);
  define('$now', bindings.now);
  // GraalJS' Java interop globals: no host access is allowed anyway, but authors should not see them.
  for (const name of ['Java', 'Packages', 'java', 'javafx', 'javax', 'com', 'org', 'edu']) {
    delete globalThis[name];
  }
})
