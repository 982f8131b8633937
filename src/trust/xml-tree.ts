/**
 * A safe XML reader for trusted lists: no DTD, no entity expansion, namespace prefixes kept.
 *
 * fast-xml-parser builds a plain object tree; these helpers read it by local element name
 * (any prefix), because trusted lists are published both with a default namespace and with
 * prefixes (`tsl:`, `ns2:`). Only the root element's namespace is checked.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A node of the parsed tree: text, or an element object with children, attributes and `#text`. */
export type XmlNode = string | { readonly [key: string]: unknown };

const ATTRIBUTE_PREFIX = '@_';
const TEXT_KEY = '#text';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  textNodeName: TEXT_KEY,
  removeNSPrefix: false,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

/** True when the document declares a DTD or an entity: such documents are refused outright (XXE). */
export function hasDtd(xml: string): boolean {
  return /<!DOCTYPE|<!ENTITY/i.test(xml);
}

/**
 * Parses well-formed XML without a DTD. Returns `undefined` when the text is not well-formed.
 * The caller must have refused DTDs with {@link hasDtd} first.
 */
export function parseXml(xml: string): Record<string, unknown> | undefined {
  if (XMLValidator.validate(xml) !== true) return undefined;
  const tree: unknown = parser.parse(xml);
  return typeof tree === 'object' && tree !== null ? (tree as Record<string, unknown>) : undefined;
}

const localName = (key: string): string => key.slice(key.indexOf(':') + 1);

const isElementKey = (key: string): boolean => !key.startsWith(ATTRIBUTE_PREFIX) && key !== TEXT_KEY;

/** The child elements of `node` with local name `name`, in document order. */
export function children(node: unknown, name: string): XmlNode[] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
  const found: XmlNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (!isElementKey(key) || localName(key) !== name) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' || (typeof item === 'object' && item !== null)) found.push(item as XmlNode);
    }
  }
  return found;
}

/** The first child element of `node` with local name `name`. */
export function child(node: unknown, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/** The first element at `path` (local names) below `node`. */
export function descend(node: unknown, ...path: string[]): XmlNode | undefined {
  let current: unknown = node;
  for (const name of path) current = child(current, name);
  return current as XmlNode | undefined;
}

const entities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeReferences(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, reference: string) => {
    if (!reference.startsWith('#')) return entities[reference] ?? whole;
    const code = reference.startsWith('#x') ? Number.parseInt(reference.slice(2), 16) : Number.parseInt(reference.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** The text content of an element (predefined and numeric character references decoded). */
export function text(node: unknown): string | undefined {
  if (typeof node === 'string') return decodeReferences(node);
  if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
    const value = (node as Record<string, unknown>)[TEXT_KEY];
    return typeof value === 'string' ? decodeReferences(value) : value === undefined ? '' : undefined;
  }
  return undefined;
}

/** An attribute of an element, by its full (prefixed) name. */
export function attribute(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const value = (node as Record<string, unknown>)[ATTRIBUTE_PREFIX + name];
  return typeof value === 'string' ? value : undefined;
}

/** The single root element: its full name and node. */
export function rootElement(tree: Record<string, unknown>): { name: string; node: XmlNode } | undefined {
  const keys = Object.keys(tree).filter(isElementKey);
  if (keys.length !== 1) return undefined;
  const name = keys[0] as string;
  const node = tree[name];
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? { name, node: node as XmlNode } : undefined;
}

/** The namespace URI bound to the prefix of `elementName` on `node` itself (root-level check). */
export function declaredNamespace(elementName: string, node: XmlNode): string | undefined {
  const colon = elementName.indexOf(':');
  return attribute(node, colon < 0 ? 'xmlns' : `xmlns:${elementName.slice(0, colon)}`);
}
