// The dashboard's stylesheets are imported for their side effect (esbuild bundles them into the page's CSS);
// TypeScript 7 checks side-effect imports and needs to know such a module exists.
declare module '*.css';
