// Where JSON text first goes wrong, found by a small scanner of the JSON grammar (RFC 8259): JSON.parse's
// messages differ between browsers and often name neither the place nor what was expected.

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

/** Null when {@code text} is one valid JSON value; else "what (line L column C)". */
export function jsonProblem(text) {
  let i = 0;

  function fail(expected) {
    const found = i >= text.length ? 'the end of the input' : JSON.stringify(text[i]);
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const column = i - before.lastIndexOf('\n');
    throw new SyntaxError(`expected ${expected}, found ${found} (line ${line} column ${column})`);
  }

  function space() {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  }

  function match(re) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m) i += m[0].length;
    return m;
  }

  function string() {
    i++;
    for (;;) {
      if (i >= text.length) fail('a closing \'"\'');
      const c = text[i];
      if (c === '"') break;
      if (c === '\\') {
        i++;
        if (!match(ESCAPE)) fail('an escape such as \\n, \\" or \\u00e9');
      } else if (c < ' ') {
        fail('no control character in a string (write \\n for a line break)');
      } else {
        i++;
      }
    }
    i++;
  }

  function members(close, member) {
    i++;
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] !== close) fail(`',' or '${close}'`);
      i++;
      return;
    }
  }

  function value() {
    space();
    const c = text[i];
    if (c === '{') {
      members('}', () => {
        space();
        if (text[i] !== '"') fail('a property name in double quotes');
        string();
        space();
        if (text[i] !== ':') fail('\':\'');
        i++;
        value();
      });
    } else if (c === '[') {
      members(']', value);
    } else if (c === '"') {
      string();
    } else if (!match(NUMBER) && !match(LITERAL)) {
      fail('a value (an object, array, string, number, true, false or null)');
    }
  }

  try {
    value();
    space();
    if (i < text.length) fail('nothing more after the value');
    return null;
  } catch (e) {
    if (e instanceof SyntaxError) return e.message;
    throw e;
  }
}
