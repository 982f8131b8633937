/** Types of architecture.config.js (read by eslint.config.js and tests/architecture). */
export declare const forbiddenImports: Readonly<Record<string, readonly string[]>>;
