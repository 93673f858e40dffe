/**
 * Test helper: a strict parser for the XML subset the kit writes (declaration, elements,
 * attributes, text, comments; no DTD or CDATA). It throws on anything not well-formed and
 * returns the element tree, so tests can count what a chart drew.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;                 // the element's own text, entities left as written
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`not well-formed XML at offset ${at}: ${what} (near ${JSON.stringify(source.slice(at, at + 40))})`);
  };
  const skipMisc = (): void => {
    for (;;) {
      while (/\s/.test(source[at] ?? '')) at++;
      if (!source.startsWith('<!--', at)) return;
      const end = source.indexOf('-->', at + 4);
      if (end < 0) fail('unterminated comment');
      at = end + 3;
    }
  };
  const name = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(source);
    if (!match) return fail('expected a name');
    at += match[0].length;
    return match[0];
  };
  const checkText = (text: string, start: number): void => {
    for (let index = text.indexOf('&'); index >= 0; index = text.indexOf('&', index + 1)) {
      ENTITY.lastIndex = index;
      if (!ENTITY.test(text)) {
        at = start + index;
        fail('a bare & (write &amp;)');
      }
    }
  };
  const element = (): XmlElement => {
    if (source[at] !== '<') fail('expected <');
    at++;
    const node: XmlElement = { name: name(), attributes: {}, children: [], text: '' };
    for (;;) {
      const before = at;
      while (/\s/.test(source[at] ?? '')) at++;
      if (source.startsWith('/>', at)) {
        at += 2;
        return node;
      }
      if (source[at] === '>') {
        at++;
        break;
      }
      if (at === before) fail('expected a space before an attribute');
      const attribute = name();
      if (attribute in node.attributes) fail(`attribute ${attribute} twice`);
      if (source[at] !== '=') fail('expected =');
      const quote = source[++at];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = source.indexOf(quote as string, at + 1);
      if (end < 0) fail('unterminated attribute value');
      const value = source.slice(at + 1, end);
      if (value.includes('<')) fail('< inside an attribute value');
      checkText(value, at + 1);
      node.attributes[attribute] = value;
      at = end + 1;
    }
    for (;;) {
      const next = source.indexOf('<', at);
      if (next < 0) fail(`</${node.name}> missing`);
      const text = source.slice(at, next);
      checkText(text, at);
      node.text += text;
      at = next;
      if (source.startsWith('<!--', at)) {
        skipMisc();
      } else if (source.startsWith('</', at)) {
        at += 2;
        if (name() !== node.name) fail(`expected </${node.name}>`);
        while (/\s/.test(source[at] ?? '')) at++;
        if (source[at] !== '>') fail('expected >');
        at++;
        return node;
      } else {
        node.children.push(element());
      }
    }
  };
  if (source.startsWith('<?xml', at)) {
    const end = source.indexOf('?>', at);
    if (end < 0) fail('unterminated declaration');
    at = end + 2;
  }
  skipMisc();
  const root = element();
  skipMisc();
  if (at !== source.length) fail('content after the root element');
  return root;
}

/** Every element of the tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}
