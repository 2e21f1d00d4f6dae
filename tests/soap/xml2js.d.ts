/** The slice of xml2js 0.6 the SOAP tests use to read answers (the package ships no types). */
declare module 'xml2js' {
  export interface ParserOptions {
    explicitArray?: boolean;
    tagNameProcessors?: ((name: string) => string)[];
  }
  export function parseStringPromise(xml: string, options?: ParserOptions): Promise<any>;
  export const processors: { stripPrefix(name: string): string };
}
