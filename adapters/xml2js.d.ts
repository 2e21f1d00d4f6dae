/**
 * The slice of xml2js 0.6 the project uses (the package ships no types): the REST + XML client of
 * departmental software builds and reads bodies with it (docs/departments.md, Transports), and the SOAP
 * tests read answers with it.
 */
declare module 'xml2js' {
  export interface ParserOptions {
    explicitArray?: boolean;
    explicitRoot?: boolean;
    ignoreAttrs?: boolean;
    strict?: boolean;
    trim?: boolean;
    tagNameProcessors?: ((name: string) => string)[];
  }
  export class Parser {
    constructor(options?: ParserOptions);
    parseStringPromise(xml: string): Promise<unknown>;
  }
  export interface BuilderOptions {
    rootName?: string;
    headless?: boolean;
    xmldec?: { version: string; encoding?: string; standalone?: boolean };
    renderOpts?: { pretty: boolean; indent?: string; newline?: string };
  }
  export class Builder {
    constructor(options?: BuilderOptions);
    buildObject(value: unknown): string;
  }
  // biome-ignore lint/suspicious/noExplicitAny: the tests read answers loosely; the adapters use `Parser`
  export function parseStringPromise(xml: string, options?: ParserOptions): Promise<any>;
  export const processors: { stripPrefix(name: string): string };
}
