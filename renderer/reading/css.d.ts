// The reading pane imports its style sheet for its side effect; the bundler (Vite) puts it in the page.
declare module '*.css';
