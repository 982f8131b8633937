/**
 * A safe XML reader for trusted lists: no DTD, no entity declarations, any parser complaint is a
 * refusal, and elements are read by namespace and local name.
 *
 * The DOM comes from the same `@xmldom/xmldom` module that `xml-crypto` uses, so the signature
 * check and the reader never see two different parses of one document. It is loaded through
 * `createRequire` with the few DOM types declared here: the package's own typings pull the whole
 * browser DOM library into the compilation.
 *
 * Does not check: anything about the meaning of the document (see the parsers), or signatures
 * (see `verify-trusted-list-xml.ts`).
 */
import { createRequire } from 'node:module';

/** The DOM node types read here (W3C DOM Level 2 Core, as implemented by xmldom). */
export interface XmlNode {
  readonly nodeType: number;
  readonly parentNode: XmlNode | null;
  readonly childNodes: { readonly length: number; item(index: number): XmlNode | null };
  readonly ownerDocument: XmlDocument | null;
  readonly data?: string;
}

export interface XmlAttr {
  readonly name: string;
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly value: string;
}

export interface XmlElement extends XmlNode {
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly tagName: string;
  readonly attributes: { readonly length: number; item(index: number): XmlAttr | null };
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
}

export interface XmlDocument extends XmlNode {
  readonly documentElement: XmlElement | null;
}

interface DomParserModule {
  readonly DOMParser: new (options: { errorHandler: (level: string, message: unknown) => void }) => { parseFromString(source: string, mimeType: string): XmlDocument };
}

function loadXmldom(): DomParserModule {
  const require = createRequire(import.meta.url);
  try {
    // The copy xml-crypto resolves, when it has its own.
    return createRequire(require.resolve('xml-crypto'))('@xmldom/xmldom') as DomParserModule;
  } catch {
    return require('@xmldom/xmldom') as DomParserModule;
  }
}

const xmldom = loadXmldom();

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;
export const PROCESSING_INSTRUCTION_NODE = 7;
export const COMMENT_NODE = 8;

/** The XML Signature namespace (XMLDSig). */
export const DSIG_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';

/** True when the document declares a DTD or an entity: such documents are refused outright (XXE, entity expansion). */
export function hasDtd(xml: string): boolean {
  return /<!DOCTYPE|<!ENTITY/i.test(xml);
}

/**
 * Parses well-formed XML without a DTD into a DOM. Returns `undefined` when the text has a DTD or
 * entity declaration, or when the parser reports any warning or error.
 */
export function parseXmlDocument(xml: string): XmlDocument | undefined {
  if (typeof xml !== 'string' || hasDtd(xml)) return undefined;
  const problems: string[] = [];
  let document: XmlDocument;
  try {
    document = new xmldom.DOMParser({ errorHandler: (level) => problems.push(level) }).parseFromString(xml, 'text/xml');
  } catch {
    return undefined;
  }
  if (problems.length > 0 || document.documentElement === null) return undefined;
  if (elementChildren(document).length !== 1) return undefined;
  return document;
}

const isElement = (node: XmlNode | null): node is XmlElement => node !== null && node.nodeType === ELEMENT_NODE;

/** The child nodes of `node` that are elements, in document order. */
export function elementChildren(node: XmlNode): XmlElement[] {
  const found: XmlElement[] = [];
  for (let index = 0; index < node.childNodes.length; index++) {
    const child = node.childNodes.item(index);
    if (isElement(child)) found.push(child);
  }
  return found;
}

/** The child elements of `node` with local name `name` (and namespace `namespace`, when given). */
export function children(node: XmlNode | undefined, name: string, namespace?: string): XmlElement[] {
  if (node === undefined) return [];
  return elementChildren(node).filter((child) => child.localName === name && (namespace === undefined || child.namespaceURI === namespace));
}

/** The first child element of `node` with local name `name`. */
export function child(node: XmlNode | undefined, name: string, namespace?: string): XmlElement | undefined {
  return children(node, name, namespace)[0];
}

/** The first element at `path` (local names) below `node`. */
export function descend(node: XmlNode | undefined, ...path: string[]): XmlElement | undefined {
  let current: XmlElement | undefined = node as XmlElement | undefined;
  for (const name of path) current = child(current, name);
  return current;
}

/** Every element below `node` (not `node` itself) with local name `name` and namespace `namespace`. */
export function descendants(node: XmlNode, name: string, namespace: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (parent: XmlNode): void => {
    for (const element of elementChildren(parent)) {
      if (element.localName === name && element.namespaceURI === namespace) found.push(element);
      visit(element);
    }
  };
  visit(node);
  return found;
}

/**
 * The text content of an element: its text and CDATA children, concatenated (comments and
 * processing instructions are not text, as in canonical XML).
 */
export function text(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  let out = '';
  for (let index = 0; index < node.childNodes.length; index++) {
    const item = node.childNodes.item(index);
    if (item !== null && (item.nodeType === TEXT_NODE || item.nodeType === CDATA_SECTION_NODE)) out += item.data ?? '';
  }
  return out;
}

/** The trimmed text of the child `name` of `node`, or `undefined` when absent or blank. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const value = text(child(node, name))?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Every element in the document (the root included) that carries an ID-like attribute with `value`. */
export function elementsWithId(document: XmlDocument, value: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement): void => {
    for (let index = 0; index < element.attributes.length; index++) {
      const attr = element.attributes.item(index);
      const local = attr?.localName ?? attr?.name ?? '';
      if (attr !== null && /^id$/i.test(local) && attr.value === value) {
        found.push(element);
        break;
      }
    }
    for (const childElement of elementChildren(element)) visit(childElement);
  };
  if (document.documentElement) visit(document.documentElement);
  return found;
}
