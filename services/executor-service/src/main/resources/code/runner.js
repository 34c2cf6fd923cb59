// LinkFlow Code node: runs the author's function over the items and reports the outcome in a plain
// object the executor reads once the promise jobs have run. Items cross as JSON text both ways.
(function (fn, mode, inputJson) {
  'use strict';
  const state = { done: false, result: undefined, error: undefined, stack: undefined, kind: undefined };
  const items = JSON.parse(inputJson);
  const describe = (value) =>
    value === null ? 'null' : Array.isArray(value) ? 'an array' : 'a ' + typeof value;
  const isItem = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
  const resultError = (message) => {
    const e = new Error(message);
    e.linkflowResult = true;
    return e;
  };
  const all = (returned) => {
    if (returned === undefined) {
      throw resultError('the code returned nothing: return an array of objects (or one object)');
    }
    if (Array.isArray(returned)) {
      returned.forEach((item, index) => {
        if (!isItem(item)) {
          throw resultError('item ' + index + ' of the returned array is ' + describe(item) + ', not an object');
        }
      });
      return returned;
    }
    if (isItem(returned)) {
      return [returned];
    }
    throw resultError('the code returned ' + describe(returned) + ': return an array of objects (or one object)');
  };
  const fail = (e) => {
    state.done = true;
    if (e !== null && typeof e === 'object' && e.linkflowResult) {
      state.kind = 'result';
      state.error = e.message;
      return;
    }
    state.kind = 'thrown';
    if (e instanceof Error) {
      state.error = e.name + ': ' + e.message;
      state.stack = String(e.stack);
    } else {
      try {
        state.error = 'Uncaught ' + (typeof e === 'string' ? e : JSON.stringify(e));
      } catch (ignored) {
        state.error = 'Uncaught ' + String(e);
      }
    }
  };
  const $input = Object.freeze({
    all: () => items,
    first: () => items[0],
    last: () => items[items.length - 1],
  });
  let run;
  if (mode === 'eachItem') {
    run = (async () => {
      const output = [];
      for (let index = 0; index < items.length; index++) {
        const item = items[index];
        const perItem = Object.freeze({ all: $input.all, first: $input.first, last: $input.last, item: item });
        const returned = await fn(undefined, perItem, item, item, index);
        if (returned === null) {
          continue;
        }
        if (!isItem(returned)) {
          throw resultError(
            'the code returned ' + describe(returned) + ' for item ' + index +
              ': return an object, or null to drop the item');
        }
        output.push(returned);
      }
      return output;
    })();
  } else {
    run = (async () => all(await fn(items, $input, undefined, undefined, undefined)))();
  }
  run.then(
    (output) => {
      try {
        state.result = JSON.stringify(output);
        state.done = true;
      } catch (e) {
        fail(resultError('the returned items cannot be written as JSON: ' + e.message));
      }
    },
    fail);
  return state;
})
