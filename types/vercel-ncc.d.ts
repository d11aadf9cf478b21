// The parts of @vercel/ncc's programmatic API that scripts/bundle.mjs and the tests use.
declare module '@vercel/ncc' {
  interface NccOptions {
    minify?: boolean;
    sourceMap?: boolean;
    quiet?: boolean;
    cache?: boolean | string;
    transpileOnly?: boolean;
    target?: string;
  }
  interface NccResult {
    code: string;
    map?: string;
    assets?: Record<string, { source: string | Buffer; permissions?: number }>;
  }
  export default function ncc(entry: string, options?: NccOptions): Promise<NccResult>;
}
